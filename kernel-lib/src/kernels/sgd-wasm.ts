/**
 * The SGD update in WebAssembly: the optimiser's per-weight loop, which in JavaScript costs 3-13 ns
 * a weight (every typed-array access checked, float32 conversions serialised), runs here at
 * 0.6-1.6 ns, and copying the arrays in and out is a memcpy.
 *
 * The arithmetic is sgdStep's (optim/sgd.ts) operation for operation, so the results are
 * bit-identical: in float64
 *   d ← ±g (+ λ·θ);   b ← first ? d : b·β + (1 − τ)·d;   d ← nesterov ? d + β·b : b;   θ ← θ − η·d
 * and in float32 the same in doubles, rounded to float32 where the JavaScript loop rounds
 * (Math.fround, Float32Array stores).
 */
import { Code, F64, I32, V128, type FunctionDef } from "./wasm-emit";
// setKernelBackend("plain") (or NNLAB_KERNELS=plain) turns these WebAssembly paths off too.
import { kernelBackend } from "./gemm";
import { instantiateKernels, Windows, type WasmMemory } from "./wasm-instance";

/** What sgdStepWasm does besides θ ← θ − η·d (bits of its `flags`). */
export const SGD_FIRST = 1, SGD_MOMENTUM = 2, SGD_DECAY = 4, SGD_NESTEROV = 8, SGD_MAXIMIZE = 16;

type Kernel = (p: number, g: number, b: number, n: number, mom: number, keep: number, negLr: number, wd: number, flags: number) => void;

/**
 * Below this many weights the copies and the call cost more than the loop saves: the JavaScript
 * loop takes ~8 ns a weight, this path ~0.5 µs a call plus ~1.3 ns a weight (128: 1.0 → 0.6 µs).
 */
export const SGD_WASM_MIN: number = 128;

// Parameters, then the first local: p g b n mom keep negLr wd flags | end
const P = 0, G = 1, B = 2, N = 3, MOM = 4, KEEP = 5, NEG_LR = 6, WD = 7, FLAGS = 8, END = 9;
const PARAMS = [I32, I32, I32, I32, F64, F64, F64, F64, I32];
// Opcodes wasm-emit's Code has no method for (SIMD ones follow the 0xfd prefix).
const I32_AND = 0x71, F32X4_SPLAT = 0x13, F64X2_NEG = 0xed;

/** `if` on one bit of flags. */
function ifFlag(c: Code, bit: number): Code {
  c.localGet(FLAGS).i32Const(bit).bytes.push(I32_AND);
  return c.if();
}

/**
 * Every option, two weights at a time in 128-bit SIMD (two float64 lanes; float32 weights are
 * widened to float64 pairs and narrowed back, so every rounding is the scalar loop's): weight
 * decay, Nesterov, maximize, dampening in float32, and no momentum. ~1.6 ns a float32 weight.
 */
