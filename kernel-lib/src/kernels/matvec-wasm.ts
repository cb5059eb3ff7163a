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
import { Code, I32, V128, type FunctionDef } from "./wasm-emit";
import { kernelBackend } from "./gemm";
import { ensureMemory, instantiateKernels, Windows, type WasmMemory } from "./wasm-instance";

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

// Parameters, then locals.
const [A, X, Y, M, K] = [0, 1, 2, 3, 4];

function mvFunction(f32: boolean): FunctionDef {
  const es = f32 ? 4 : 8;
  const [I, AP, XP, END, ACC0, ACC1] = [5, 6, 7, 8, 9, 10];
  const c = new Code();
  c.i32Const(0).localSet(I);
  c.block().loop();
  c.localGet(I).localGet(M).i32GeS().brIf(1);
  c.v128Zero().localSet(ACC0).v128Zero().localSet(ACC1);
  c.localGet(A).localGet(I).localGet(K).i32Mul().i32Const(es).i32Mul().i32Add().localSet(AP);
  c.localGet(X).localSet(XP);
  c.localGet(AP).localGet(K).i32Const(es).i32Mul().i32Add().localSet(END);
  c.block().loop();
  c.localGet(AP).localGet(END).i32GeS().brIf(1);
  if (f32) {
    // Four floats, two at a time (an 8-byte load widened): lanes 0,1 → (s₀, s₁), 2,3 → (s₂, s₃).
    c.localGet(ACC0).localGet(AP).v128Load64Zero(0).f64x2PromoteLowF32x4().localGet(XP).v128Load64Zero(0).f64x2PromoteLowF32x4();
    c.f64x2Mul().f64x2Add().localSet(ACC0);
    c.localGet(ACC1).localGet(AP).v128Load64Zero(8).f64x2PromoteLowF32x4().localGet(XP).v128Load64Zero(8).f64x2PromoteLowF32x4();
    c.f64x2Mul().f64x2Add().localSet(ACC1);
  } else {
    c.localGet(ACC0).localGet(AP).v128Load(0).localGet(XP).v128Load(0).f64x2Mul().f64x2Add().localSet(ACC0);
    c.localGet(ACC1).localGet(AP).v128Load(16).localGet(XP).v128Load(16).f64x2Mul().f64x2Add().localSet(ACC1);
  }
  c.localGet(AP).i32Const(4 * es).i32Add().localSet(AP);
  c.localGet(XP).i32Const(4 * es).i32Add().localSet(XP);
  c.br(0).end().end();
  // The four partial sums of row i, as float64, at y + 32·i (combined in JavaScript).
  c.localGet(Y).localGet(I).i32Const(32).i32Mul().i32Add().localGet(ACC0).v128Store(0);
  c.localGet(Y).localGet(I).i32Const(32).i32Mul().i32Add().localGet(ACC1).v128Store(16);
  c.localGet(I).i32Const(1).i32Add().localSet(I);
  c.br(0).end().end();
  return { name: f32 ? "mv_f32" : "mv_f64", params: [I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, V128, V128], body: c };
}

function mvTFunction(f32: boolean): FunctionDef {
  const es = f32 ? 4 : 8;
  const [R, AP, P, GV, ACC] = [5, 6, 7, 8, 9]; // ACC … ACC + 3: up to four float64 pairs
  const c = new Code();
  // Outputs r … r + 2q − 1 at a time (q float64 pairs), each summed over p in order. Eight at a
  // time while eight remain (one load of g[p] serves four pairs), then four.
  const outputs = (q: number): void => {
    c.block().loop();
    c.localGet(R).i32Const(2 * q).i32Add().localGet(M).i32GtS().brIf(1);
    for (let j = 0; j < q; j++) c.v128Zero().localSet(ACC + j);
    c.localGet(A).localGet(R).i32Const(es).i32Mul().i32Add().localSet(AP);
    c.i32Const(0).localSet(P);
    c.block().loop();
    c.localGet(P).localGet(K).i32GeS().brIf(1);
    // splat(g[p]) as float64
    c.localGet(X).localGet(P).i32Const(es).i32Mul().i32Add();
    if (f32) c.v128Load32Splat(0).f64x2PromoteLowF32x4();
    else c.v128Load64Splat(0);
    c.localSet(GV);
    for (let j = 0; j < q; j++) {
      c.localGet(ACC + j).localGet(AP);
      if (f32) c.v128Load64Zero(8 * j).f64x2PromoteLowF32x4();
      else c.v128Load(16 * j);
      c.localGet(GV).f64x2Mul().f64x2Add().localSet(ACC + j);
    }
    c.localGet(AP).localGet(M).i32Const(es).i32Mul().i32Add().localSet(AP);
    c.localGet(P).i32Const(1).i32Add().localSet(P);
    c.br(0).end().end();
    // Outputs at y + es·r in the operands' dtype: float32 rounded once here (nearest, as a
    // Float32Array store rounds), so that JavaScript copies them out with a memcpy.
    for (let j = 0; j < q; j++) {
      c.localGet(Y).localGet(R).i32Const(es).i32Mul().i32Add().localGet(ACC + j);
      if (f32) c.f32x4DemoteF64x2Zero().v128Store64Lane0(8 * j);
      else c.v128Store(16 * j);
    }
    c.localGet(R).i32Const(2 * q).i32Add().localSet(R);
    c.br(0).end().end();
  };
  c.i32Const(0).localSet(R);
  outputs(4);
  outputs(2);
  return { name: f32 ? "mvT_f32" : "mvT_f64", params: [I32, I32, I32, I32, I32], locals: [I32, I32, I32, V128, V128, V128, V128, V128], body: c };
}

let kernels: Kernels | null | undefined;

function load(): Kernels | null {
  if (kernels === undefined) {
    kernels = instantiateKernels(
      () => [mvFunction(true), mvFunction(false), mvTFunction(true), mvTFunction(false)],
      1,
      (e) => ({ memory: e.memory as WasmMemory, mv32: e.mv_f32 as Fn, mv64: e.mv_f64 as Fn, mvT32: e.mvT_f32 as Fn, mvT64: e.mvT_f64 as Fn }),
      (k) => {
        // V8 compiles at the first call: make it while the flags are set (no work: m = 0).
        for (const f of [k.mv32, k.mv64, k.mvT32, k.mvT64]) f(0, 0, 0, 0, 4);
      },
    );
  }
  return kernels;
}

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
  const k = load();
  if (k === null) return null;
  if (bytes > wide.length * 8) {
    if (bytes > 2 ** 31 - 65536 || !ensureMemory(k.memory, bytes)) return null;
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
