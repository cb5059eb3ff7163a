import type { Layout } from "./figure";

/** Options every builder takes. */
export interface AxesOptions {
  title?: string | undefined;
  xLabel?: string | undefined;
  yLabel?: string | undefined;
  /** Logarithmic y axis (loss curves spanning decades). */
  logY?: boolean | undefined;
  logX?: boolean | undefined;
  /** Plot height in pixels. */
  height?: number | undefined;
  width?: number | undefined;
}

/** The layout shared by the builders: titles, axis labels, log axes, size. */
export function axesLayout(options: AxesOptions): Layout {
  const layout: Layout = {};
  if (options.title !== undefined) layout.title = { text: options.title };
  const xaxis: Record<string, unknown> = {};
  const yaxis: Record<string, unknown> = {};
  if (options.xLabel !== undefined) xaxis.title = { text: options.xLabel };
  if (options.yLabel !== undefined) yaxis.title = { text: options.yLabel };
  if (options.logX) xaxis.type = "log";
  if (options.logY) yaxis.type = "log";
  layout.xaxis = xaxis;
  layout.yaxis = yaxis;
  if (options.height !== undefined) layout.height = options.height;
  if (options.width !== undefined) layout.width = options.width;
  return layout;
}