function pairFunction(es: 4 | 8): FunctionDef {
  const f32 = es === 4;
  const c = new Code();
  const [VMOM, VKEEP, VNEG, VWD, D, BV] = [END + 1, END + 2, END + 3, END + 4, END + 5, END + 6];
  const load = (addr: number): void => {
    c.localGet(addr);
    if (f32) c.v128Load64Zero(0).f64x2PromoteLowF32x4();
    else c.v128Load(0);
  };
  const store = (): void => {
    if (f32) c.f32x4DemoteF64x2Zero().v128Store64Lane0(0);
    else c.v128Store(0);
  };
  const round = (): void => {
    if (f32) c.f32x4DemoteF64x2Zero().f64x2PromoteLowF32x4();
  };
  c.localGet(MOM).f64x2Splat().localSet(VMOM);
  c.localGet(KEEP).f64x2Splat().localSet(VKEEP);
  c.localGet(NEG_LR).f64x2Splat().localSet(VNEG);
  c.localGet(WD).f64x2Splat().localSet(VWD);
  c.localGet(P).localGet(N).i32Const(es).i32Mul().i32Add().localSet(END);
  c.block().loop();
  c.localGet(P).localGet(END).i32GeS().brIf(1);
  load(G);
  c.localSet(D);
  ifFlag(c, SGD_MAXIMIZE).localGet(D).simd(F64X2_NEG).localSet(D).end();
  ifFlag(c, SGD_DECAY).localGet(D).localGet(VWD);
  load(P);
  c.f64x2Mul().f64x2Add();
  round();
  c.localSet(D).end();
  ifFlag(c, SGD_MOMENTUM);
  {
    ifFlag(c, SGD_FIRST).localGet(D).localSet(BV).else();
    load(B);
    c.localGet(VMOM).f64x2Mul();
    round();
    c.localGet(VKEEP).localGet(D).f64x2Mul().f64x2Add();
    round();
    c.localSet(BV).end();
    c.localGet(B).localGet(BV);
    store();
    ifFlag(c, SGD_NESTEROV).localGet(D).localGet(VMOM).localGet(BV).f64x2Mul().f64x2Add();
    round();
    c.localSet(D).else().localGet(BV).localSet(D).end();
  }
  c.end();
  c.localGet(P);
  load(P);
  c.localGet(VNEG).localGet(D).f64x2Mul().f64x2Add();
  store();
  c.localGet(P).i32Const(2 * es).i32Add().localSet(P);
  c.localGet(G).i32Const(2 * es).i32Add().localSet(G);
  c.localGet(B).i32Const(2 * es).i32Add().localSet(B);
  c.br(0).end().end();
  return {
    name: f32 ? "sgd_pairs_f32" : "sgd_pairs_f64",
    params: PARAMS,
    // end, then the four splats, d and the new buffer as v128
    locals: [I32, V128, V128, V128, V128, V128, V128],
    body: c,
  };
}

/**
 * Four weights an iteration. float64: two f64x2 pairs, the scalar arithmetic lane by lane.
 * float32, for keep = 1 − τ = 1 only (no dampening: PyTorch's default): the buffer in f32x4,
 * which is exact, since b·β of two floats is exact in a double and rounding it once to float32 is
 * f32x4.mul, and a double sum of two floats rounded to float32 is the float32 sum (53 ≥ 2·24 + 2
 * bits, so rounding twice cannot differ). θ + η·b is not: JavaScript rounds that sum once with
 * η·b exact, as an FMA would, so it is computed in float64 halves as in pairFunction. The pair
 * loop spends ~1.6 ns a float32 weight widening and narrowing everything; this one ~0.7. Reads
 * only the first-step bit of flags (momentum without decay, Nesterov or maximize).
 */
