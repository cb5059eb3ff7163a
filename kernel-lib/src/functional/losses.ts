/**
 * Losses, reduced like PyTorch's (`reduction: "mean"` by default, also "sum" and "none").
 * Composite where that is exact (mse = mean of squares); a fused forward/backward where stability
 * needs it (BCE clamps its logs at −100 as PyTorch does; bceWithLogits and crossEntropy never take
 * the log of a probability that could have underflowed).
 */
import { type FloatArray, allocate } from "../tensor/dtype";
import { fmtShape, sameShape, ShapeError } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";
import { sub } from "../ops/elementwise";
import { square } from "../ops/unary";
import { sum, mean } from "../ops/reduce";
import { sigmoidScalar } from "./activations/sigmoid";
import { logSoftmax } from "./softmax";
import { softplusScalar } from "./softplus";

export type Reduction = "mean" | "sum" | "none";

function reduce(t: Tensor, reduction: Reduction): Tensor {
  if (reduction === "mean") return mean(t);
  if (reduction === "sum") return sum(t);
  if (reduction === "none") return t;
  throw new TypeError(`loss: reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}.`);
}

function sameShapes(op: string, input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError(
      `${op}: input shape ${fmtShape(input.shape)} and target shape ${fmtShape(target.shape)} differ; they must be equal ` +
        "(e.g. reshape the target to [N, 1] when the model outputs one column).",
    );
  }
}

/** Mean squared error (ŷ − y)². No ½ (PyTorch's MSELoss; the article's C = ½‖y − ŷ‖² is mseLoss × n/2). */
export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  sameShapes("mseLoss", asTensor("mseLoss", input), asTensor("mseLoss", target));
  return reduce(square(sub(input, target)), options.reduction ?? "mean");
}

/**
 * Binary cross-entropy on probabilities p ∈ [0, 1]: −[y log p + (1 − y) log(1 − p)], each log clamped
 * at −100 (PyTorch), so p = 0 or 1 gives a large finite loss instead of inf.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: { reduction?: Reduction; weight?: Tensor } = {}): Tensor {
  const p = asTensor("binaryCrossEntropy", input);
  const y = asTensor("binaryCrossEntropy", target);
  sameShapes("binaryCrossEntropy", p, y);
  const out = allocate(p.dtype, p.size);
  for (let i = 0; i < p.size; i++) {
    const pi = p.data[i];
    if (!(pi >= 0 && pi <= 1)) {
      throw new RangeError(`binaryCrossEntropy: input[${i}] = ${pi} is not a probability in [0, 1]; pass raw scores to bceWithLogits instead.`);
    }
    out[i] = -(y.data[i] * Math.max(Math.log(pi), -100) + (1 - y.data[i]) * Math.max(Math.log(1 - pi), -100));
  }
  // ∂/∂p = (p − y) / max(p(1 − p), 1e-12)   (PyTorch's binary_cross_entropy_backward)
  const loss = result("BinaryCrossEntropy", out, p.shape, [p, y], (g) => [
    p.requiresGrad ? mapIdx(g, (gi, i) => (gi * (p.data[i] - y.data[i])) / Math.max((1 - p.data[i]) * p.data[i], 1e-12)) : null,
    y.requiresGrad ? mapIdx(g, (gi, i) => gi * (Math.max(Math.log(1 - p.data[i]), -100) - Math.max(Math.log(p.data[i]), -100))) : null,
  ]);
  return reduce(options.weight ? loss.mul(options.weight) : loss, options.reduction ?? "mean");
}

/**
 * BCE on raw scores x: (1 − y)·x + w_pos·softplus(−x), w_pos = 1 + (posWeight − 1)·y. Without posWeight
 * this is max(x, 0) − x·y + log(1 + e^{−|x|}), finite for any x. ∂/∂x = (1 − y) − w_pos·σ(−x).
 */
export function bceWithLogits(
  input: Tensor,
  target: Tensor,
  options: { reduction?: Reduction | undefined; weight?: Tensor | undefined; posWeight?: Tensor | number | undefined } = {},
): Tensor {
  const x = asTensor("bceWithLogits", input);
  const y = asTensor("bceWithLogits", target);
  sameShapes("bceWithLogits", x, y);
  const pw = options.posWeight;
  const pwAt = (i: number): number => (pw === undefined ? 1 : typeof pw === "number" ? pw : pw.data[pw.size === 1 ? 0 : i % pw.size]);
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < x.size; i++) {
    const lw = 1 + (pwAt(i) - 1) * y.data[i];
    out[i] = (1 - y.data[i]) * x.data[i] + lw * softplusScalar(-x.data[i]);
  }
  const loss = result("BinaryCrossEntropyWithLogits", out, x.shape, [x, y], (g) => [
    x.requiresGrad ? mapIdx(g, (gi, i) => gi * (1 - y.data[i] - (1 + (pwAt(i) - 1) * y.data[i]) * sigmoidScalar(-x.data[i]))) : null,
    // ∂/∂y = −x − (posWeight − 1)·softplus(−x)... PyTorch: −x·g when posWeight is absent.
    y.requiresGrad ? mapIdx(g, (gi, i) => gi * (-x.data[i] + (pwAt(i) - 1) * softplusScalar(-x.data[i]))) : null,
  ]);
  return reduce(options.weight ? loss.mul(options.weight) : loss, options.reduction ?? "mean");
}

function mapIdx(g: FloatArray, f: (gi: number, i: number) => number): FloatArray {
  const out = allocate(g instanceof Float32Array ? "float32" : "float64", g.length);
  for (let i = 0; i < g.length; i++) out[i] = f(g[i], i);
  return out;
}

