import type { FloatArray } from "../../kernel-lib/src/kernels/gemm";

/** Deterministic pseudo-random values in [-1, 1) (mulberry32), so failures reproduce. */
export function randomArray(ctor: Float32ArrayConstructor | Float64ArrayConstructor, len: number, seed: number): FloatArray {
  let s = seed >>> 0;
  const out = new ctor(len);
  for (let i = 0; i < len; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/**
 * The textbook triple loop in float64, plus Σ|a·b| per entry (the scale that bounds the
 * rounding error of any summation order).
 */
export function naiveGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(m * n),
    scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0,
        t = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
        const y = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
        s += x * y;
        t += Math.abs(x * y);
      }
      value[i * n + j] = s;
      scale[i * n + j] = t;
    }
  }
  return { value, scale };
}
