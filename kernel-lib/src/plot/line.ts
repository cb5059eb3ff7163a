import { Figure, type Trace } from "./figure";
import { axesLayout, type AxesOptions } from "./layout";
import { toNumbers, type NumericLike } from "./values";

/** One named curve; `x` defaults to 0, 1, 2, … */
export interface Series {
  name: string;
  y: NumericLike;
  x?: NumericLike;
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions extends AxesOptions {
  /** Draw a marker at every point (few points, e.g. per-epoch values). */
  markers?: boolean | undefined;
}

/**
 * Curves over a shared x axis, e.g. training and validation loss per epoch:
 * `linePlot({loss: history.loss, val_loss: history.valLoss}, {title: "Loss", logY: true})`.
 */
export function linePlot(series: Series[] | Record<string, NumericLike>, options: LinePlotOptions = {}): Figure {
  const list: Series[] = Array.isArray(series) ? series : Object.entries(series).map(([name, y]) => ({ name, y }));
  const traces: Trace[] = list.map((s, i) => {
    const y = toNumbers(s.y, `linePlot: series ${JSON.stringify(s.name ?? i)} y`);
    const trace: Trace = { type: "scatter", mode: options.markers ? "lines+markers" : "lines", name: s.name, y };
    if (s.x !== undefined) {
      const x = toNumbers(s.x, `linePlot: series ${JSON.stringify(s.name ?? i)} x`);
      if (x.length !== y.length) {
        throw new Error(
          `linePlot: series ${JSON.stringify(s.name ?? i)} has ${x.length} x values but ${y.length} y values; ` + "give x and y the same length",
        );
      }
      trace.x = x;
    }
    return trace;
  });
  return new Figure({ data: traces, layout: axesLayout(options) });
}