function quadFunction(es: 4 | 8): FunctionDef {
  const f32 = es === 4;
  const c = new Code();
  const [VMOM, VKEEP, VNEG, BV] = [END + 1, END + 2, END + 3, END + 4];
  if (f32) c.localGet(MOM).f32DemoteF64().simd(F32X4_SPLAT).localSet(VMOM);
  else c.localGet(MOM).f64x2Splat().localSet(VMOM);
  c.localGet(KEEP).f64x2Splat().localSet(VKEEP);
  c.localGet(NEG_LR).f64x2Splat().localSet(VNEG);
  c.localGet(P).localGet(N).i32Const(es).i32Mul().i32Add().localSet(END);
  c.block().loop();
  c.localGet(P).localGet(END).i32GeS().brIf(1);
  for (const at of f32 ? [0] : [0, 16]) {
    ifFlag(c, SGD_FIRST);
    c.localGet(G).v128Load(at).localSet(BV);
    c.else();
    if (f32) c.localGet(B).v128Load(at).localGet(VMOM).f32x4Mul().localGet(G).v128Load(at).f32x4Add().localSet(BV);
    else c.localGet(B).v128Load(at).localGet(VMOM).f64x2Mul().localGet(VKEEP).localGet(G).v128Load(at).f64x2Mul().f64x2Add().localSet(BV);
    c.end();
    c.localGet(B).localGet(BV).v128Store(at);
    if (f32) {
      // θ and b in two float64 halves, each pair loaded straight from memory (b just stored:
      // the load is forwarded from the store), ~10% faster than shuffling the halves out of registers.
      for (const half of [0, 8]) {
        c.localGet(P).localGet(P).v128Load64Zero(half).f64x2PromoteLowF32x4();
        c.localGet(B).v128Load64Zero(half).f64x2PromoteLowF32x4();
        c.localGet(VNEG).f64x2Mul().f64x2Add();
        c.f32x4DemoteF64x2Zero().v128Store64Lane0(half);
      }
    } else {
      c.localGet(P).localGet(P).v128Load(at).localGet(VNEG).localGet(BV).f64x2Mul().f64x2Add().v128Store(at);
    }
  }
  c.localGet(P).i32Const(16 * (f32 ? 1 : 2)).i32Add().localSet(P);
  c.localGet(G).i32Const(16 * (f32 ? 1 : 2)).i32Add().localSet(G);
  c.localGet(B).i32Const(16 * (f32 ? 1 : 2)).i32Add().localSet(B);
  c.br(0).end().end();
  return {
    name: f32 ? "sgd_quads_f32" : "sgd_quads_f64",
    params: PARAMS,
    // end, then the three splats and the new buffer as v128
    locals: [I32, V128, V128, V128, V128],
    body: c,
  };
}

/**
 * Weights a pass copies in, updates and copies out. The whole parameter copied at once (1.2 MB
 * for 100k float32 weights in three arrays, twice that in float64) went to memory and back; a
 * chunk's three arrays (≤ 96 KiB) stay in the cache between the copies and the loop, which
 * halved the time of a 100k-weight step. Fixed, so the memory never grows and views never detach.
 */
export const SGD_WASM_CHUNK: number = 4096;
// Where the three chunks sit: 1 KiB apart modulo 4 KiB, since loads whose address matches a pending
// store's in the low 12 bits wait for it on x86 (4K aliasing), and p, g and b are read and
// written at the same index. The gaps also hold the up to three extra weights a last SIMD group
// computes past the end of a chunk (from stale memory; never copied out).
const P_AT = 0;
const G_AT = SGD_WASM_CHUNK * 8 + 1024;
const B_AT = 2 * SGD_WASM_CHUNK * 8 + 2048;
const PAGES = Math.ceil((B_AT + SGD_WASM_CHUNK * 8 + 1024) / 65536);

interface Views<A extends Float32Array | Float64Array> {
  p: Windows<A>;
  g: Windows<A>;
  b: Windows<A>;
}

interface Kernels {
  memory: WasmMemory;
  pairs32: Kernel;
  pairs64: Kernel;
  quads32: Kernel;
  quads64: Kernel;
  views32: Views<Float32Array>;
  views64: Views<Float64Array>;
}
let kernels: Kernels | null | undefined;

function views<A extends Float32Array | Float64Array>(memory: WasmMemory, make: (buffer: ArrayBuffer, byteOffset: number, length: number) => A): Views<A> {
  const window = (at: number): Windows<A> => new Windows(make(memory.buffer, at, SGD_WASM_CHUNK));
  return { p: window(P_AT), g: window(G_AT), b: window(B_AT) };
}

