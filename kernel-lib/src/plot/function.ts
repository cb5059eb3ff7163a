import { Figure, type Trace } from "./figure";
import { axesLayout, type AxesOptions } from "./layout";
import { checkRange, linspace } from "./values";

/** A named function of one variable. */
export interface NamedFunction {
  name: string;
  f: (x: number) => number;
}

/** Options of {@link functionPlot}. */
export interface FunctionPlotOptions extends AxesOptions {
  xRange: [number, number];
  /** Sample points (default 201). */
  steps?: number;
}

/**
 * Functions sampled over a range, e.g. activations and their derivatives:
 * `functionPlot([{name: "σ", f: sigmoid}, {name: "σ'", f: (x) => sigmoid(x) * (1 - sigmoid(x))}], {xRange: [-6, 6]})`.
 * Non-finite values leave a gap.
 */
export function functionPlot(fns: NamedFunction[], options: FunctionPlotOptions): Figure {
  const range = checkRange(options.xRange, "functionPlot: xRange");
  const x = linspace(range[0], range[1], options.steps ?? 201);
  const traces: Trace[] = fns.map(({ name, f }) => ({
    type: "scatter",
    mode: "lines",
    name,
    x,
    y: x.map((xi) => {
      const v = f(xi);
      if (typeof v !== "number") {
        throw new Error(`functionPlot: ${JSON.stringify(name)} returned ${typeof v} at x = ${xi}; it must return a number`);
      }
      return v;
    }),
  }));
  return new Figure({ data: traces, layout: axesLayout({ xLabel: "x", ...options }) });
}
