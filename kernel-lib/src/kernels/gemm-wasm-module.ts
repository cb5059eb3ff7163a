/**
 * Generates the WebAssembly SIMD macro-kernels for GEMM.
 *
 * One exported function per dtype multiplies a packed block of A (mPanels panels of
 * MR rows) by a packed block of B (nPanels panels of NR columns), both kc deep, and
 * adds the product into C (row stride ldc bytes):
 *
 *   for each B panel j:  for each A panel i:
 *     acc[MR][NR] = 0
 *     for p < kc:  acc[r][·] += splat(A_i[p][r]) · B_j[p][·]     (NR/lanes vectors per row)
 *     C[i·MR + r][j·NR + ·] += acc[r][·]
 *
 * The MR×NR accumulators live in SIMD registers for the whole k loop; x64 has 16 XMM
 * registers and V8 keeps one for scratch, so MR·NR/lanes accumulators plus NR/lanes B
 * vectors plus one broadcast A value must stay within ~15 (the tile sizes in
 * gemm-wasm.ts were chosen by measurement within that budget). Without fused
 * multiply-add (relaxed SIMD is not on by default in Node 20) each step is a mul then an add.
 * The B panel (kc·NR values) stays in L1 while the A panels stream past it.
 */
import { buildModule, Code, I32, V128, type FunctionDef } from "./wasm-emit";

export interface KernelShape {
  dtype: "f32" | "f64";
  /** Rows of the register tile (A panel height). */
  mr: number;
  /** SIMD vectors per tile row; the tile is mr × (nrv · lanes). */
  nrv: number;
  /** Use relaxed SIMD's fused multiply-add (one instruction, one rounding) instead of mul then add. */
  fma: boolean;
}

export function lanesOf(dtype: "f32" | "f64"): number {
  return dtype === "f64" ? 2 : 4;
}

