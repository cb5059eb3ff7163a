/**
 * Activation functions. Each is written to stay finite at ±1000 (the article's sigmoid, computed
 * naively as 1/(1+e^{−z}), overflows e^{1000}); each backward is the textbook derivative expressed
 * through the forward output where that is both cheaper and exact.
 */
import { type FloatArray, allocate, allocateOutput } from "../tensor/dtype";
import { normDim } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";
import { gradMap, map1 } from "../ops/unary";
import { reluGradWasm, reluWasm } from "../kernels/relu-wasm";

/** σ(z) = 1/(1+e^{−z}), evaluated on the side where the exponential cannot overflow. */
export function sigmoidScalar(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** σ(z); σ′(z) = σ(z)(1 − σ(z)). */
export function sigmoid(t: Tensor): Tensor {
  const x = asTensor("sigmoid", t);
  const s = map1(x, sigmoidScalar);
  return result("Sigmoid", s, x.shape, [x], (g) => [gradMap(g, (gi, i) => gi * s[i] * (1 - s[i]))]);
}

/** tanh(z); tanh′(z) = 1 − tanh²(z). */
export function tanh(t: Tensor): Tensor {
  const x = asTensor("tanh", t);
  const y = map1(x, Math.tanh);
  return result("Tanh", y, x.shape, [x], (g) => [gradMap(g, (gi, i) => gi * (1 - y[i] * y[i]))]);
}

/** max(0, z); derivative 1 for z > 0, else 0 (PyTorch's choice at 0). NaN stays NaN, as in PyTorch. */
export function relu(t: Tensor): Tensor {
  const x = asTensor("relu", t);
  const d = x.data;
  const out = allocateOutput(x.dtype, d.length);
  reluInto(d, out);
  return result("Relu", out, x.shape, [x], (g) => {
    const gx = allocateOutput(x.dtype, g.length);
    reluGradInto(d, g, gx);
    return [gx];
  });
}

/*
 * ReLU runs over every hidden activation of every batch (170k values a batch in the CNN
 * benchmark), and `z > 0 ? z : 0` there costs a mispredicted branch for about every other value
 * (~15 ns each on this machine). These two work on the bits instead, without branches, 5-17×
 * faster: the sign bit of a float is its top bit, so `bits & ~(bits >> 31)` (a 32-bit word
 * shifted arithmetically is all ones when negative) keeps a positive float and turns a negative
 * one, −0 and −inf into +0; a NaN (exponent all ones, mantissa not 0) is kept whatever its sign
 * bit (the CPU's own NaNs have it set). `bits & -(z > 0)` keeps a gradient's bits where z > 0 and
 * zeroes them elsewhere. A float64 is two 32-bit words with the sign and exponent in the second
 * (little-endian, as every engine that runs this is); both words take the mask. Arrays of 4096
 * and more go to WebAssembly SIMD first (kernels/relu-wasm.ts, same results, ~5× faster again);
 * these loops are the plain path.
 */
function words(a: FloatArray): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * (a.BYTES_PER_ELEMENT / 4));
}

/** out = relu(d); `out` may be `d` itself. */
export function reluInto(d: FloatArray, out: FloatArray): void {
  if (reluWasm(d, out)) return;
  const src = words(d);
  const dst = words(out);
  if (d instanceof Float32Array) {
    for (let i = 0; i < src.length; i++) {
      const b = src[i];
      const nan = -((b & 0x7fffffff) > 0x7f800000);
      dst[i] = b & (~(b >> 31) | nan);
    }
  } else {
    for (let i = 0; i < src.length; i += 2) {
      const lo = src[i], hi = src[i + 1];
      const mag = hi & 0x7fffffff;
      const nan = -(+(mag > 0x7ff00000) | (+(mag === 0x7ff00000) & +(lo !== 0)));
      const keep = ~(hi >> 31) | nan;
      dst[i] = lo & keep;
      dst[i + 1] = hi & keep;
    }
  }
}

/** gx = g where d > 0, else 0. */
export function reluGradInto(d: FloatArray, g: FloatArray, gx: FloatArray): void {
  if (reluGradWasm(d, g, gx)) return;
  const src = words(g);
  const dst = words(gx);
  if (g instanceof Float32Array) {
    for (let i = 0; i < d.length; i++) dst[i] = src[i] & -(d[i] > 0);
  } else {
    for (let i = 0; i < d.length; i++) {
      const keep = -(d[i] > 0);
      dst[2 * i] = src[2 * i] & keep;
      dst[2 * i + 1] = src[2 * i + 1] & keep;
    }
  }
}

/** z for z > 0, slope·z otherwise (PyTorch default slope 0.01). */
export function leakyRelu(t: Tensor, slope: number = 0.01): Tensor {
  const x = asTensor("leakyRelu", t);
  const d = x.data;
  return result("LeakyRelu", map1(x, (v) => (v > 0 ? v : slope * v)), x.shape, [x], (g) => [
    gradMap(g, (gi, i) => (d[i] > 0 ? gi : slope * gi)),
  ]);
}

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
function logSumExpLanes(d: FloatArray, shape: readonly number[], dim: number, into: (base: number, stride: number, len: number, m: number, s: number) => void): void {
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

/** ln(1 + eᶻ) without overflow: softplus(z) = max(z, 0) + log1p(e^{−|z|}). Derivative σ(z). */
export function softplus(t: Tensor): Tensor {
  const x = asTensor("softplus", t);
  const d = x.data;
  return result("Softplus", map1(x, softplusScalar), x.shape, [x], (g) => [gradMap(g, (gi, i) => gi * sigmoidScalar(d[i]))]);
}

export function softplusScalar(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Derivatives as plain functions of z, for plots and for the article's σ′(z) in backprop by hand. */
export const derivative: {
  sigmoid(z: number): number;
  tanh(z: number): number;
  relu(z: number): number;
  leakyRelu(z: number, slope?: number): number;
} = {
  sigmoid: (z) => {
    const s = sigmoidScalar(z);
    return s * (1 - s);
  },
  tanh: (z) => 1 - Math.tanh(z) ** 2,
  relu: (z) => (z > 0 ? 1 : 0),
  leakyRelu: (z, slope = 0.01) => (z > 0 ? 1 : slope),
};
