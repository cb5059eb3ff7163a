import { Figure, type Trace } from "./figure";
import { roundGrid, sampleGrid } from "./grid";
import { axesLayout, type AxesOptions } from "./layout";
import { checkRange, toMatrix, toNumbers, type MatrixLike, type NumericLike } from "./values";

/** Labelled points in the plane: `x` is `[n, 2]`, `labels` has `n` class numbers. */
export interface LabelledPoints {
  x: number[][] | MatrixLike;
  labels: number[] | NumericLike;
}

/** Options of {@link decisionBoundary}. */
export interface DecisionBoundaryOptions extends Omit<AxesOptions, "logX" | "logY"> {
  xRange: [number, number];
  yRange: [number, number];
  /** Grid points per axis (default 100). */
  steps?: number;
}

const classColors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/**
 * The model's output over the plane with the data on top. `predict(x, y)` returns either a
 * probability in [0, 1] (drawn as a shaded map with the 0.5 contour: the boundary) or a class
 * number (drawn as coloured regions).
 */
export function decisionBoundary(predict: (x: number, y: number) => number, points: LabelledPoints, options: DecisionBoundaryOptions): Figure {
  const xRange = checkRange(options.xRange, "decisionBoundary: xRange");
  const yRange = checkRange(options.yRange, "decisionBoundary: yRange");
  const grid = sampleGrid(predict, xRange, yRange, options.steps ?? 100, "decisionBoundary");
  const xs = toMatrix(points.x as MatrixLike, "decisionBoundary: points.x");
  const labels = toNumbers(points.labels as NumericLike, "decisionBoundary: points.labels");
  if (xs.length !== labels.length) {
    throw new Error(`decisionBoundary: points.x has ${xs.length} rows but points.labels has ${labels.length} entries; ` + "give one label per point");
  }
  if (xs.some((p) => p.length !== 2)) {
    throw new Error(`decisionBoundary: points.x must be [n, 2] (2-D inputs), got rows of length ${xs.find((p) => p.length !== 2)!.length}`);
  }
  const flat = grid.z.flat().filter(Number.isFinite);
  const regionClasses = [...new Set(flat)].sort((p, q) => p - q);
  const discrete = flat.every(Number.isInteger) && regionClasses.length <= classColors.length;
  const classes = [...new Set(labels)].sort((p, q) => p - q);
  const traces: Trace[] = [];
  if (discrete) {
    // Class numbers become band indices so any set of labels (0/1, −1/+1, 0…9) gets one flat
    // colour each; duplicated stops make the colorscale stepped instead of graded.
    const n = regionClasses.length;
    const colorscale: Array<[number, string]> = [];
    regionClasses.forEach((c, i) => {
      const k = classes.indexOf(c);
      const color = classColors[(k >= 0 ? k : classes.length + i) % classColors.length]!;
      colorscale.push([i / n, color], [(i + 1) / n, color]);
    });
    if (n === 1) colorscale.push([1, colorscale[0]![1]]);
    traces.push({
      type: "heatmap",
      name: "predicted class",
      x: grid.x,
      y: grid.y,
      z: grid.z.map((row) => row.map((v) => regionClasses.indexOf(v))),
      text: grid.z.map((row) => row.map((v) => `class ${v}`)),
      hoverinfo: "x+y+text",
      zmin: -0.5,
      zmax: n - 0.5,
      colorscale,
      opacity: 0.35,
      showscale: false,
    });
  } else {
    const probability = flat.every((v) => v >= 0 && v <= 1);
    // A probability splits at 0.5, a raw score (logit, margin) at 0.
    const level = probability ? 0.5 : 0;
    // One contour trace both shades the values (coloring "heatmap") and draws the boundary (its
    // only level): a heatmap plus a contour would store the grid twice.
    const regions: Trace = {
      type: "contour",
      name: probability ? "p(class 1)" : "score",
      x: grid.x,
      y: grid.y,
      z: roundGrid(grid.z),
      contours: { start: level, end: level, size: 1, coloring: "heatmap", showlines: true },
      line: { width: 2, color: "black" },
      // Plotly's RdBu runs blue (high) to red (low) reversed: unreversed, p → 1 is red like the
      // class-1 points and p → 0 blue like the class-0 points.
      colorscale: "RdBu",
      opacity: 0.6,
      colorbar: { title: { text: probability ? "p" : "score" } },
    };
    if (probability) Object.assign(regions, { zmin: 0, zmax: 1 });
    else Object.assign(regions, { zmid: 0 });
    traces.push(regions);
  }
  classes.forEach((c, k) => {
    const idx = labels.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
    traces.push({
      type: "scatter",
      mode: "markers",
      name: `class ${c}`,
      x: idx.map((i) => xs[i]![0]),
      y: idx.map((i) => xs[i]![1]),
      marker: { color: classColors[k % classColors.length], size: 7, line: { width: 1, color: "white" } },
    });
  });
  const layout = axesLayout({ xLabel: "x₁", yLabel: "x₂", ...options });
  // Below the plot, clear of the probability colour bar.
  layout.legend = { orientation: "h", y: -0.15 };
  (layout.xaxis as Record<string, unknown>).range = xRange;
  (layout.yaxis as Record<string, unknown>).range = yRange;
  return new Figure({ data: traces, layout });
}
