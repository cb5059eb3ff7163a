/**
 * The blocked GEMM loop over WebAssembly memory, for a rectangle of C: the whole of it on one
 * thread, or a part of it on each of several (gemm-threads.ts). Everything here is a byte
 * address into one memory, so the same function runs on the main thread and in a worker.
 *
 * The result of an element of C does not depend on the rectangle it was computed in: every
 * element sums the same k-blocks in the same order through the same register tile, so a
 * product split across threads is bit-identical to the single-threaded one.
 */

/** add: 1 adds the product into C, 0 stores it over C. */
export type MacroKernel = (kc: number, mPanels: number, nPanels: number, ap: number, bp: number, cp: number, ldcBytes: number, add: number) => void;
/** pack(src, rowStrideBytes, colStrideBytes, rows, kc, dst): see packKernel in gemm-wasm-module.ts. */
export type Packer = (src: number, rs: number, cs: number, count: number, kc: number, dst: number) => void;

/** The macro-kernel and packers of one dtype, as the module exports them. */
export interface DtypeKernels {
  macro: MacroKernel;
  packA: Packer;
  packB: Packer;
}

/**
 * One product laid out in memory: [A as stored | B as stored | C (padded to whole tiles)], all
 * positions in elements, plus the blocking. Packing buffers are per thread, outside this layout.
 */
export interface GemmLayout {
  /** Element size in bytes: 8 (f64) or 4 (f32). */
  es: number;
  /** Register tile rows and columns. */
  mr: number;
  nr: number;
  /** k-block and m-block (see Blocking in gemm-wasm.ts). */
  kc: number;
  mc: number;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  aRaw: number;
  bRaw: number;
  cBase: number;
  /** Row stride of C in memory: n rounded up to whole tiles. */
  nPad: number;
  /** C = op(A)·op(B), not C += …: the first k-block stores over C (which need not be zeroed). */
  overwrite: boolean;
}

/**
 * Packing space (elements) one thread needs for rows of up to `rows` and columns of up to `cols`:
 * an MC×KC block of A and a KC×cols block of B, each 16-byte aligned.
 */
export function packSpace(L: GemmLayout, cols: number): { aLength: number; bLength: number } {
  const kc = Math.min(L.kc, L.k);
  const mc = Math.ceil(Math.min(L.mc, L.m) / L.mr) * L.mr;
  const colsPad = Math.ceil(cols / L.nr) * L.nr;
  return { aLength: Math.ceil((mc * kc) / 4) * 4, bLength: Math.ceil((kc * colsPad) / 4) * 4 };
}

/**
 * C[rowStart:rowEnd, colStart:colEnd] += op(A)·op(B) over the whole k, packing into the given
 * buffers (element positions). rowStart is a multiple of mr and colStart of nr, so that the
 * padded tiles of two rectangles never overlap.
 */
export function gemmRange(
  f: DtypeKernels,
  L: GemmLayout,
  rowStart: number,
  rowEnd: number,
  colStart: number,
  colEnd: number,
  aPack: number,
  bPack: number,
): void {
  const { es, mr, nr, k, nPad } = L;
  // op(A)(i, p) is at aRaw + i·aRs + p·aCs, op(B)(p, j) at bRaw + p·bRs + j·bCs (elements).
  const aRs = L.transA ? 1 : k,
    aCs = L.transA ? L.m : 1;
  const bRs = L.transB ? 1 : L.n,
    bCs = L.transB ? k : 1;
  const cols = colEnd - colStart;
  const panels = Math.ceil(cols / nr);
  for (let p0 = 0; p0 < k; p0 += L.kc) {
    const kc = Math.min(L.kc, k - p0);
    // B's panels run along j: its "rows" for the packer are the columns of op(B).
    f.packB((L.bRaw + p0 * bRs + colStart * bCs) * es, bCs * es, bRs * es, cols, kc, bPack * es);
    for (let i0 = rowStart; i0 < rowEnd; i0 += L.mc) {
      const mc = Math.min(L.mc, rowEnd - i0);
      f.packA((L.aRaw + i0 * aRs + p0 * aCs) * es, aRs * es, aCs * es, mc, kc, aPack * es);
      f.macro(
        kc,
        Math.ceil(mc / mr),
        panels,
        aPack * es,
        bPack * es,
        (L.cBase + i0 * nPad + colStart) * es,
        nPad * es,
        L.overwrite && p0 === 0 ? 0 : 1,
      );
    }
  }
}

/** The layout's fields in the order they travel through the threads' shared control array. */
const FIELDS = ["es", "mr", "nr", "kc", "mc", "transA", "transB", "m", "n", "k", "aRaw", "bRaw", "cBase", "nPad", "overwrite"] as const;
export const LAYOUT_INTS: number = FIELDS.length;

export function writeLayout(to: Int32Array, at: number, L: GemmLayout): void {
  FIELDS.forEach((name, i) => {
    const v = L[name];
    to[at + i] = typeof v === "boolean" ? (v ? 1 : 0) : v;
  });
}

export function readLayout(from: Int32Array, at: number): GemmLayout {
  const v = (i: number): number => from[at + i];
  return {
    es: v(0),
    mr: v(1),
    nr: v(2),
    kc: v(3),
    mc: v(4),
    transA: v(5) === 1,
    transB: v(6) === 1,
    m: v(7),
    n: v(8),
    k: v(9),
    aRaw: v(10),
    bRaw: v(11),
    cBase: v(12),
    nPad: v(13),
    overwrite: v(14) === 1,
  };
}
