/**
 * 2×2 max pooling with stride 2 (the CNN's pooling) and its gradient in WebAssembly SIMD.
 * The JavaScript loops cost ~3-4 ns an element (every typed-array access checked, a scalar
 * comparison chain per window); here one step handles 4 float32 windows (2 float64) with
 * shuffles and lane masks, and the gradient is written whole instead of scattered.
 *
 * Each window's winner is kept as a code 0..3 (top-left, top-right, bottom-left, bottom-right),
 * picked exactly as functional/pool.ts's plain 2×2 loop picks it: the larger of each row's pair,
 * then the larger of the two winners, where a value beats the best so far when it is larger, or
 * NaN while the best is not; ties keep the first in row-major order. The gradient is 0 + g at the
 * winner (as the plain loop's gx[at] += g on zeros, which turns −0 into +0) and 0 elsewhere.
 *
 * Only even heights and widths take this path (the input is then a run of row pairs, one per
 * output row), with at least one SIMD step of windows per row; the last step of a row may
 * overlap the one before it, which rewrites the same values.
 */
import { Func, type FloatKind, type Local } from "./wasm-emit";
import { kernelBackend } from "./gemm";
import { defineKernel } from "./wasm-kernel";
import { align16 as align, floatView as view, reserve } from "./wasm-memory";
import type { WasmMemory } from "./wasm-features";

/** fwd(src, dst, codes, rows, ow); bwd(g, codes, gx, rows, ow): byte addresses, rows = N·C·OH. */
export type PoolFn = (a: number, b: number, c: number, rows: number, ow: number) => void;

/** Below this many outputs the copies and the call cost more than the loop saves. */
export const POOL_WASM_MIN: number = 1024;

/** Byte shuffle lanes picking elements `elems` (of `es` bytes) from a‖b. */
function lanes(es: number, elems: number[]): number[] {
  return elems.flatMap((e) => Array.from({ length: es }, (_, b) => e * es + b));
}

/** A pooling function's three address parameters (named `names`), its sizes, and the row loop's locals. */
function poolFunc(name: string, names: [string, string, string]) {
  const f = new Func(name);
  const [a, b, c] = names.map((n) => f.param(n, "i32")) as [Local, Local, Local];
  const rows = f.param("rows", "i32"), ow = f.param("ow", "i32");
  const r = f.local("r", "i32"), j = f.local("j", "i32"), step = f.local("step", "i32"), top = f.local("top", "i32"), q = f.local("q", "i32");
  return { f, a, b, c, rows, ow, r, j, step, top, q };
}
type PoolFunc = ReturnType<typeof poolFunc>;

/**
 * for r < rows: for each step j (the last clamped to ow − L): body(), with top = the byte address
 * of the row pair's first element of window j in the 2·ow-wide input (base `input`) and q the
 * output index r·ow + j.
 */
function rowLoop(P: PoolFunc, es: number, perStep: number, input: Local, body: () => void): void {
  const { f, rows, ow, r, j, step, top, q } = P;
  f.forRange(r, 0, rows, () => {
    f.i32Const(0).localSet(j);
    f.block().loop();
    // j = min(j, ow − L)
    f.localGet(j).localGet(ow).i32Const(perStep).i32Sub().i32GtS().if();
    f.localGet(ow).i32Const(perStep).i32Sub().localSet(j);
    f.end();
    f.localGet(r).localGet(ow).i32Mul().localGet(j).i32Add().localSet(q);
    // top = input + (r·4·ow + 2j)·es
    f.localGet(input);
    f.localGet(r).localGet(ow).i32Mul().i32Const(4).i32Mul().localGet(j).i32Const(2).i32Mul().i32Add().i32Const(es).i32Mul();
    f.i32Add().localSet(top);
    // step = the bottom row's offset in bytes, 2·ow·es
    f.localGet(ow).i32Const(2 * es).i32Mul().localSet(step);
    body();
    f.localGet(j).i32Const(perStep).i32Add().localTee(j).localGet(ow).i32LtS().brIf(0);
    f.end().end();
  });
}