function load(): Kernels | null {
  // The same engines that run the SIMD kernels; elsewhere sgdStep keeps its JavaScript loop.
  // Compiled straight to optimised code, as the GEMM kernels are (see withCompilerFlags): called
  // once per parameter per step, the loop would otherwise run in baseline code for many steps.
  if (kernels === undefined) {
    kernels = instantiateKernels(
      () => [pairFunction(4), pairFunction(8), quadFunction(4), quadFunction(8)],
      PAGES,
      (exports) => {
        const memory = exports.memory as WasmMemory;
        return {
          memory,
          pairs32: exports.sgd_pairs_f32 as Kernel,
          pairs64: exports.sgd_pairs_f64 as Kernel,
          quads32: exports.sgd_quads_f32 as Kernel,
          quads64: exports.sgd_quads_f64 as Kernel,
          views32: views(memory, (b, o, n) => new Float32Array(b, o, n)),
          views64: views(memory, (b, o, n) => new Float64Array(b, o, n)),
        };
      },
      (k) => {
        for (const f of [k.pairs32, k.pairs64, k.quads32, k.quads64]) f(0, 0, 0, 0, 0, 0, 0, 0, SGD_FIRST);
      },
    );
  }
  return kernels;
}

let enabled = true;

/** Turns the WebAssembly update off (tests compare it with the JavaScript loop). */
export function setSgdWasm(on: boolean): void {
  enabled = on;
}

/**
 * sgdStep's update of p (buf: the momentum buffer, null without momentum) in WebAssembly, a
 * chunk at a time, with the hyper-parameters already cast to p's dtype; false when it did
 * nothing (too small, mixed dtypes or lengths, not available), and the caller runs its own loop.
 */
export function sgdStepWasm(p: Float64Array | Float32Array, g: Float64Array | Float32Array, buf: Float64Array | Float32Array | null,
  mom: number, keep: number, negLr: number, wd: number, flags: number): boolean {
  const n = p.length;
  if (!enabled || kernelBackend() === "plain" || n < SGD_WASM_MIN || g.length !== n || g.constructor !== p.constructor) return false;
  const momentum = (flags & SGD_MOMENTUM) !== 0;
  if (momentum && (buf === null || buf.length !== n || buf.constructor !== p.constructor)) return false;
  const k = load();
  if (k === null) return false;
  const f32 = p instanceof Float32Array;
  const v: Views<Float32Array | Float64Array> = f32 ? k.views32 : k.views64;
  // Plain momentum takes the faster four-weight loop; in float32 only without dampening (which
  // needs (1 − τ)·g exact before the sum: only the widening pair loop does that).
  const plain = (flags & ~SGD_FIRST) === SGD_MOMENTUM && (!f32 || keep === 1);
  const kernel = plain ? (f32 ? k.quads32 : k.quads64) : f32 ? k.pairs32 : k.pairs64;
  const width = plain ? 4 : 2;
  const copyIn = momentum && (flags & SGD_FIRST) === 0;
  // A parameter that fits in one chunk (most of them) is copied whole: no view of it is made,
  // and the memory's views of its length are kept (Windows), so a step makes no typed array.
  for (let s = 0; s < n; s += SGD_WASM_CHUNK) {
    const e = Math.min(s + SGD_WASM_CHUNK, n);
    const len = e - s;
    const whole = s === 0 && e === n;
    const vp = v.p.get(0, len), vb = v.b.get(0, len);
    vp.set(whole ? p : p.subarray(s, e));
    v.g.base.set(whole ? g : g.subarray(s, e));
    if (copyIn) vb.set(whole ? (buf as Float32Array | Float64Array) : (buf as Float32Array | Float64Array).subarray(s, e));
    // A last partial SIMD group runs over the gap after the chunk; only len weights go back.
    kernel(P_AT, G_AT, B_AT, Math.ceil(len / width) * width, mom, keep, negLr, wd, flags);
    p.set(vp, s);
    if (momentum) (buf as Float32Array | Float64Array).set(vb, s);
  }
  return true;
}

/** The plain momentum update (no weight decay, Nesterov or maximize): sgdStepWasm's common case. */
export function sgdMomentumWasm(p: Float64Array | Float32Array, g: Float64Array | Float32Array, buf: Float64Array | Float32Array,
  mom: number, keep: number, negLr: number, first: boolean): boolean {
  return sgdStepWasm(p, g, buf, mom, keep, negLr, 0, SGD_MOMENTUM | (first ? SGD_FIRST : 0));
}
