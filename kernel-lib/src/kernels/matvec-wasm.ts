/**
 * Matrix times column in WebAssembly SIMD, for the small products of a one-output layer (the
 * weight-decay loop's [5, 200]·[200, 1] forward and its weight gradient [200, 5]ᵀ·[5, 1]). In
 * JavaScript each takes ~1 µs (every typed-array access checked, one element at a time); here,
 * copies included, ~0.4 µs.
 *
 *   mv    y[i] = Σ_p a[i, p]·x[p]       a [m, k] row-major, k a multiple of 4
 *   mvT   y[r] = Σ_p a[p, r]·g[p]       a [k, m] row-major (the product aᵀ·g), m a multiple of 4
 *
 * Sums are in float64 for both dtypes (float32 elements are widened, as JavaScript reads them) and
 * a float32 result is rounded once, when stored. mv keeps four partial sums per row, s_q over
 * p ≡ q (mod 4), and returns (s₀ + s₁) + (s₂ + s₃): the order of ops/matmul.ts's dotRun. mvT sums
 * each output over p in order: the order of its columnTransA, so that path is bit-identical.
 */
import { Func, type FloatKind, type Local } from "./wasm-emit";
import { kernelBackend } from "./gemm";
import { defineKernel } from "./wasm-kernel";
import type { WasmMemory } from "./wasm-features";
import { reserve, Windows } from "./wasm-memory";

type Fn = (a: number, x: number, y: number, m: number, k: number) => void;

interface Kernels {
  memory: WasmMemory;
  mv32: Fn;
  mv64: Fn;
  mvT32: Fn;
  mvT64: Fn;
}

/** Below this many multiply-adds the call and copies cost more than the JavaScript loop. */
export const MATVEC_WASM_MIN: number = 256;

/** A function of (a, x, y, m, k): both kernels take the same parameters. */
function matvecFunc(name: string): { f: Func; a: Local; x: Local; y: Local; m: Local; k: Local } {
  const f = new Func(name);
  const [a, x, y, m, k] = ["a", "x", "y", "m", "k"].map((n) => f.param(n, "i32")) as [Local, Local, Local, Local, Local];
  return { f, a, x, y, m, k };
}

function mvFunction(kind: FloatKind): Func {
  const f32 = kind === "f32";
  const es = f32 ? 4 : 8;
  const { f, a, x, y, m, k } = matvecFunc(`mv_${kind}`);
  const i = f.local("i", "i32"), xp = f.local("xp", "i32"), end = f.local("end", "i32"), last = f.local("last", "i32");
  // Up to two rows at a time, each with its two accumulators (four running sums): one row's sums
  // wait on their own additions, ~4 cycles each, and the other row's fill that wait. Each row is
  // still summed in its own order, so one row or two give the same bits.
  const rows = [0, 1].map((r) => ({
    ap: f.local(`ap${r}`, "i32"),
    acc0: f.local(`acc${r}0`, "v128"),
    acc1: f.local(`acc${r}1`, "v128"),
  }));
  /** acc += four elements of a row times four of x (float32 widened two at a time). */
  const madd = (acc: Local, ap: Local, offset: number): void => {
    f.localGet(acc).localGet(ap);
    if (f32) f.v128Load64Zero(offset).f64x2PromoteLowF32x4().localGet(xp).v128Load64Zero(offset).f64x2PromoteLowF32x4();
    else f.v128Load(offset).localGet(xp).v128Load(offset);
    f.f64x2Mul().f64x2Add().localSet(acc);
  };
  /** Rows i … i + count − 1: their four partial sums each, as float64, at y + 32·row (combined in JavaScript). */
  const block = (count: number): void => {
    const rs = rows.slice(0, count);
    for (const [r, { ap, acc0, acc1 }] of rs.entries()) {
      f.v128Zero().localSet(acc0).v128Zero().localSet(acc1);
      f.localGet(a).localGet(i).i32Const(r).i32Add().localGet(k).i32Mul().i32Const(es).i32Mul().i32Add().localSet(ap);
    }
    f.localGet(x).localSet(xp);
    f.localGet(rs[0].ap).localGet(k).i32Const(es).i32Mul().i32Add().localSet(end);
    f.whileLess(rs[0].ap, end, () => {
      for (const { ap, acc0, acc1 } of rs) {
        madd(acc0, ap, 0);
        madd(acc1, ap, 2 * es);
        f.inc(ap, 4 * es);
      }
      f.inc(xp, 4 * es);
    });
    for (const [r, { acc0, acc1 }] of rs.entries()) {
      f.localGet(y).localGet(i).i32Const(r).i32Add().i32Const(32).i32Mul().i32Add().localGet(acc0).v128Store(0);
      f.localGet(y).localGet(i).i32Const(r).i32Add().i32Const(32).i32Mul().i32Add().localGet(acc1).v128Store(16);
    }
    f.inc(i, count);
  };
  f.i32Const(0).localSet(i);
  f.localGet(m).i32Const(1).i32Sub().localSet(last);
  f.whileLess(i, last, () => block(2)); // while i + 1 < m
  f.whileLess(i, m, () => block(1)); // an odd last row
  return f;
}

