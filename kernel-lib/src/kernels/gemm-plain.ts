/**
 * GEMM in plain TypeScript: the reference path, available everywhere.
 *
 * Same blocking as the WebAssembly path (pack B into k-blocks of 4-column panels, pack
 * A into 4-row panels, multiply 4×4 tiles held in 16 local variables) so that it is
 * decent on its own and its sums are formed in the same order as the fast path's.
 * Packing always goes into Float64Array scratch, even for float32 data: the hot loop
 * then sees one array type only (the JIT keeps it monomorphic), products of float32
 * values are exact in float64, and the result is rounded to float32 once per k-block.
 */
import type { FloatArray } from "../tensor/dtype";
import { packA, packB } from "./pack";
import { checkGemmArgs } from "./gemm-args";

const MR = 4;
const NR = 4;
/** k-block: a 4-wide panel of B (KC·4 doubles = 8 KiB) stays in L1 while A streams. */
const KC = 256;
/** m-block: the packed A block (MC·KC doubles = 128 KiB) stays in L2. */
const MC = 64;

const packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(0);
const edge = new Float64Array(16);

export function gemmPlain(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  b: FloatArray,
  bOffset: number,
  c: FloatArray,
  cOffset: number,
  accumulate: boolean,
): void {
  checkGemmArgs("gemmPlain", transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset);
  if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  const aRs = transA ? 1 : k,
    aCs = transA ? m : 1;
  const bRs = transB ? 1 : n,
    bCs = transB ? k : 1;
  if (m < MR) {
    // A row or three (a matrix-vector product, one sample through a layer): packing B
    // would cost as much as the product itself, so read it in place.
    fewRows(m, n, k, a, aOffset, aRs, aCs, b, bOffset, bRs, bCs, transB, c, cOffset);
    return;
  }
  if (n < NR) {
    // A column or three (a layer with one output, the gradient of a column vector): likewise.
    fewCols(m, n, k, a, aOffset, aRs, aCs, b, bOffset, bRs, bCs, c, cOffset);
    return;
  }
  const nPad = Math.ceil(n / NR) * NR;
  if (packedB.length < KC * nPad) packedB = new Float64Array(KC * nPad);
  const ap = packedA,
    bp = packedB;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    packB(b, bOffset, bRs, bCs, p0, kc, kc, n, NR, bp, 0);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = Math.min(MC, m - i0);
      packA(a, aOffset, aRs, aCs, i0, mc, p0, kc, kc, MR, ap, 0);
      for (let j = 0; j < n; j += NR) {
        const cols = Math.min(NR, n - j);
        for (let i = 0; i < mc; i += MR) {
          const rows = Math.min(MR, mc - i);
          tile4x4(kc, ap, i * kc, bp, j * kc, c, cOffset + (i0 + i) * n + j, n, rows, cols);
        }
      }
    }
  }
}

/** C += op(A)·op(B) for m < MR, reading B along its contiguous direction. */
function fewRows(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  aRs: number,
  aCs: number,
  b: FloatArray,
  bOff: number,
  bRs: number,
  bCs: number,
  transB: boolean,
  c: FloatArray,
  cOff: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * aRs,
      ci = cOff + i * n;
    if (transB) {
      // B stored n×k: C[i, j] is a dot product of two contiguous-in-k rows (when !transA).
      for (let j = 0; j < n; j++) {
        let s = 0;
        const bj = bOff + j * bCs;
        for (let p = 0; p < k; p++) s += a[ai + p * aCs] * b[bj + p];
        c[ci + j] += s;
      }
    } else {
      // B stored k×n: add a multiple of each contiguous row of B to row i of C.
      for (let p = 0; p < k; p++) {
        const x = a[ai + p * aCs],
          bp = bOff + p * bRs;
        for (let j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
      }
    }
  }
}

/** C += op(A)·op(B) for n < NR: one dot product per element of C, read with strides in place. */
function fewCols(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  aRs: number,
  aCs: number,
  b: FloatArray,
  bOff: number,
  bRs: number,
  bCs: number,
  c: FloatArray,
  cOff: number,
): void {
  if (aRs === 1) {
    // A stored transposed (a weight gradient Xᵀ·G): its rows run along i, so add a multiple of
    // each to C's column rather than stride across A for every dot product.
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * bCs;
      for (let p = 0; p < k; p++) {
        const x = b[bj + p * bRs],
          ap = aOff + p * aCs;
        for (let i = 0; i < m; i++) c[cOff + i * n + j] += a[ap + i] * x;
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * aRs;
    for (let j = 0; j < n; j++) {
      let s = 0;
      const bj = bOff + j * bCs;
      for (let p = 0; p < k; p++) s += a[ai + p * aCs] * b[bj + p * bRs];
      c[cOff + i * n + j] += s;
    }
  }
}

/** C tile (rows×cols at c[ci], row stride ldc) += packed A panel · packed B panel. */
function tile4x4(
  kc: number,
  ap: Float64Array,
  ai: number,
  bp: Float64Array,
  bi: number,
  c: FloatArray,
  ci: number,
  ldc: number,
  rows: number,
  cols: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  const aEnd = ai + kc * 4;
  for (; ai < aEnd; ai += 4, bi += 4) {
    const b0 = bp[bi],
      b1 = bp[bi + 1],
      b2 = bp[bi + 2],
      b3 = bp[bi + 3];
    let x = ap[ai];
    c00 += x * b0;
    c01 += x * b1;
    c02 += x * b2;
    c03 += x * b3;
    x = ap[ai + 1];
    c10 += x * b0;
    c11 += x * b1;
    c12 += x * b2;
    c13 += x * b3;
    x = ap[ai + 2];
    c20 += x * b0;
    c21 += x * b1;
    c22 += x * b2;
    c23 += x * b3;
    x = ap[ai + 3];
    c30 += x * b0;
    c31 += x * b1;
    c32 += x * b2;
    c33 += x * b3;
  }
  if (rows === 4 && cols === 4) {
    c[ci] += c00;
    c[ci + 1] += c01;
    c[ci + 2] += c02;
    c[ci + 3] += c03;
    ci += ldc;
    c[ci] += c10;
    c[ci + 1] += c11;
    c[ci + 2] += c12;
    c[ci + 3] += c13;
    ci += ldc;
    c[ci] += c20;
    c[ci + 1] += c21;
    c[ci + 2] += c22;
    c[ci + 3] += c23;
    ci += ldc;
    c[ci] += c30;
    c[ci + 1] += c31;
    c[ci + 2] += c32;
    c[ci + 3] += c33;
    return;
  }
  // Edge tile: the padded rows/columns of the panels hold zeros; write back only the real ones.
  const t = edge;
  t[0] = c00;
  t[1] = c01;
  t[2] = c02;
  t[3] = c03;
  t[4] = c10;
  t[5] = c11;
  t[6] = c12;
  t[7] = c13;
  t[8] = c20;
  t[9] = c21;
  t[10] = c22;
  t[11] = c23;
  t[12] = c30;
  t[13] = c31;
  t[14] = c32;
  t[15] = c33;
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < cols; s++) c[ci + r * ldc + s] += t[r * 4 + s];
  }
}
