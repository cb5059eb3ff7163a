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
import { Code, I32, V128, type FunctionDef } from "./wasm-emit";
import { kernelBackend } from "./gemm";
import { ensureMemory, instantiateKernels, type WasmMemory } from "./wasm-instance";

/** fwd(src, dst, codes, rows, ow); bwd(g, codes, gx, rows, ow): byte addresses, rows = N·C·OH. */
export type PoolFn = (a: number, b: number, c: number, rows: number, ow: number) => void;

/** Below this many outputs the copies and the call cost more than the loop saves. */
export const POOL_WASM_MIN: number = 1024;

/** Byte shuffle lanes picking elements `elems` (of `es` bytes) from a‖b. */
function lanes(es: number, elems: number[]): number[] {
  return elems.flatMap((e) => Array.from({ length: es }, (_, b) => e * es + b));
}

// Parameters and locals shared by both functions.
const [P0, P1, P2, ROWS, OW, R, J, STEP, TOP, Q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * for r < rows: for each step j (the last clamped to ow − L): body(), with TOP = the byte address
 * of the row pair's first element of window j in the 2·ow-wide input (base P0 or P2) and Q the
 * output index r·ow + j.
 */
function rowLoop(c: Code, es: number, perStep: number, inputBase: number, body: () => void): void {
  c.i32Const(0).localSet(R);
  c.block().loop();
  c.localGet(R).localGet(ROWS).i32GeS().brIf(1);
  c.i32Const(0).localSet(J);
  c.block().loop();
  // j = min(j, ow − L)
  c.localGet(J).localGet(OW).i32Const(perStep).i32Sub().i32GtS().if();
  c.localGet(OW).i32Const(perStep).i32Sub().localSet(J);
  c.end();
  c.localGet(R).localGet(OW).i32Mul().localGet(J).i32Add().localSet(Q);
  // TOP = base + (r·4·ow + 2j)·es
  c.localGet(inputBase);
  c.localGet(R).localGet(OW).i32Mul().i32Const(4).i32Mul().localGet(J).i32Const(2).i32Mul().i32Add().i32Const(es).i32Mul();
  c.i32Add().localSet(TOP);
  // STEP = the bottom row's offset in bytes, 2·ow·es
  c.localGet(OW).i32Const(2 * es).i32Mul().localSet(STEP);
  body();
  c.localGet(J).i32Const(perStep).i32Add().localTee(J).localGet(OW).i32LtS().brIf(0);
  c.end().end();
  c.localGet(R).i32Const(1).i32Add().localSet(R);
  c.br(0).end().end();
}

export function forwardFunction(f32: boolean): FunctionDef {
  const es = f32 ? 4 : 8;
  const perStep = f32 ? 4 : 2; // windows per step
  const [TE, TO, BE, BO, M1, M2, M3, TV, BV] = [10, 11, 12, 13, 14, 15, 16, 17, 18];
  const c = new Code();
  const evens = lanes(es, f32 ? [0, 2, 4, 6] : [0, 2]);
  const odds = lanes(es, f32 ? [1, 3, 5, 7] : [1, 3]);
  const gt = (): Code => (f32 ? c.f32x4Gt() : c.f64x2Gt());
  const ne = (): Code => (f32 ? c.f32x4Ne() : c.f64x2Ne());
  const eq = (): Code => (f32 ? c.f32x4Eq() : c.f64x2Eq());
  // mask = beats(val, best) = (val > best) | ((val ≠ val) & (best = best))
  const beats = (val: number, best: number, out: number): void => {
    c.localGet(val).localGet(best);
    gt();
    c.localGet(val).localGet(val);
    ne();
    c.localGet(best).localGet(best);
    eq();
    c.v128And().v128Or().localSet(out);
  };
  const pair = (addr: number, offset: number, even: number, odd: number): void => {
    c.localGet(addr).v128Load(offset).localGet(addr).v128Load(offset + 16).i8x16Shuffle(evens).localSet(even);
    c.localGet(addr).v128Load(offset).localGet(addr).v128Load(offset + 16).i8x16Shuffle(odds).localSet(odd);
  };
  // A float64 mask's two 64-bit lanes as two 32-bit lanes (for the int32 codes).
  const narrow = (m: number): void => {
    c.localGet(m);
    if (!f32) c.localGet(m).i8x16Shuffle([0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]);
  };
  rowLoop(c, es, perStep, P0, () => {
    pair(TOP, 0, TE, TO);
    // the bottom row: TOP + STEP
    c.localGet(TOP).localGet(STEP).i32Add().localSet(TOP);
    pair(TOP, 0, BE, BO);
    beats(TO, TE, M1);
    c.localGet(TO).localGet(TE).localGet(M1).v128Bitselect().localSet(TV);
    beats(BO, BE, M2);
    c.localGet(BO).localGet(BE).localGet(M2).v128Bitselect().localSet(BV);
    beats(BV, TV, M3);
    // dst[q] = bitselect(bv, tv, m3)
    c.localGet(P1).localGet(Q).i32Const(es).i32Mul().i32Add();
    c.localGet(BV).localGet(TV).localGet(M3).v128Bitselect().v128Store(0);
    // codes[q] = m3 ? 2 | (m2 & 1) : (m1 & 1)
    c.localGet(P2).localGet(Q).i32Const(4).i32Mul().i32Add();
    narrow(M2);
    c.i32Const(1).i32x4Splat().v128And().i32Const(2).i32x4Splat().v128Or();
    narrow(M1);
    c.i32Const(1).i32x4Splat().v128And();
    narrow(M3);
    c.v128Bitselect();
    if (f32) c.v128Store(0); else c.v128Store64Lane0(0);
  });
  return {
    name: f32 ? "maxpool2_f32" : "maxpool2_f64",
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128],
    body: c,
  };
}

