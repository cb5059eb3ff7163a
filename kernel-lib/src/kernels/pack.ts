/**
 * Packing of GEMM operands into contiguous micro-panels (the Goto/BLIS layout).
 *
 * Both back ends multiply packed panels, so the four transA/transB cases become one
 * case: an operand is read through a row stride and a column stride while packing,
 * and the micro-kernels only ever see unit-stride panels. Panels are zero-padded to a
 * whole number of rows/columns and to `kcPad` in the shared dimension, so the
 * micro-kernels never handle edges: zeros add nothing to the sums.
 */
import type { FloatArray } from "../tensor/dtype";
// kernels/gemm-wasm.ts imports it from here.
export type { FloatArray } from "../tensor/dtype";

/**
 * Packs rows [i0, i0+mc) and columns [p0, p0+kc) of op(A) into panels of `mr` rows:
 * panel q holds, for each p in [0, kcPad), the `mr` values A(i0+q*mr+r, p0+p).
 * A(i, p) lives at a[aOff + i*rs + p*cs].
 */
export function packA(
  a: FloatArray,
  aOff: number,
  rs: number,
  cs: number,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  kcPad: number,
  mr: number,
  dst: FloatArray,
  dOff: number,
): void {
  let d = dOff;
  for (let q = 0; q < mc; q += mr) {
    const rows = Math.min(mr, mc - q);
    const base = aOff + (i0 + q) * rs + p0 * cs;
    if (rows === mr && mr === 4) {
      // The common case, unrolled: this loop is a visible share of small products.
      let s = base;
      for (let p = 0; p < kc; p++, s += cs, d += 4) {
        dst[d] = a[s];
        dst[d + 1] = a[s + rs];
        dst[d + 2] = a[s + 2 * rs];
        dst[d + 3] = a[s + 3 * rs];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = base + p * cs;
        for (let r = 0; r < mr; r++) dst[d++] = r < rows ? a[s + r * rs] : 0;
      }
    }
    const padEnd = d + (kcPad - kc) * mr;
    dst.fill(0, d, padEnd);
    d = padEnd;
  }
}

/**
 * Packs rows [p0, p0+kc) and columns [0, n) of op(B) into panels of `nr` columns:
 * panel q holds, for each p in [0, kcPad), the `nr` values B(p0+p, q*nr+c).
 * B(p, j) lives at b[bOff + p*rs + j*cs].
 */
export function packB(
  b: FloatArray,
  bOff: number,
  rs: number,
  cs: number,
  p0: number,
  kc: number,
  kcPad: number,
  n: number,
  nr: number,
  dst: FloatArray,
  dOff: number,
): void {
  let d = dOff;
  for (let q = 0; q < n; q += nr) {
    const cols = Math.min(nr, n - q);
    const base = bOff + p0 * rs + q * cs;
    if (cols === nr && cs === 1) {
      // Rows of B are contiguous here: copy runs of nr values.
      for (let p = 0; p < kc; p++, d += nr) {
        const s = base + p * rs;
        for (let c = 0; c < nr; c++) dst[d + c] = b[s + c];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = base + p * rs;
        for (let c = 0; c < nr; c++) dst[d++] = c < cols ? b[s + c * cs] : 0;
      }
    }
    const padEnd = d + (kcPad - kc) * nr;
    dst.fill(0, d, padEnd);
    d = padEnd;
  }
}