function mvTFunction(kind: FloatKind): Func {
  const f32 = kind === "f32";
  const es = f32 ? 4 : 8;
  const { f, a, x: g, y, m, k } = matvecFunc(`mvT_${kind}`);
  const r = f.local("r", "i32"), ap = f.local("ap", "i32"), p = f.local("p", "i32");
  const gv = f.local("gv", "v128");
  const acc = [0, 1, 2, 3].map((j) => f.local(`acc${j}`, "v128")); // up to four float64 pairs
  // Outputs r … r + 2q − 1 at a time (q float64 pairs), each summed over p in order. Eight at a
  // time while eight remain (one load of g[p] serves four pairs), then four.
  const outputs = (q: number): void => {
    f.block().loop();
    f.localGet(r).i32Const(2 * q).i32Add().localGet(m).i32GtS().brIf(1);
    for (let j = 0; j < q; j++) f.v128Zero().localSet(acc[j]);
    f.localGet(a).localGet(r).i32Const(es).i32Mul().i32Add().localSet(ap);
    f.forRange(p, 0, k, () => {
      // splat(g[p]) as float64
      f.localGet(g).localGet(p).i32Const(es).i32Mul().i32Add();
      if (f32) f.v128Load32Splat(0).f64x2PromoteLowF32x4();
      else f.v128Load64Splat(0);
      f.localSet(gv);
      for (let j = 0; j < q; j++) {
        f.localGet(acc[j]).localGet(ap);
        if (f32) f.v128Load64Zero(8 * j).f64x2PromoteLowF32x4();
        else f.v128Load(16 * j);
        f.localGet(gv).f64x2Mul().f64x2Add().localSet(acc[j]);
      }
      f.localGet(ap).localGet(m).i32Const(es).i32Mul().i32Add().localSet(ap);
    });
    // Outputs at y + es·r in the operands' dtype: float32 rounded once here (nearest, as a
    // Float32Array store rounds), so that JavaScript copies them out with a memcpy.
    for (let j = 0; j < q; j++) {
      f.localGet(y).localGet(r).i32Const(es).i32Mul().i32Add().localGet(acc[j]);
      if (f32) f.f32x4DemoteF64x2Zero().v128Store64Lane0(8 * j);
      else f.v128Store(16 * j);
    }
    f.inc(r, 2 * q);
    f.br(0).end().end();
  };
  f.i32Const(0).localSet(r);
  outputs(4);
  outputs(2);
  return f;
}

const matvecKernel = defineKernel<Kernels>({
  name: "matvec",
  functions: () => [mvFunction("f32"), mvFunction("f64"), mvTFunction("f32"), mvTFunction("f64")],
  exports: (e) => ({ memory: e.memory as WasmMemory, mv32: e.mv_f32 as Fn, mv64: e.mv_f64 as Fn, mvT32: e.mvT_f32 as Fn, mvT64: e.mvT_f64 as Fn }),
  // No work: m = 0.
  warm: (k) => {
    for (const f of [k.mv32, k.mv64, k.mvT32, k.mvT64]) f(0, 0, 0, 0, 4);
  },
});

let enabled = true;

/** Turns these paths off (tests compare them with the JavaScript loops). */
export function setMatvecWasm(on: boolean): void {
  enabled = on;
}

type Float = Float64Array | Float32Array;

