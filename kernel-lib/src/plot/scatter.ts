import { Figure, type Trace } from "./figure";
import { axesLayout, type AxesOptions } from "./layout";
import { toNumbers, type NumericLike } from "./values";

/** One named point set. */
export interface ScatterSeries {
  name?: string;
  x: NumericLike;
  y: NumericLike;
  /** Marker colour per point or one colour. */
  color?: string | NumericLike;
  size?: number;
}

/** Points in the plane, one trace per series: `scatterPlot([{name: "class 0", x, y}, …])`. */
export function scatterPlot(series: ScatterSeries | ScatterSeries[], options: AxesOptions = {}): Figure {
  const list = Array.isArray(series) ? series : [series];
  const traces: Trace[] = list.map((s, i) => {
    const label = JSON.stringify(s.name ?? i);
    const x = toNumbers(s.x, `scatterPlot: series ${label} x`);
    const y = toNumbers(s.y, `scatterPlot: series ${label} y`);
    if (x.length !== y.length) {
      throw new Error(`scatterPlot: series ${label} has ${x.length} x values but ${y.length} y values; give x and y the same length`);
    }
    const marker: Record<string, unknown> = { size: s.size ?? 7 };
    if (s.color !== undefined) {
      marker.color = typeof s.color === "string" ? s.color : toNumbers(s.color, `scatterPlot: series ${label} color`);
    }
    const trace: Trace = { type: "scatter", mode: "markers", x, y, marker };
    if (s.name !== undefined) trace.name = s.name;
    return trace;
  });
  return new Figure({ data: traces, layout: axesLayout(options) });
}
