/** The rectified linear unit max(0, z), the hidden activation of most networks since 2012. */
import { type FloatArray, allocateOutput } from "../../tensor/dtype";
import type { Tensor } from "../../tensor/tensor";
import { result } from "../../autograd/graph";
import { asTensor } from "../../ops/operands";
import { reluGradWasm, reluWasm } from "../../kernels/relu-wasm";
import { Module as Layer } from "../../nn/module";

/** max(0, z); NaN stays NaN, as in the op. */
export function f(z: number): number {
  return Math.max(z, 0);
}

/** 1 for z > 0, else 0 (PyTorch's choice at 0). The op's backward computes the same on the bits. */
export function derivative(z: number): number {
  return z > 0 ? 1 : 0;
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
 * benchmark), and `z > 0 ? z : 0` there costs a mispredicted branch for about every other value.
 * These two work on the bits instead, without branches, several times faster (bench/NOTES.md):
 * the sign bit of a float is its top bit, so `bits & ~(bits >> 31)` (a 32-bit word
 * shifted arithmetically is all ones when negative) keeps a positive float and turns a negative
 * one, −0 and −inf into +0; a NaN (exponent all ones, mantissa not 0) is kept whatever its sign
 * bit (the CPU's own NaNs have it set). `bits & -(z > 0)` keeps a gradient's bits where z > 0 and
 * zeroes them elsewhere. A float64 is two 32-bit words with the sign and exponent in the second
 * (little-endian, as every engine that runs this is); both words take the mask. Large arrays go to
 * WebAssembly SIMD first (kernels/relu-wasm.ts, same results); these loops are the plain path.
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
      const lo = src[i],
        hi = src[i + 1];
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

export class ReLU extends Layer {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** √2, as PyTorch's calculate_gain("relu"). */
export function gain(): number {
  return Math.SQRT2;
}

export { relu as op, ReLU as Module };
