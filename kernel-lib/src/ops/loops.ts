/**
 * The element loops of the small ops, each in a function of its own. Written inline in an op,
 * next to its allocation and graph bookkeeping, the same loop ran about half as fast: `sum()` of
 * 200 weights took ~160 ns with its loop inline and ~95 ns calling it (bench/NOTES.md). Four
 * loads before four stores: after each store to a typed array the engine reloads every array's
 * length and data pointer, which cost more than the arithmetic.
 */
import type { FloatArray } from "../tensor/dtype";

/** Σ d[i] with four running sums, combined as (s₀ + s₁) + (s₂ + s₃): one sum waits ~4 cycles on every addition. */
export function sumAll(d: FloatArray): number {
  const n = d.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    s0 += d[i];
    s1 += d[i + 1];
    s2 += d[i + 2];
    s3 += d[i + 3];
  }
  for (; i < n; i++) s0 += d[i];
  return s0 + s1 + (s2 + s3);
}

/** out[i] = d[i]² */
export function squareInto(d: FloatArray, out: FloatArray): void {
  const n = d.length;
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    // Each element loaded once into a local: d[i] * d[i] loaded it twice, slower in float32 (bench/NOTES.md).
    const x0 = d[i];
    const x1 = d[i + 1];
    const x2 = d[i + 2];
    const x3 = d[i + 3];
    out[i] = x0 * x0;
    out[i + 1] = x1 * x1;
    out[i + 2] = x2 * x2;
    out[i + 3] = x3 * x3;
  }
  for (; i < n; i++) out[i] = d[i] * d[i];
}

/** out[i] = 2·g[i]·d[i] (square's backward) */
export function twiceProductInto(g: FloatArray, d: FloatArray, out: FloatArray): void {
  const n = out.length;
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    const v0 = 2 * g[i] * d[i];
    const v1 = 2 * g[i + 1] * d[i + 1];
    const v2 = 2 * g[i + 2] * d[i + 2];
    const v3 = 2 * g[i + 3] * d[i + 3];
    out[i] = v0;
    out[i + 1] = v1;
    out[i + 2] = v2;
    out[i + 3] = v3;
  }
  for (; i < n; i++) out[i] = 2 * g[i] * d[i];
}

/**
 * out[i] = v. TypedArray.prototype.fill is a call into the engine's C++ (~15 ns however short the
 * array): a loop is faster up to a few dozen elements, the builtin beyond (200 doubles: ~37 ns
 * against ~70).
 */
export function fillWith(out: FloatArray, v: number): FloatArray {
  const n = out.length;
  if (n > 16) return out.fill(v);
  for (let i = 0; i < n; i++) out[i] = v;
  return out;
}