export function forwardFunction(kind: FloatKind): Func {
  const f32 = kind === "f32";
  const es = f32 ? 4 : 8;
  const perStep = f32 ? 4 : 2; // windows per step
  const P = poolFunc(`maxpool2_${kind}`, ["src", "dst", "codes"]);
  const { f, a: src, b: dst, c: codes, step, top, q } = P;
  // top row's even and odd columns, the bottom row's, the three "beats" masks, the two row winners
  const [te, to, be, bo, m1, m2, m3, tv, bv] = ["te", "to", "be", "bo", "m1", "m2", "m3", "tv", "bv"].map((n) => f.local(n, "v128"));
  const evens = lanes(es, f32 ? [0, 2, 4, 6] : [0, 2]);
  const odds = lanes(es, f32 ? [1, 3, 5, 7] : [1, 3]);
  // mask = beats(val, best) = (val > best) | ((val ≠ val) & (best = best))
  const beats = (val: Local, best: Local, out: Local): void => {
    f.localGet(val).localGet(best).vGt(kind);
    f.localGet(val).localGet(val).vNe(kind);
    f.localGet(best).localGet(best).vEq(kind);
    f.v128And().v128Or().localSet(out);
  };
  const pair = (addr: Local, even: Local, odd: Local): void => {
    f.localGet(addr).v128Load(0).localGet(addr).v128Load(16).i8x16Shuffle(evens).localSet(even);
    f.localGet(addr).v128Load(0).localGet(addr).v128Load(16).i8x16Shuffle(odds).localSet(odd);
  };
  // A float64 mask's two 64-bit lanes as two 32-bit lanes (for the int32 codes).
  const narrow = (m: Local): void => {
    f.localGet(m);
    if (!f32) f.localGet(m).i8x16Shuffle([0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]);
  };
  rowLoop(P, es, perStep, src, () => {
    pair(top, te, to);
    // the bottom row: top + step
    f.incBy(top, step);
    pair(top, be, bo);
    beats(to, te, m1);
    f.localGet(to).localGet(te).localGet(m1).v128Bitselect().localSet(tv);
    beats(bo, be, m2);
    f.localGet(bo).localGet(be).localGet(m2).v128Bitselect().localSet(bv);
    beats(bv, tv, m3);
    // dst[q] = bitselect(bv, tv, m3)
    f.localGet(dst).localGet(q).i32Const(es).i32Mul().i32Add();
    f.localGet(bv).localGet(tv).localGet(m3).v128Bitselect().v128Store(0);
    // codes[q] = m3 ? 2 | (m2 & 1) : (m1 & 1)
    f.localGet(codes).localGet(q).i32Const(4).i32Mul().i32Add();
    narrow(m2);
    f.i32Const(1).i32x4Splat().v128And().i32Const(2).i32x4Splat().v128Or();
    narrow(m1);
    f.i32Const(1).i32x4Splat().v128And();
    narrow(m3);
    f.v128Bitselect();
    if (f32) f.v128Store(0); else f.v128Store64Lane0(0);
  });
  return f;
}

export function backwardFunction(kind: FloatKind): Func {
  const f32 = kind === "f32";
  const es = f32 ? 4 : 8;
  const perStep = f32 ? 4 : 2;
  const P = poolFunc(`unpool2_${kind}`, ["g", "codes", "gx"]);
  const { f, a: g, b: codes, c: gx, step, top, q } = P;
  const [gv, cv, tl, tr, bl, br] = ["gv", "cv", "tl", "tr", "bl", "br"].map((n) => f.local(n, "v128"));
  rowLoop(P, es, perStep, gx, () => {
    // gv = g[q] + 0, cv = codes[q] (widened to 64-bit lanes for float64)
    f.localGet(g).localGet(q).i32Const(es).i32Mul().i32Add().v128Load(0).v128Zero().vAdd(kind);
    f.localSet(gv);
    f.localGet(codes).localGet(q).i32Const(4).i32Mul().i32Add();
    if (f32) f.v128Load(0); else f.v128Load64Zero(0).i64x2ExtendLowI32x4S();
    f.localSet(cv);
    [tl, tr, bl, br].forEach((out, code) => {
      f.localGet(gv).localGet(cv).i32Const(code).i32x4Splat();
      if (f32) f.i32x4Eq(); else f.i64x2ExtendLowI32x4S().i64x2Eq();
      f.v128And().localSet(out);
    });
    const lo = lanes(es, f32 ? [0, 4, 1, 5] : [0, 2]);
    const hi = lanes(es, f32 ? [2, 6, 3, 7] : [1, 3]);
    f.localGet(top).localGet(tl).localGet(tr).i8x16Shuffle(lo).v128Store(0);
    f.localGet(top).localGet(tl).localGet(tr).i8x16Shuffle(hi).v128Store(16);
    f.incBy(top, step);
    f.localGet(top).localGet(bl).localGet(br).i8x16Shuffle(lo).v128Store(0);
    f.localGet(top).localGet(bl).localGet(br).i8x16Shuffle(hi).v128Store(16);
  });
  return f;
}

