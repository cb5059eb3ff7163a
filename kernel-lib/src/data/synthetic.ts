/**
 * Small synthetic data sets for the notebooks, every random draw from the seeded generator.
 * Classification sets return `x` [N, 2] and class indices `y` [N] (also as `labels`, the name the
 * plot builders use). Points come grouped by class, not shuffled: a DataLoader with
 * `shuffle: true` mixes them.
 */
import { Tensor } from "../tensor/tensor";
import { fromArray } from "../tensor/create";
import { defaultGenerator, type Generator } from "../tensor/random";

export interface LabelledData {
  /** Inputs, [N, features]. */
  x: Tensor;
  /** Class indices (0, 1, …) as float64, [N]. */
  y: Tensor;
  /** The same tensor as `y`, under the name plot.decisionBoundary expects. */
  labels: Tensor;
}

interface Common {
  /** Standard deviation of Gaussian noise added to each coordinate. */
  noise?: number;
  generator?: Generator;
}

function labelled(points: number[], labels: number[]): LabelledData {
  const y = fromArray(labels, [labels.length]);
  return { x: fromArray(points, [labels.length, points.length / labels.length]), y, labels: y };
}

function checkCount(op: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${op}: n must be an integer ≥ ${min}, got ${n}.`);
}

/**
 * XOR: without n, the four points of the logistic-regression article, (0,0) and (1,1) in class 0,
 * (0,1) and (1,0) in class 1 (no line separates them). With n, n points cycling over the four
 * corners, each moved by N(0, noise²) (noise default 0.1).
 */
export function xor(options: Common & { n?: number } = {}): LabelledData {
  const corners = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  const cls = [0, 1, 1, 0];
  const g = options.generator ?? defaultGenerator;
  const n = options.n ?? 4;
  checkCount("xor", n, 1);
  const noise = options.noise ?? (options.n === undefined ? 0 : 0.1);
  const pts: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    pts.push(corners[c][0] + (noise ? noise * g.normal() : 0), corners[c][1] + (noise ? noise * g.normal() : 0));
    labels.push(cls[c]);
  }
  return labelled(pts, labels);
}

/**
 * Interleaved spirals (the CS231n toy set): for class k, radius r from 0 to 1 and angle
 * θ = 4k … 4(k + 1) (plus N(0, noise²)), point (r sin θ, r cos θ). `n` points per class.
 */
export function spirals(options: Common & { n?: number; classes?: number } = {}): LabelledData {
  const n = options.n ?? 100;
  const classes = options.classes ?? 2;
  checkCount("spirals", n, 2);
  checkCount("spirals (classes)", classes, 2);
  const noise = options.noise ?? 0.2;
  const g = options.generator ?? defaultGenerator;
  const pts: number[] = [];
  const labels: number[] = [];
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < n; i++) {
      const r = i / (n - 1);
      const t = 4 * k + (4 * i) / (n - 1) + noise * g.normal();
      pts.push(r * Math.sin(t), r * Math.cos(t));
      labels.push(k);
    }
  }
  return labelled(pts, labels);
}

/** Two interleaving half circles (scikit-learn's make_moons, unshuffled): ⌊n/2⌋ in class 0, the rest in class 1. */
export function moons(options: Common & { n?: number } = {}): LabelledData {
  const n = options.n ?? 100;
  checkCount("moons", n, 2);
  const noise = options.noise ?? 0;
  const g = options.generator ?? defaultGenerator;
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const pts: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = nOut > 1 ? (Math.PI * i) / (nOut - 1) : 0;
    pts.push(Math.cos(t), Math.sin(t));
    labels.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    const t = nIn > 1 ? (Math.PI * i) / (nIn - 1) : 0;
    pts.push(1 - Math.cos(t), 1 - Math.sin(t) - 0.5);
    labels.push(1);
  }
  if (noise) for (let i = 0; i < pts.length; i++) pts[i] += noise * g.normal();
  return labelled(pts, labels);
}

/** A circle inside another (scikit-learn's make_circles, unshuffled): outer radius 1 is class 0, inner radius `factor` class 1. */
export function circles(options: Common & { n?: number; factor?: number } = {}): LabelledData {
  const n = options.n ?? 100;
  checkCount("circles", n, 2);
  const factor = options.factor ?? 0.8;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${factor}.`);
  const noise = options.noise ?? 0;
  const g = options.generator ?? defaultGenerator;
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const pts: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = (2 * Math.PI * i) / nOut;
    pts.push(Math.cos(t), Math.sin(t));
    labels.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (2 * Math.PI * i) / nIn;
    pts.push(factor * Math.cos(t), factor * Math.sin(t));
    labels.push(1);
  }
  if (noise) for (let i = 0; i < pts.length; i++) pts[i] += noise * g.normal();
  return labelled(pts, labels);
}

export interface RegressionData {
  /** Inputs x ~ N(0, 1), [n, features]. */
  x: Tensor;
  /** Targets y = x·w + b + ε, ε ~ N(0, noise²), [n, 1]. */
  y: Tensor;
  /** The true weights, [features]. */
  w: Tensor;
  /** The true bias. */
  b: number;
}

/**
 * The weight-decay article's high-dimensional linear regression: y = b + Σᵢ wᵢ xᵢ + ε with
 * x ~ N(0, 1). Defaults are d2l's: 200 features, every wᵢ = 0.01, b = 0.05, noise 0.01.
 * Draw the training and test sets with two calls (or one call and slice).
 */
export function linearRegression(options: {
  n: number;
  features?: number;
  w?: number | number[];
  b?: number;
  noise?: number;
  generator?: Generator;
}): RegressionData {
  const n = options.n;
  checkCount("linearRegression", n, 1);
  const w = options.w;
  const d = Array.isArray(w) ? w.length : (options.features ?? 200);
  if (Array.isArray(w) && options.features !== undefined && options.features !== w.length) {
    throw new Error(`linearRegression: features = ${options.features} but w has ${w.length} entries.`);
  }
  const wv = Array.isArray(w) ? w.slice() : new Array<number>(d).fill(w ?? 0.01);
  const b = options.b ?? 0.05;
  const noise = options.noise ?? 0.01;
  const g = options.generator ?? defaultGenerator;
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b;
    for (let j = 0; j < d; j++) {
      const v = g.normal();
      x[i * d + j] = v;
      s += wv[j] * v;
    }
    y[i] = s + noise * g.normal();
  }
  return { x: new Tensor(x, [n, d]), y: new Tensor(y, [n, 1]), w: fromArray(wv, [d]), b };
}