let wide = new Float64Array(0);
let narrow = new Float32Array(0);
let wideWindows = new Windows(wide);
let narrowWindows = new Windows(narrow);

/**
 * The memory grown to `bytes` and views of it; null where this path is off or unavailable. The
 * views' length stands for the memory's size: only this file grows this memory, and reading
 * memory.buffer on every call was a visible part of a 0.4 µs product.
 */
function prepare(bytes: number): Kernels | null {
  if (!enabled || kernelBackend() === "plain") return null;
  const k = matvecKernel.load();
  if (k === null) return null;
  if (bytes > wide.length * 8) {
    if (!reserve(k, bytes)) return null;
    wide = new Float64Array(k.memory.buffer);
    narrow = new Float32Array(k.memory.buffer);
    wideWindows = new Windows(wide);
    narrowWindows = new Windows(narrow);
  }
  return k;
}

/**
 * 4 or 8: the element size when all three arrays have one dtype, else 0. instanceof rather than
 * `.constructor` or BYTES_PER_ELEMENT: those are prototype lookups that the engine left as
 * generic property loads here (several a call, on a 0.4 µs product).
 */
function dtypeSize(a: Float, b: Float, c: Float): number {
  const f32 = a instanceof Float32Array;
  if (f32 !== (b instanceof Float32Array) || f32 !== (c instanceof Float32Array)) return 0;
  return f32 ? 4 : 8;
}

/** Copies src (its first n elements) to byte `at` through the views kept above: no allocation per call. */
function stage(src: Float, n: number, at: number): void {
  const whole = src.length === n ? src : src.subarray(0, n);
  if (src instanceof Float32Array) narrow.set(whole, at / 4);
  else wide.set(whole, at / 8);
}

/**
 * Lays out a (m·k elements) at 0, then the vector v (k elements) and the output, each 16-byte
 * aligned; grows the memory to hold `outBytes` of output, copies a and v in. Null when the path
 * is off or the memory cannot grow (nothing copied).
 */
function stageOperands(m: number, k: number, es: number, a: Float, v: Float, outBytes: number): { kern: Kernels; vAt: number; yAt: number } | null {
  const vAt = Math.ceil((m * k * es) / 16) * 16, yAt = vAt + Math.ceil((k * es) / 16) * 16;
  const kern = prepare(yAt + outBytes);
  if (kern === null) return null;
  stage(a, m * k, 0);
  stage(v, k, vAt);
  return { kern, vAt, yAt };
}

/** y [m] = a [m, k]·x [k] (k a multiple of 4); false (nothing done) where this path does not apply. */
export function matVecWasm(m: number, k: number, a: Float, x: Float, y: Float): boolean {
  const es = dtypeSize(a, x, y);
  if (k % 4 !== 0 || m * k < MATVEC_WASM_MIN || es === 0) return false;
  // Four float64 partial sums a row come out (32 bytes), combined here in dotRun's order.
  const s = stageOperands(m, k, es, a, x, m * 32);
  if (s === null) return false;
  (es === 4 ? s.kern.mv32 : s.kern.mv64)(0, s.vAt, s.yAt, m, k);
  const v = wide, o = s.yAt / 8;
  for (let i = 0; i < m; i++) y[i] = v[o + 4 * i] + v[o + 4 * i + 1] + (v[o + 4 * i + 2] + v[o + 4 * i + 3]);
  return true;
}

/** y [m] = a [k, m]ᵀ·g [k] (m a multiple of 4); false (nothing done) where this path does not apply. */
export function matTVecWasm(m: number, k: number, a: Float, g: Float, y: Float): boolean {
  const es = dtypeSize(a, g, y);
  if (m % 4 !== 0 || m * k < MATVEC_WASM_MIN || es === 0) return false;
  const s = stageOperands(m, k, es, a, g, m * 8);
  if (s === null) return false;
  (es === 4 ? s.kern.mvT32 : s.kern.mvT64)(0, s.vAt, s.yAt, m, k);
  // Already in y's dtype (a float32 result rounded once, as the JavaScript loop's store rounds).
  y.set(es === 4 ? narrowWindows.get(s.yAt / 4, m) : wideWindows.get(s.yAt / 8, m));
  return true;
}