function macroKernel(exportName: string, s: KernelShape): FunctionDef {
  const es = s.dtype === "f64" ? 8 : 4;
  const lanes = lanesOf(s.dtype);
  const nr = s.nrv * lanes;
  // Parameters. ADD: 1 adds the product into C, 0 stores it over C (the first k-block of a
  // product that does not accumulate: no zero-fill of C beforehand, no read of it here).
  const KC = 0, M_PANELS = 1, N_PANELS = 2, AP = 3, BP = 4, CP = 5, LDC = 6, ADD = 7;
  // i32 locals.
  const B_PANEL = 8, C_COL = 9, A_PANEL = 10, C_TILE = 11, NI = 12, NJ = 13, A_PTR = 14, B_PTR = 15, CNT = 16,
    ROW = 17, A_STRIDE = 18, B_STRIDE = 19, C_TILE_STEP = 20;
  const nI32 = 13;
  // v128 locals.
  const ACC = 8 + nI32;
  const BV = ACC + s.mr * s.nrv;
  const AV = BV + s.nrv;
  const locals = [...Array(nI32).fill(I32), ...Array(s.mr * s.nrv + s.nrv + 1).fill(V128)];
  const acc = (r: number, v: number): number => ACC + r * s.nrv + v;
  const mul = (c: Code): Code => (s.dtype === "f64" ? c.f64x2Mul() : c.f32x4Mul());
  const add = (c: Code): Code => (s.dtype === "f64" ? c.f64x2Add() : c.f32x4Add());
  const splat = (c: Code, off: number): Code => (s.dtype === "f64" ? c.v128Load64Splat(off) : c.v128Load32Splat(off));
  const inc = (c: Code, local: number, by: number): Code => c.localGet(local).i32Const(by).i32Add().localSet(local);
  const incLocal = (c: Code, local: number, by: number): Code => c.localGet(local).localGet(by).i32Add().localSet(local);

  const c = new Code();
  c.localGet(KC).i32Const(s.mr * es).i32Mul().localSet(A_STRIDE);
  c.localGet(KC).i32Const(nr * es).i32Mul().localSet(B_STRIDE);
  c.localGet(LDC).i32Const(s.mr).i32Mul().localSet(C_TILE_STEP);
  c.localGet(BP).localSet(B_PANEL);
  c.localGet(CP).localSet(C_COL);
  c.localGet(N_PANELS).localSet(NJ);
  c.loop(); // over B panels
  {
    c.localGet(AP).localSet(A_PANEL);
    c.localGet(C_COL).localSet(C_TILE);
    c.localGet(M_PANELS).localSet(NI);
    c.loop(); // over A panels
    {
      for (let r = 0; r < s.mr; r++) for (let v = 0; v < s.nrv; v++) c.v128Zero().localSet(acc(r, v));
      c.localGet(A_PANEL).localSet(A_PTR);
      c.localGet(B_PANEL).localSet(B_PTR);
      c.localGet(KC).localSet(CNT);
      c.loop(); // over k
      {
        {
          // One k step per iteration: see withCompilerFlags in gemm-wasm.ts for why not more.
          for (let v = 0; v < s.nrv; v++) c.localGet(B_PTR).v128Load(v * lanes * es).localSet(BV + v);
          for (let r = 0; r < s.mr; r++) {
            splat(c.localGet(A_PTR), r * es).localSet(AV);
            for (let v = 0; v < s.nrv; v++) {
              if (s.fma) {
                c.localGet(AV).localGet(BV + v).localGet(acc(r, v));
                (s.dtype === "f64" ? c.f64x2RelaxedMadd() : c.f32x4RelaxedMadd()).localSet(acc(r, v));
              } else {
                c.localGet(acc(r, v)).localGet(AV).localGet(BV + v);
                add(mul(c)).localSet(acc(r, v));
              }
            }
          }
        }
        inc(c, A_PTR, s.mr * es);
        inc(c, B_PTR, nr * es);
        c.localGet(CNT).i32Const(1).i32Sub().localTee(CNT).brIf(0);
      }
      c.end();
      c.localGet(C_TILE).localSet(ROW);
      // The accumulators start at +0, so none is −0: storing one equals adding it to a zeroed C.
      c.localGet(ADD).if();
      for (let r = 0; r < s.mr; r++) {
        for (let v = 0; v < s.nrv; v++) {
          c.localGet(ROW).localGet(ROW).v128Load(v * 16).localGet(acc(r, v));
          add(c).v128Store(v * 16);
        }
        if (r < s.mr - 1) incLocal(c, ROW, LDC);
      }
      c.else();
      for (let r = 0; r < s.mr; r++) {
        for (let v = 0; v < s.nrv; v++) c.localGet(ROW).localGet(acc(r, v)).v128Store(v * 16);
        if (r < s.mr - 1) incLocal(c, ROW, LDC);
      }
      c.end();
      incLocal(c, A_PANEL, A_STRIDE);
      incLocal(c, C_TILE, C_TILE_STEP);
      c.localGet(NI).i32Const(1).i32Sub().localTee(NI).brIf(0);
    }
    c.end();
    incLocal(c, B_PANEL, B_STRIDE);
    inc(c, C_COL, nr * es);
    c.localGet(NJ).i32Const(1).i32Sub().localTee(NJ).brIf(0);
  }
  c.end();
  return { name: exportName, params: Array(8).fill(I32), locals, body: c };
}

/**
 * Packs `count` rows of a matrix X into panels of W rows (the layout of pack.ts):
 * pack(src, rs, cs, count, kc, dst) writes, panel after panel and for each p < kc,
 * the W values X(q·W + r, p) found at src + (q·W + r)·rs + p·cs (strides in bytes).
 * A partial last panel is zero-filled first. Used for A (X = op(A), W = MR) and for B
 * (X = op(B)ᵀ, W = NR). Doing this in WebAssembly instead of JS matters for the
 * products of a small network, where packing is a third of the work: JS managed
 * 2–7 ns per value, this does ~0.3.
 */
