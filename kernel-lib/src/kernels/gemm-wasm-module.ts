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
import { Func, type Local } from "./wasm-emit";

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

function macroKernel(exportName: string, s: KernelShape): Func {
  const es = s.dtype === "f64" ? 8 : 4;
  const lanes = lanesOf(s.dtype);
  const nr = s.nrv * lanes;
  const f = new Func(exportName);
  // add: 1 adds the product into C, 0 stores it over C (the first k-block of a product that does
  // not accumulate: no zero-fill of C beforehand, no read of it here).
  const [kc, mPanels, nPanels, ap, bp, cp, ldc, add] = ["kc", "mPanels", "nPanels", "ap", "bp", "cp", "ldc", "add"].map((n) => f.param(n, "i32"));
  const [bPanel, cCol, aPanel, cTile, ni, nj, aPtr, bPtr, cnt, row, aStride, bStride, cTileStep] = [
    "bPanel", "cCol", "aPanel", "cTile", "ni", "nj", "aPtr", "bPtr", "cnt", "row", "aStride", "bStride", "cTileStep",
  ].map((n) => f.local(n, "i32"));
  // The accumulators acc[r][v], the row of B vectors, the broadcast A value.
  const acc = Array.from({ length: s.mr }, (_, r) => Array.from({ length: s.nrv }, (_, v) => f.local(`acc${r}_${v}`, "v128")));
  const bv = Array.from({ length: s.nrv }, (_, v) => f.local(`b${v}`, "v128"));
  const av = f.local("a", "v128");
  /** local -= 1, and loop again while it is not 0. */
  const countDown = (l: Local): Func => f.localGet(l).i32Const(1).i32Sub().localTee(l).brIf(0);

  f.localGet(kc).i32Const(s.mr * es).i32Mul().localSet(aStride);
  f.localGet(kc).i32Const(nr * es).i32Mul().localSet(bStride);
  f.localGet(ldc).i32Const(s.mr).i32Mul().localSet(cTileStep);
  f.localGet(bp).localSet(bPanel);
  f.localGet(cp).localSet(cCol);
  f.localGet(nPanels).localSet(nj);
  f.loop(); // over B panels
  {
    f.localGet(ap).localSet(aPanel);
    f.localGet(cCol).localSet(cTile);
    f.localGet(mPanels).localSet(ni);
    f.loop(); // over A panels
    {
      for (let r = 0; r < s.mr; r++) for (let v = 0; v < s.nrv; v++) f.v128Zero().localSet(acc[r][v]);
      f.localGet(aPanel).localSet(aPtr);
      f.localGet(bPanel).localSet(bPtr);
      f.localGet(kc).localSet(cnt);
      f.loop(); // over k
      {
        // One k step per iteration: see wasm-features.ts for why not more.
        for (let v = 0; v < s.nrv; v++) f.localGet(bPtr).v128Load(v * lanes * es).localSet(bv[v]);
        for (let r = 0; r < s.mr; r++) {
          f.localGet(aPtr).loadSplat(s.dtype, r * es).localSet(av);
          for (let v = 0; v < s.nrv; v++) {
            if (s.fma) f.localGet(av).localGet(bv[v]).localGet(acc[r][v]).vRelaxedMadd(s.dtype).localSet(acc[r][v]);
            else f.localGet(acc[r][v]).localGet(av).localGet(bv[v]).vMul(s.dtype).vAdd(s.dtype).localSet(acc[r][v]);
          }
        }
        f.inc(aPtr, s.mr * es);
        f.inc(bPtr, nr * es);
        countDown(cnt);
      }
      f.end();
      f.localGet(cTile).localSet(row);
      // The accumulators start at +0, so none is −0: storing one equals adding it to a zeroed C.
      f.localGet(add).if();
      for (let r = 0; r < s.mr; r++) {
        for (let v = 0; v < s.nrv; v++) f.localGet(row).localGet(row).v128Load(v * 16).localGet(acc[r][v]).vAdd(s.dtype).v128Store(v * 16);
        if (r < s.mr - 1) f.incBy(row, ldc);
      }
      f.else();
      for (let r = 0; r < s.mr; r++) {
        for (let v = 0; v < s.nrv; v++) f.localGet(row).localGet(acc[r][v]).v128Store(v * 16);
        if (r < s.mr - 1) f.incBy(row, ldc);
      }
      f.end();
      f.incBy(aPanel, aStride);
      f.incBy(cTile, cTileStep);
      countDown(ni);
    }
    f.end();
    f.incBy(bPanel, bStride);
    f.inc(cCol, nr * es);
    countDown(nj);
  }
  f.end();
  return f;
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
function packKernel(exportName: string, dtype: "f32" | "f64", w: number): Func {
  const es = dtype === "f64" ? 8 : 4;
  const f = new Func(exportName);
  const [src, rs, cs, count, kc, dst] = ["src", "rs", "cs", "count", "kc", "dst"].map((n) => f.param(n, "i32"));
  const [ptr, cnt, left, r] = ["ptr", "cnt", "left", "r"].map((n) => f.local(n, "i32"));
  // rowOffset[r] = r·rs, r = 1 … w − 1
  const rowOffset = Array.from({ length: w - 1 }, (_, i) => f.local(`rs${i + 1}`, "i32"));
  for (let q = 1; q < w; q++) f.localGet(rs).i32Const(q).i32Mul().localSet(rowOffset[q - 1]);
  const rowAddress = (q: number): void => {
    f.localGet(ptr);
    if (q > 0) f.localGet(rowOffset[q - 1]).i32Add();
  };
  const nextP = (): void => {
    f.incBy(ptr, cs);
    f.inc(dst, w * es);
    f.localGet(cnt).i32Const(1).i32Sub().localTee(cnt).brIf(0);
  };
  f.localGet(count).localSet(left);
  f.block(); // exits when fewer than w rows are left
  f.loop();
  {
    f.localGet(left).i32Const(w).i32LtS().brIf(1);
    f.localGet(src).localSet(ptr);
    f.localGet(kc).localSet(cnt);
    f.localGet(rs).i32Const(es).i32Eq();
    f.if(); // the panel's W values are adjacent in memory: copy them as vectors
    f.loop();
    for (let v = 0; v < (w * es) / 16; v++) f.localGet(dst).localGet(ptr).v128Load(v * 16).v128Store(v * 16);
    nextP();
    f.end();
    f.else(); // strided: one value at a time
    f.loop();
    for (let q = 0; q < w; q++) {
      f.localGet(dst);
      rowAddress(q);
      f.floatLoad(dtype, 0).floatStore(dtype, q * es);
    }
    nextP();
    f.end();
    f.end();
    f.localGet(src).localGet(rs).i32Const(w).i32Mul().i32Add().localSet(src);
    f.localGet(left).i32Const(w).i32Sub().localSet(left);
    f.br(0);
  }
  f.end();
  f.end();
  // Partial last panel: zeros, then the rows that exist.
  f.localGet(left).if();
  {
    f.localGet(dst).i32Const(0).localGet(kc).i32Const(w * es).i32Mul().memoryFill();
    f.localGet(src).localSet(ptr);
    f.localGet(kc).localSet(cnt);
    f.loop();
    {
      f.i32Const(0).localSet(r);
      f.loop();
      // dst[r] = *(ptr + r·rs) for r < left
      f.localGet(dst).localGet(r).i32Const(es).i32Mul().i32Add();
      f.localGet(ptr).localGet(r).localGet(rs).i32Mul().i32Add().floatLoad(dtype, 0);
      f.floatStore(dtype, 0);
      f.localGet(r).i32Const(1).i32Add().localTee(r).localGet(left).i32LtS().brIf(0);
      f.end();
      nextP();
    }
    f.end();
  }
  f.end();
  return f;
}

/**
 * The GEMM module's functions: the macro-kernels `gemm_f64` and `gemm_f32` with the given tile
 * shapes, and the packers `pack_f64_<W>` / `pack_f32_<W>` for their MR and NR.
 */
export function gemmFunctions(f64: KernelShape, f32: KernelShape): Func[] {
  const fns = [macroKernel("gemm_f64", f64), macroKernel("gemm_f32", f32)];
  const widths = new Set<string>();
  for (const s of [f64, f32]) {
    for (const w of [s.mr, s.nrv * lanesOf(s.dtype)]) {
      const name = `pack_${s.dtype}_${w}`;
      if (!widths.has(name)) fns.push(packKernel(name, s.dtype, w));
      widths.add(name);
    }
  }
  return fns;
}