export interface NllOptions {
  reduction?: Reduction | undefined;
  /** Per-class weights w_c; "mean" then divides by Σ w_{y_n} (PyTorch). */
  weight?: Tensor | undefined;
  /** Targets equal to this are skipped (PyTorch's default −100). */
  ignoreIndex?: number | undefined;
}

function classIndices(op: string, target: Tensor | ArrayLike<number>, n: number, c: number, ignoreIndex: number): Int32Array {
  const t = target instanceof Tensor ? target.data : target;
  if (t.length !== n) {
    throw new ShapeError(`${op}: ${n} rows of scores but ${t.length} targets; give one class index per row.`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = t[i];
    if (v !== ignoreIndex && (!Number.isInteger(v) || v < 0 || v >= c)) {
      throw new RangeError(`${op}: target[${i}] = ${v} is not a class index in 0…${c - 1}.`);
    }
    out[i] = v;
  }
  return out;
}

/** Negative log-likelihood of class indices given log-probabilities [N, C] (or [C] for one sample). */
export function nllLoss(logProbs: Tensor, target: Tensor | ArrayLike<number>, options: NllOptions = {}): Tensor {
  const lp0 = asTensor("nllLoss", logProbs);
  if (lp0.ndim !== 1 && lp0.ndim !== 2) {
    throw new ShapeError(`nllLoss: expected log-probabilities of shape [N, C] or [C], got ${fmtShape(lp0.shape)}.`);
  }
  const lp = lp0.ndim === 1 ? lp0.reshape(1, lp0.size) : lp0;
  const [n, c] = lp.shape;
  const ignore = options.ignoreIndex ?? -100;
  const y = classIndices("nllLoss", target instanceof Tensor && target.ndim === 0 ? [target.item()] : target, n, c, ignore);
  const w = options.weight;
  if (w && w.size !== c) throw new ShapeError(`nllLoss: weight has ${w.size} entries but there are ${c} classes.`);
  const reduction = options.reduction ?? "mean";
  const per = allocate(lp.dtype, n);
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] === ignore) continue;
    const wi = w ? w.data[y[i]] : 1;
    per[i] = -wi * lp.data[i * c + y[i]];
    wsum += wi;
  }
  let out: FloatArray;
  let outShape: number[];
  if (reduction === "none") {
    out = per;
    outShape = lp0.ndim === 1 ? [] : [n];
  } else {
    let s = 0;
    for (let i = 0; i < n; i++) s += per[i];
    out = allocate(lp.dtype, 1);
    out[0] = reduction === "mean" ? s / wsum : s;
    outShape = [];
  }
  return result("NllLoss", out, outShape, [lp], (g) => {
    const gx = allocate(lp.dtype, lp.size);
    for (let i = 0; i < n; i++) {
      if (y[i] === ignore) continue;
      const wi = w ? w.data[y[i]] : 1;
      const gi = reduction === "none" ? g[i] : reduction === "mean" ? g[0] / wsum : g[0];
      gx[i * c + y[i]] = -wi * gi;
    }
    return [gx];
  });
}

export interface CrossEntropyOptions extends NllOptions {
  /** Mix the one-hot target with the uniform distribution: (1 − ε)·onehot + ε/C. */
  labelSmoothing?: number | undefined;
}

/**
 * Cross-entropy of raw scores (logits) [N, C] against class indices [N] (or class probabilities
 * [N, C]): nllLoss(logSoftmax(x)) as in PyTorch, stable for any logits.
 */
export function crossEntropy(logits: Tensor, target: Tensor | ArrayLike<number>, options: CrossEntropyOptions = {}): Tensor {
  const x = asTensor("crossEntropy", logits);
  const lp = logSoftmax(x, x.ndim === 1 ? 0 : 1);
  const probs = target instanceof Tensor && sameShape(target.shape, x.shape) && x.ndim === 2 && x.shape[1] > 1 && target.ndim === 2;
  const eps = options.labelSmoothing ?? 0;
  const reduction = options.reduction ?? "mean";
  if (probs) {
    // −Σ_c p_c log q_c per row (probability targets; weight per class multiplies each term).
    let q = (target as Tensor).detach();
    if (eps > 0) q = q.mul(1 - eps).add(eps / x.shape[1]);
    let terms = lp.mul(q);
    if (options.weight) terms = terms.mul(options.weight);
    const rows = sum(terms, 1).neg();
    return reduce(rows, reduction);
  }
  const nll = nllLoss(lp, target, options);
  if (eps === 0) return nll;
  // Label smoothing: (1 − ε)·NLL + ε·mean over classes of −log q (weighted like PyTorch when weight is given).
  const c = x.ndim === 1 ? x.size : x.shape[1];
  const lp2 = lp.ndim === 1 ? lp.reshape(1, c) : lp;
  const ignore = options.ignoreIndex ?? -100;
  const tgt = target instanceof Tensor ? target.data : target;
  const maskData = allocate(x.dtype, lp2.shape[0]);
  for (let i = 0; i < maskData.length; i++) maskData[i] = tgt[i] === ignore ? 0 : 1;
  const mask = new Tensor(maskData, [lp2.shape[0], 1]);
  let smooth = lp2.mul(mask);
  if (options.weight) smooth = smooth.mul(options.weight);
  let smoothLoss = sum(smooth, 1).neg().div(c);
  if (reduction === "mean") {
    let denom = 0;
    const w = options.weight;
    for (let i = 0; i < maskData.length; i++) if (maskData[i]) denom += w ? w.data[tgt[i]] : 1;
    smoothLoss = sum(smoothLoss).div(denom);
  } else if (reduction === "sum") smoothLoss = sum(smoothLoss);
  else if (x.ndim === 1) smoothLoss = smoothLoss.reshape([]);
  return nll.mul(1 - eps).add(smoothLoss.mul(eps));
}