interface Kernels {
  memory: WasmMemory;
  fwd32: PoolFn;
  fwd64: PoolFn;
  bwd32: PoolFn;
  bwd64: PoolFn;
}
const poolKernel = defineKernel<Kernels>({
  name: "pool",
  functions: () => [forwardFunction("f32"), forwardFunction("f64"), backwardFunction("f32"), backwardFunction("f64")],
  exports: (e) => ({
    memory: e.memory as WasmMemory,
    fwd32: e.maxpool2_f32 as PoolFn,
    fwd64: e.maxpool2_f64 as PoolFn,
    bwd32: e.unpool2_f32 as PoolFn,
    bwd64: e.unpool2_f64 as PoolFn,
  }),
  warm: (k) => {
    for (const f of [k.fwd32, k.fwd64, k.bwd32, k.bwd64]) f(0, 0, 0, 0, 4);
  },
});

let enabled = true;

/** Turns the WebAssembly path off (tests compare it with the JavaScript loops). */
export function setPoolWasm(on: boolean): void {
  enabled = on;
}

type Float = Float64Array | Float32Array;

/** Whether this path takes a 2×2 pool of an h×w input with `outputs` outputs of `es`-byte elements. */
export function maxPool2x2Applies(h: number, w: number, outputs: number, es: number): boolean {
  return enabled && kernelBackend() !== "plain" && h % 2 === 0 && w % 2 === 0 && w / 2 >= 16 / es && outputs >= POOL_WASM_MIN;
}

/**
 * out = the 2×2 maxima of x [planes, h, w] (stride 2), codes = each winner's place in its window;
 * false (nothing done) where this path does not apply (odd sizes, too small, SIMD off or missing).
 */
export function maxPool2x2Wasm(x: Float, out: Float, codes: Int32Array, planes: number, h: number, w: number): boolean {
  const es = x.BYTES_PER_ELEMENT;
  const outputs = planes * (h / 2) * (w / 2);
  if (!maxPool2x2Applies(h, w, outputs, es) || x.length !== planes * h * w || out.length !== outputs || codes.length !== outputs || out.constructor !== x.constructor) return false;
  const k = poolKernel.load();
  const dst = align(x.length * es), cod = dst + align(outputs * es), end = cod + outputs * 4;
  if (k === null || !reserve(k, end)) return false;
  const buf = k.memory.buffer;
  view(x, buf, 0, x.length).set(x);
  (es === 4 ? k.fwd32 : k.fwd64)(0, dst, cod, planes * (h / 2), w / 2);
  out.set(view(x, buf, dst, outputs));
  codes.set(new Int32Array(buf, cod, outputs));
  return true;
}

/** gx [planes, h, w] = g at each window's winner (as maxPool2x2Wasm coded it), 0 elsewhere; false where it does not apply. */
export function maxPool2x2GradWasm(g: Float, codes: Int32Array, gx: Float, planes: number, h: number, w: number): boolean {
  const es = g.BYTES_PER_ELEMENT;
  const outputs = planes * (h / 2) * (w / 2);
  if (!maxPool2x2Applies(h, w, outputs, es) || g.length !== outputs || codes.length !== outputs || gx.length !== planes * h * w || gx.constructor !== g.constructor) return false;
  const k = poolKernel.load();
  const cod = align(outputs * es), dst = cod + align(outputs * 4), end = dst + gx.length * es;
  if (k === null || !reserve(k, end)) return false;
  const buf = k.memory.buffer;
  view(g, buf, 0, outputs).set(g);
  new Int32Array(buf, cod, outputs).set(codes);
  (es === 4 ? k.bwd32 : k.bwd64)(0, cod, dst, planes * (h / 2), w / 2);
  gx.set(view(g, buf, dst, gx.length));
  return true;
}