export function backwardFunction(f32: boolean): FunctionDef {
  const es = f32 ? 4 : 8;
  const perStep = f32 ? 4 : 2;
  const [G, C, TL, TR, BL, BR] = [10, 11, 12, 13, 14, 15];
  const c = new Code();
  rowLoop(c, es, perStep, P2, () => {
    // G = g[q] + 0, C = codes[q] (widened to 64-bit lanes for float64)
    c.localGet(P0).localGet(Q).i32Const(es).i32Mul().i32Add().v128Load(0).v128Zero();
    if (f32) c.f32x4Add(); else c.f64x2Add();
    c.localSet(G);
    c.localGet(P1).localGet(Q).i32Const(4).i32Mul().i32Add();
    if (f32) c.v128Load(0); else c.v128Load64Zero(0).i64x2ExtendLowI32x4S();
    c.localSet(C);
    [TL, TR, BL, BR].forEach((out, code) => {
      c.localGet(G).localGet(C).i32Const(code).i32x4Splat();
      if (f32) c.i32x4Eq(); else c.i64x2ExtendLowI32x4S().i64x2Eq();
      c.v128And().localSet(out);
    });
    const lo = lanes(es, f32 ? [0, 4, 1, 5] : [0, 2]);
    const hi = lanes(es, f32 ? [2, 6, 3, 7] : [1, 3]);
    c.localGet(TOP).localGet(TL).localGet(TR).i8x16Shuffle(lo).v128Store(0);
    c.localGet(TOP).localGet(TL).localGet(TR).i8x16Shuffle(hi).v128Store(16);
    c.localGet(TOP).localGet(STEP).i32Add().localSet(TOP);
    c.localGet(TOP).localGet(BL).localGet(BR).i8x16Shuffle(lo).v128Store(0);
    c.localGet(TOP).localGet(BL).localGet(BR).i8x16Shuffle(hi).v128Store(16);
  });
  return {
    name: f32 ? "unpool2_f32" : "unpool2_f64",
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128],
    body: c,
  };
}

interface Kernels {
  memory: WasmMemory;
  fwd32: PoolFn;
  fwd64: PoolFn;
  bwd32: PoolFn;
  bwd64: PoolFn;
}
let kernels: Kernels | null | undefined;

function load(): Kernels | null {
  if (kernels === undefined) {
    kernels = instantiateKernels(
      () => [forwardFunction(true), forwardFunction(false), backwardFunction(true), backwardFunction(false)],
      1,
      (exports) => ({
        memory: exports.memory as WasmMemory,
        fwd32: exports.maxpool2_f32 as PoolFn,
        fwd64: exports.maxpool2_f64 as PoolFn,
        bwd32: exports.unpool2_f32 as PoolFn,
        bwd64: exports.unpool2_f64 as PoolFn,
      }),
      (k) => {
        // V8 compiles at the first call: make it while the flags are set.
        for (const f of [k.fwd32, k.fwd64, k.bwd32, k.bwd64]) f(0, 0, 0, 0, 4);
      },
    );
  }
  return kernels;
}

let enabled = true;

/** Turns the WebAssembly path off (tests compare it with the JavaScript loops). */
export function setPoolWasm(on: boolean): void {
  enabled = on;
}

type Float = Float64Array | Float32Array;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Whether this path takes a 2×2 pool of an h×w input with `outputs` outputs of `es`-byte elements. */
export function maxPool2x2Applies(h: number, w: number, outputs: number, es: number): boolean {
  return enabled && kernelBackend() !== "plain" && h % 2 === 0 && w % 2 === 0 && w / 2 >= 16 / es && outputs >= POOL_WASM_MIN;
}

/** Byte addresses are i32 and compared signed: stay below 2 GiB (larger inputs take the plain path). */
const MAX_BYTES = 2 ** 31 - 65536;

function reserve(k: Kernels, bytes: number): boolean {
  return bytes <= MAX_BYTES && ensureMemory(k.memory, bytes);
}

function view(like: Float, buffer: ArrayBuffer, byteOffset: number, length: number): Float {
  return like instanceof Float32Array ? new Float32Array(buffer, byteOffset, length) : new Float64Array(buffer, byteOffset, length);
}

/**
 * out = the 2×2 maxima of x [planes, h, w] (stride 2), codes = each winner's place in its window;
 * false (nothing done) where this path does not apply (odd sizes, too small, SIMD off or missing).
 */
export function maxPool2x2Wasm(x: Float, out: Float, codes: Int32Array, planes: number, h: number, w: number): boolean {
  const es = x.BYTES_PER_ELEMENT;
  const outputs = planes * (h / 2) * (w / 2);
  if (!maxPool2x2Applies(h, w, outputs, es) || x.length !== planes * h * w || out.length !== outputs || codes.length !== outputs || out.constructor !== x.constructor) return false;
  const k = load();
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
  const k = load();
  const cod = align(outputs * es), dst = cod + align(outputs * 4), end = dst + gx.length * es;
  if (k === null || !reserve(k, end)) return false;
  const buf = k.memory.buffer;
  view(g, buf, 0, outputs).set(g);
  new Int32Array(buf, cod, outputs).set(codes);
  (es === 4 ? k.bwd32 : k.bwd64)(0, cod, dst, planes * (h / 2), w / 2);
  gx.set(view(g, buf, dst, gx.length));
  return true;
}