function packKernel(exportName: string, es: number, w: number): FunctionDef {
  const SRC = 0, RS = 1, CS = 2, COUNT = 3, KC = 4, DST = 5;
  const PTR = 6, CNT = 7, LEFT = 8, R = 9;
  const ROW = 10; // ROW + r holds r·rs, r = 1 … w-1
  const nI32 = 4 + (w - 1);
  const c = new Code();
  for (let r = 1; r < w; r++) c.localGet(RS).i32Const(r).i32Mul().localSet(ROW + r - 1);
  const rowOff = (r: number): void => {
    c.localGet(PTR);
    if (r > 0) c.localGet(ROW + r - 1).i32Add();
  };
  const nextP = (): void => {
    c.localGet(PTR).localGet(CS).i32Add().localSet(PTR);
    c.localGet(DST).i32Const(w * es).i32Add().localSet(DST);
    c.localGet(CNT).i32Const(1).i32Sub().localTee(CNT).brIf(0);
  };
  c.localGet(COUNT).localSet(LEFT);
  c.block(); // exits when fewer than w rows are left
  c.loop();
  {
    c.localGet(LEFT).i32Const(w).i32LtS().brIf(1);
    c.localGet(SRC).localSet(PTR);
    c.localGet(KC).localSet(CNT);
    c.localGet(RS).i32Const(es).i32Eq();
    c.if(); // the panel's W values are adjacent in memory: copy them as vectors
    c.loop();
    for (let v = 0; v < (w * es) / 16; v++) c.localGet(DST).localGet(PTR).v128Load(v * 16).v128Store(v * 16);
    nextP();
    c.end();
    c.else(); // strided: one value at a time
    c.loop();
    for (let r = 0; r < w; r++) {
      c.localGet(DST);
      rowOff(r);
      c.floatLoad(es, 0).floatStore(es, r * es);
    }
    nextP();
    c.end();
    c.end();
    c.localGet(SRC).localGet(RS).i32Const(w).i32Mul().i32Add().localSet(SRC);
    c.localGet(LEFT).i32Const(w).i32Sub().localSet(LEFT);
    c.br(0);
  }
  c.end();
  c.end();
  // Partial last panel: zeros, then the rows that exist.
  c.localGet(LEFT).if();
  {
    c.localGet(DST).i32Const(0).localGet(KC).i32Const(w * es).i32Mul().memoryFill();
    c.localGet(SRC).localSet(PTR);
    c.localGet(KC).localSet(CNT);
    c.loop();
    {
      c.i32Const(0).localSet(R);
      c.loop();
      // dst[r] = *(ptr + r·rs) for r < left
      c.localGet(DST).localGet(R).i32Const(es).i32Mul().i32Add();
      c.localGet(PTR).localGet(R).localGet(RS).i32Mul().i32Add().floatLoad(es, 0);
      c.floatStore(es, 0);
      c.localGet(R).i32Const(1).i32Add().localTee(R).localGet(LEFT).i32LtS().brIf(0);
      c.end();
      nextP();
    }
    c.end();
  }
  c.end();
  return { name: exportName, params: Array(6).fill(I32), locals: Array(nI32).fill(I32), body: c };
}

/**
 * The module bytes: exports `memory` (its own, or with `sharedMaximum` a shared one it imports
 * for worker threads), the macro-kernels `gemm_f64` and `gemm_f32` with
 * the given tile shapes, and the packers `pack_f64_<W>` / `pack_f32_<W>` for their MR and NR.
 */
export function gemmModuleBytes(f64: KernelShape, f32: KernelShape, sharedMaximum?: number): Uint8Array {
  const fns = [macroKernel("gemm_f64", f64), macroKernel("gemm_f32", f32)];
  const widths = new Set<string>();
  for (const s of [f64, f32]) {
    const es = s.dtype === "f64" ? 8 : 4;
    for (const w of [s.mr, s.nrv * lanesOf(s.dtype)]) {
      const name = `pack_${s.dtype}_${w}`;
      if (!widths.has(name)) fns.push(packKernel(name, es, w));
      widths.add(name);
    }
  }
  return buildModule(fns, 16, sharedMaximum);
}
