import { Figure, type Layout, type Trace } from "./figure";
import { toMatrix, toNested, type MatrixLike } from "./values";

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  title?: string;
  /** A plotly colorscale name ("Viridis", "Greys", "RdBu", …). */
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  /** Square cells, as for an image (default false: a weight matrix keeps its aspect). */
  square?: boolean;
  xLabel?: string;
  yLabel?: string;
  height?: number;
  width?: number;
}

function heatmapTrace(z: number[][], options: { colorscale?: string | undefined; zmin?: number | undefined; zmax?: number | undefined }): Trace {
  const trace: Trace = { type: "heatmap", z, colorscale: options.colorscale ?? "Viridis" };
  if (options.zmin !== undefined) trace.zmin = options.zmin;
  if (options.zmax !== undefined) trace.zmax = options.zmax;
  return trace;
}

/**
 * A matrix as coloured cells, row 0 at the top (as the matrix is printed), e.g. a weight matrix
 * or one feature map: `heatmap(conv.weight.select(0, 0), {title: "kernel 0"})`.
 */
export function heatmap(matrix: MatrixLike, options: HeatmapOptions = {}): Figure {
  const z = toMatrix(matrix, "heatmap");
  const layout: Layout = {
    xaxis: { title: { text: options.xLabel ?? "column" }, constrain: "domain" },
    yaxis: { title: { text: options.yLabel ?? "row" }, autorange: "reversed" },
  };
  if (options.square) (layout.yaxis as Record<string, unknown>).scaleanchor = "x";
  if (options.title !== undefined) layout.title = { text: options.title };
  if (options.height !== undefined) layout.height = options.height;
  if (options.width !== undefined) layout.width = options.width;
  const trace = heatmapTrace(z, options);
  if (options.title !== undefined) trace.name = options.title;
  return new Figure({ data: [trace], layout });
}

/** Options of {@link heatmapGrid}. */
export interface HeatmapGridOptions {
  /** Columns of the grid (default: up to 4). */
  cols?: number;
  /** One title per matrix. */
  titles?: string[];
  title?: string;
  colorscale?: string;
  /** One colour scale for all panels (compare magnitudes) instead of one per panel. */
  sharedScale?: boolean;
  zmin?: number;
  zmax?: number;
  /** Square cells (default true: feature maps are images). */
  square?: boolean;
  /** Height of one row of panels in pixels (default 200). */
  rowHeight?: number;
}

/**
 * Several matrices side by side, e.g. the channels of a convolution's output:
 * `heatmapGrid(featureMaps, {cols: 4, titles: ["ch 0", "ch 1", …]})`. A 3-D tensor
 * `[channels, h, w]` is split along its first dimension.
 */
export function heatmapGrid(
  matrices: MatrixLike[] | { toArray(): unknown } | { data: ArrayLike<number>; shape: readonly number[] },
  options: HeatmapGridOptions = {},
): Figure {
  const nested = Array.isArray(matrices) ? matrices : toNested(matrices);
  if (!Array.isArray(nested)) {
    throw new Error("heatmapGrid: expected a list of matrices or a 3-D tensor [n, h, w]");
  }
  const list = nested as MatrixLike[];
  if (list.length === 0) throw new Error("heatmapGrid: no matrices given");
  const zs = list.map((m, i) => toMatrix(m, `heatmapGrid: matrix ${i}`));
  if (options.titles && options.titles.length !== zs.length) {
    throw new Error(`heatmapGrid: ${zs.length} matrices but ${options.titles.length} titles; give one title per matrix`);
  }
  const cols = Math.max(1, Math.min(options.cols ?? 4, zs.length));
  const rows = Math.ceil(zs.length / cols);
  let zmin = options.zmin;
  let zmax = options.zmax;
  if (options.sharedScale) {
    const all = zs.flat(2).filter(Number.isFinite);
    zmin ??= Math.min(...all);
    zmax ??= Math.max(...all);
  }
  const gap = 0.04;
  const cellW = (1 - gap * (cols - 1)) / cols;
  const cellH = (1 - gap * 2 * (rows - 1)) / rows;
  const layout: Layout = {
    height: (options.rowHeight ?? 200) * rows + 80,
    margin: { t: 60, l: 30, r: 30, b: 30 },
    annotations: [] as unknown[],
  };
  if (options.title !== undefined) layout.title = { text: options.title };
  const traces: Trace[] = zs.map((z, i) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const suffix = i === 0 ? "" : String(i + 1);
    const x0 = c * (cellW + gap);
    const y1 = 1 - r * (cellH + gap * 2);
    const yaxis: Record<string, unknown> = {
      domain: [Math.max(0, y1 - cellH), y1],
      autorange: "reversed",
      showticklabels: false,
      anchor: `x${suffix}`,
    };
    if (options.square ?? true) yaxis.scaleanchor = `x${suffix}`;
    layout[`xaxis${suffix}`] = { domain: [x0, x0 + cellW], showticklabels: false, anchor: `y${suffix}`, constrain: "domain" };
    layout[`yaxis${suffix}`] = yaxis;
    const title = options.titles?.[i];
    if (title !== undefined) {
      (layout.annotations as unknown[]).push({
        text: title,
        showarrow: false,
        xref: "paper",
        yref: "paper",
        x: x0 + cellW / 2,
        y: y1,
        xanchor: "center",
        yanchor: "bottom",
        font: { size: 12 },
      });
    }
    const trace = heatmapTrace(z, { colorscale: options.colorscale, zmin, zmax });
    trace.xaxis = `x${suffix}`;
    trace.yaxis = `y${suffix}`;
    trace.name = title ?? `matrix ${i}`;
    // One colour bar is enough when the scale is shared; per-panel bars would overlap.
    trace.showscale = options.sharedScale === true && i === 0;
    return trace;
  });
  return new Figure({ data: traces, layout });
}
