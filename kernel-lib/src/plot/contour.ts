import { Figure, type Trace } from "./figure";
import { roundGrid, sampleGrid } from "./grid";
import { axesLayout, type AxesOptions } from "./layout";
import { checkRange, toMatrix, type MatrixLike } from "./values";

/** A path in the plane, e.g. the iterates of an optimiser. */
export interface Trajectory {
  name: string;
  /** `[[x0, y0], [x1, y1], …]`, or an `[n, 2]` tensor. */
  points: Array<[number, number]> | MatrixLike;
}

/** Options of {@link contourPlot}. */
export interface ContourPlotOptions extends Omit<AxesOptions, "logX" | "logY"> {
  xRange: [number, number];
  yRange: [number, number];
  /** Grid points per axis (default 50; a notebook stores every grid value, twice with the HTML fallback). */
  steps?: number;
  /**
   * Contour log10 of the values, so the narrow valley of an ill-conditioned quadratic shows
   * as many rings instead of one (values are shifted above zero first when the minimum is ≤ 0).
   */
  logLevels?: boolean;
  /** Number of contour levels (default 20). */
  levels?: number;
  /**
   * One unit is as long on both axes (default true), so an ill-conditioned valley looks as
   * narrow as it is; the plot area shrinks to fit rather than padding the ranges.
   */
  equalAspect?: boolean;
  /** Paths drawn on top, with start and end marked. */
  trajectories?: Trajectory[];
  colorscale?: string;
}

function logTransform(z: number[][]): { z: number[][]; label: string } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of z)
    for (const v of row)
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
  if (lo > 0) return { z: z.map((row) => row.map((v) => Math.log10(v))), label: "log10 f" };
  // Shift so the minimum maps a few decades below the range instead of to -Infinity.
  const eps = (hi - lo) * 1e-6 || 1e-12;
  return { z: z.map((row) => row.map((v) => Math.log10(v - lo + eps))), label: "log10(f − min)" };
}

/** The trace of one trajectory: a line with markers, a circle at the start and a star at the end. */
export function trajectoryTrace(t: Trajectory, what: string): Trace {
  const pts = toMatrix(t.points as MatrixLike, `${what}: trajectory ${JSON.stringify(t.name)} points`);
  for (const [i, p] of pts.entries()) {
    if (p.length !== 2) {
      throw new Error(`${what}: trajectory ${JSON.stringify(t.name)} point ${i} has ${p.length} coordinates; expected [x, y]`);
    }
  }
  const n = pts.length;
  return {
    type: "scatter",
    mode: "lines+markers",
    name: t.name,
    x: pts.map((p) => p[0]),
    y: pts.map((p) => p[1]),
    text: pts.map((_, i) => `step ${i}`),
    // A start or end on the edge of the range stays visible.
    cliponaxis: false,
    marker: {
      size: pts.map((_, i) => (i === 0 || i === n - 1 ? 12 : 5)),
      symbol: pts.map((_, i) => (i === 0 ? "circle-open" : i === n - 1 ? "star" : "circle")),
    },
  };
}

/**
 * Contours of `f(x, y)` with optional paths on top, e.g. SGD, momentum and Adam on
 * `f = 0.1 x² + 2 y²`: `contourPlot(f, {xRange: [-5, 5], yRange: [-3, 3], trajectories})`.
 */
export function contourPlot(f: (x: number, y: number) => number, options: ContourPlotOptions): Figure {
  const xRange = checkRange(options.xRange, "contourPlot: xRange");
  const yRange = checkRange(options.yRange, "contourPlot: yRange");
  const grid = sampleGrid(f, xRange, yRange, options.steps ?? 50, "contourPlot");
  let z = grid.z;
  let label = "f";
  if (options.logLevels) ({ z, label } = logTransform(z));
  z = roundGrid(z);
  const contour: Trace = {
    type: "contour",
    name: label,
    x: grid.x,
    y: grid.y,
    z,
    ncontours: options.levels ?? 20,
    colorscale: options.colorscale ?? "Viridis",
    contours: { coloring: "lines" },
    colorbar: { title: { text: label } },
  };
  const traces: Trace[] = [contour];
  for (const t of options.trajectories ?? []) traces.push(trajectoryTrace(t, "contourPlot"));
  const layout = axesLayout({ xLabel: "x", yLabel: "y", ...options });
  if (options.equalAspect ?? true) {
    (layout.yaxis as Record<string, unknown>).scaleanchor = "x";
    (layout.xaxis as Record<string, unknown>).constrain = "domain";
    (layout.yaxis as Record<string, unknown>).constrain = "domain";
  }
  (layout.xaxis as Record<string, unknown>).range = xRange;
  (layout.yaxis as Record<string, unknown>).range = yRange;
  layout.legend = { orientation: "h", y: -0.15 };
  // Contour traces stay out of the legend, so one path alone would get none: name it anyway.
  if (traces.length > 1) layout.showlegend = true;
  return new Figure({ data: traces, layout });
}
