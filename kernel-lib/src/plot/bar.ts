import { Figure, type Trace } from "./figure";
import { axesLayout, type AxesOptions } from "./layout";
import { toNumbers, type NumericLike } from "./values";

/** Options of {@link barPlot}. */
export interface BarPlotOptions extends AxesOptions {
  /** Horizontal bars (long labels such as parameter names). */
  horizontal?: boolean;
}

/**
 * Bars by label, e.g. the gradient norm of each layer: `barPlot({"fc1.weight": 0.8, "fc2.weight": 0.01}, {logY: true})`,
 * or several groups: `barPlot({labels, values: {before: a, after: b}})`.
 */
export function barPlot(
  data: Record<string, number> | { labels: string[]; values: NumericLike | Record<string, NumericLike> },
  options: BarPlotOptions = {},
): Figure {
  let labels: string[];
  let groups: Array<[string | undefined, number[]]>;
  if (Array.isArray((data as { labels?: unknown }).labels)) {
    const d = data as { labels: string[]; values: NumericLike | Record<string, NumericLike> };
    labels = d.labels;
    const values = d.values;
    const isGroupMap =
      typeof values === "object" &&
      values !== null &&
      !ArrayBuffer.isView(values) &&
      !Array.isArray(values) &&
      !("toArray" in values) &&
      !("shape" in values);
    groups = isGroupMap
      ? Object.entries(values as Record<string, NumericLike>).map(([name, v]) => [name, toNumbers(v, `barPlot: values.${name}`)])
      : [[undefined, toNumbers(values as NumericLike, "barPlot: values")]];
  } else {
    const record = data as Record<string, number>;
    labels = Object.keys(record);
    groups = [[undefined, labels.map((k) => Number(record[k]))]];
  }
  for (const [name, v] of groups) {
    if (v.length !== labels.length) {
      throw new Error(
        `barPlot: ${labels.length} labels but ${v.length} values${name ? ` in group ${JSON.stringify(name)}` : ""}; ` + "give one value per label",
      );
    }
  }
  const traces: Trace[] = groups.map(([name, v]) => {
    const trace: Trace = options.horizontal ? { type: "bar", orientation: "h", y: labels, x: v } : { type: "bar", x: labels, y: v };
    if (name !== undefined) trace.name = name;
    return trace;
  });
  const layoutOptions: AxesOptions = options.horizontal
    ? { ...options, logX: options.logY, logY: false, xLabel: options.yLabel, yLabel: options.xLabel }
    : options;
  const layout = axesLayout(layoutOptions);
  if (traces.length > 1) layout.barmode = "group";
  return new Figure({ data: traces, layout });
}
