/**
 * softmax and log-softmax along a dimension: every output depends on the whole lane, so these are
 * not element-wise activations (no σ′(z)) and are not in activations/. Both subtract the lane's
 * maximum first, so they stay finite at ±1000.
 */
import { type FloatArray, allocate } from "../tensor/dtype";
import { normDim } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";

/** Iterate the 1-D lanes along `dim`: calls f(base, stride, len) for each lane. */
function lanes(shape: readonly number[], dim: number, f: (base: number, stride: number, len: number) => void): void {
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  let outer = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  const len = shape.length === 0 ? 1 : shape[dim];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * len * inner + i, inner, len);
}

/**
 * For each lane along `dim`: its max m and s = Σ e^{x − m}, so that log Σ e^{x} = m + log s without
 * overflow. Callers use (x − m) − log s rather than x − (m + log s): the latter loses the low bits
 * of a small difference to the rounding of a large m.
 */
function logSumExpLanes(
  d: FloatArray,
  shape: readonly number[],
  dim: number,
  into: (base: number, stride: number, len: number, m: number, s: number) => void,
): void {
  lanes(shape, dim, (base, stride, len) => {
    let m = -Infinity;
    for (let j = 0; j < len; j++) m = Math.max(m, d[base + j * stride]);
    if (m === -Infinity || !Number.isFinite(m)) {
      // All −inf (or an inf present): follow the IEEE result without the shift.
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(d[base + j * stride]);
      into(base, stride, len, 0, s);
      return;
    }
    let s = 0;
    for (let j = 0; j < len; j++) s += Math.exp(d[base + j * stride] - m);
    into(base, stride, len, m, s);
  });
}

/** softmax(x)ᵢ = e^{xᵢ − m} / Σⱼ e^{xⱼ − m}, m = max x (so [1000, 1000, 0] gives [0.5, 0.5, 0]). */
export function softmax(t: Tensor, dim: number = -1): Tensor {
  const x = asTensor("softmax", t);
  const d = normDim("softmax", dim, x.ndim);
  const out = allocate(x.dtype, x.size);
  logSumExpLanes(x.data, x.shape, d, (base, stride, len, m, s) => {
    for (let j = 0; j < len; j++) out[base + j * stride] = Math.exp(x.data[base + j * stride] - m) / s;
  });
  // ∂softmax: gᵢ ↦ sᵢ (gᵢ − Σⱼ gⱼ sⱼ)
  return result("Softmax", out, x.shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    lanes(x.shape, d, (base, stride, len) => {
      let dotp = 0;
      for (let j = 0; j < len; j++) dotp += g[base + j * stride] * out[base + j * stride];
      for (let j = 0; j < len; j++) gx[base + j * stride] = out[base + j * stride] * (g[base + j * stride] - dotp);
    });
    return [gx];
  });
}

/** log softmax(x)ᵢ = xᵢ − logΣⱼe^{xⱼ}, computed directly (never log of a softmax that underflowed to 0). */
export function logSoftmax(t: Tensor, dim: number = -1): Tensor {
  const x = asTensor("logSoftmax", t);
  const d = normDim("logSoftmax", dim, x.ndim);
  const out = allocate(x.dtype, x.size);
  logSumExpLanes(x.data, x.shape, d, (base, stride, len, m, s) => {
    const logS = Math.log(s);
    for (let j = 0; j < len; j++) out[base + j * stride] = x.data[base + j * stride] - m - logS;
  });
  // ∂logsoftmax: gᵢ ↦ gᵢ − softmaxᵢ · Σⱼ gⱼ
  return result("LogSoftmax", out, x.shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    lanes(x.shape, d, (base, stride, len) => {
      let s = 0;
      for (let j = 0; j < len; j++) s += g[base + j * stride];
      for (let j = 0; j < len; j++) gx[base + j * stride] = g[base + j * stride] - Math.exp(out[base + j * stride]) * s;
    });
    return [gx];
  });
}
