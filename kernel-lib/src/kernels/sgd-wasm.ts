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
import { Func, type Local } from "./wasm-emit";
// setKernelBackend("plain") (or NNLAB_KERNELS=plain) turns these WebAssembly paths off too.
import { kernelBackend } from "./gemm";
import { defineKernel } from "./wasm-kernel";
import type { WasmMemory } from "./wasm-features";
import { Windows } from "./wasm-memory";

/** What sgdStepWasm does besides θ ← θ − η·d (bits of its `flags`). */
export const SGD_FIRST = 1, SGD_MOMENTUM = 2, SGD_DECAY = 4, SGD_NESTEROV = 8, SGD_MAXIMIZE = 16;

type Kernel = (p: number, g: number, b: number, n: number, mom: number, keep: number, negLr: number, wd: number, flags: number) => void;

/**
 * Below this many weights the copies and the call cost more than the loop saves: the JavaScript
 * loop takes ~8 ns a weight, this path ~0.5 µs a call plus ~1.3 ns a weight (128: 1.0 → 0.6 µs).
 */
export const SGD_WASM_MIN: number = 128;

/** Both update functions take (p g b n mom keep negLr wd flags) and keep the end address in a local. */
function sgdFunc(name: string) {
  const f = new Func(name);
  const [p, g, b, n] = ["p", "g", "b", "n"].map((x) => f.param(x, "i32")) as [Local, Local, Local, Local];
  const [mom, keep, negLr, wd] = ["mom", "keep", "negLr", "wd"].map((x) => f.param(x, "f64")) as [Local, Local, Local, Local];
  const flags = f.param("flags", "i32");
  const end = f.local("end", "i32");
  /** `if` on one bit of flags. */
  const ifFlag = (bit: number): Func => f.localGet(flags).i32Const(bit).i32And().if();
  return { f, p, g, b, n, mom, keep, negLr, wd, end, ifFlag };
}

/**
 * Every option, two weights at a time in 128-bit SIMD (two float64 lanes; float32 weights are
 * widened to float64 pairs and narrowed back, so every rounding is the scalar loop's): weight
 * decay, Nesterov, maximize, dampening in float32, and no momentum. ~1.6 ns a float32 weight.
 */
function pairFunction(es: 4 | 8): Func {
  const f32 = es === 4;
  const { f, p, g, b, n, mom, keep, negLr, wd, end, ifFlag } = sgdFunc(f32 ? "sgd_pairs_f32" : "sgd_pairs_f64");
  // the four splats, d and the new buffer
  const [vmom, vkeep, vneg, vwd, d, bv] = ["vmom", "vkeep", "vneg", "vwd", "d", "bv"].map((x) => f.local(x, "v128"));
  const load = (addr: Local): void => {
    f.localGet(addr);
    if (f32) f.v128Load64Zero(0).f64x2PromoteLowF32x4();
    else f.v128Load(0);
  };
  const store = (): void => {
    if (f32) f.f32x4DemoteF64x2Zero().v128Store64Lane0(0);
    else f.v128Store(0);
  };
  const round = (): void => {
    if (f32) f.f32x4DemoteF64x2Zero().f64x2PromoteLowF32x4();
  };
  f.localGet(mom).f64x2Splat().localSet(vmom);
  f.localGet(keep).f64x2Splat().localSet(vkeep);
  f.localGet(negLr).f64x2Splat().localSet(vneg);
  f.localGet(wd).f64x2Splat().localSet(vwd);
  f.localGet(p).localGet(n).i32Const(es).i32Mul().i32Add().localSet(end);
  f.whileLess(p, end, () => {
    load(g);
    f.localSet(d);
    ifFlag(SGD_MAXIMIZE).localGet(d).f64x2Neg().localSet(d).end();
    ifFlag(SGD_DECAY).localGet(d).localGet(vwd);
    load(p);
    f.f64x2Mul().f64x2Add();
    round();
    f.localSet(d).end();
    ifFlag(SGD_MOMENTUM);
    {
      ifFlag(SGD_FIRST).localGet(d).localSet(bv).else();
      load(b);
      f.localGet(vmom).f64x2Mul();
      round();
      f.localGet(vkeep).localGet(d).f64x2Mul().f64x2Add();
      round();
      f.localSet(bv).end();
      f.localGet(b).localGet(bv);
      store();
      ifFlag(SGD_NESTEROV).localGet(d).localGet(vmom).localGet(bv).f64x2Mul().f64x2Add();
      round();
      f.localSet(d).else().localGet(bv).localSet(d).end();
    }
    f.end();
    f.localGet(p);
    load(p);
    f.localGet(vneg).localGet(d).f64x2Mul().f64x2Add();
    store();
    f.inc(p, 2 * es);
    f.inc(g, 2 * es);
    f.inc(b, 2 * es);
  });
  return f;
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
function quadFunction(es: 4 | 8): Func {
  const f32 = es === 4;
  const { f, p, g, b, n, mom, keep, negLr, end, ifFlag } = sgdFunc(f32 ? "sgd_quads_f32" : "sgd_quads_f64");
  // the three splats and the new buffer
  const [vmom, vkeep, vneg, bv] = ["vmom", "vkeep", "vneg", "bv"].map((x) => f.local(x, "v128"));
  if (f32) f.localGet(mom).f32DemoteF64().f32x4Splat().localSet(vmom);
  else f.localGet(mom).f64x2Splat().localSet(vmom);
  f.localGet(keep).f64x2Splat().localSet(vkeep);
  f.localGet(negLr).f64x2Splat().localSet(vneg);
  f.localGet(p).localGet(n).i32Const(es).i32Mul().i32Add().localSet(end);
  f.whileLess(p, end, () => {
    for (const at of f32 ? [0] : [0, 16]) {
      ifFlag(SGD_FIRST);
      f.localGet(g).v128Load(at).localSet(bv);
      f.else();
      if (f32) f.localGet(b).v128Load(at).localGet(vmom).f32x4Mul().localGet(g).v128Load(at).f32x4Add().localSet(bv);
      else f.localGet(b).v128Load(at).localGet(vmom).f64x2Mul().localGet(vkeep).localGet(g).v128Load(at).f64x2Mul().f64x2Add().localSet(bv);
      f.end();
      f.localGet(b).localGet(bv).v128Store(at);
      if (f32) {
        // θ and b in two float64 halves, each pair loaded straight from memory (b just stored:
        // the load is forwarded from the store), ~10% faster than shuffling the halves out of registers.
        for (const half of [0, 8]) {
          f.localGet(p).localGet(p).v128Load64Zero(half).f64x2PromoteLowF32x4();
          f.localGet(b).v128Load64Zero(half).f64x2PromoteLowF32x4();
          f.localGet(vneg).f64x2Mul().f64x2Add();
          f.f32x4DemoteF64x2Zero().v128Store64Lane0(half);
        }
      } else {
        f.localGet(p).localGet(p).v128Load(at).localGet(vneg).localGet(bv).f64x2Mul().f64x2Add().v128Store(at);
      }
    }
    f.inc(p, 16 * (f32 ? 1 : 2));
    f.inc(g, 16 * (f32 ? 1 : 2));
    f.inc(b, 16 * (f32 ? 1 : 2));
  });
  return f;
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
function views<A extends Float32Array | Float64Array>(memory: WasmMemory, make: (buffer: ArrayBuffer, byteOffset: number, length: number) => A): Views<A> {
  const window = (at: number): Windows<A> => new Windows(make(memory.buffer, at, SGD_WASM_CHUNK));
  return { p: window(P_AT), g: window(G_AT), b: window(B_AT) };
}

// Called once per parameter per step: the warm-up call compiles it before the first step (straight
// to optimised code only with V8's flags, where asked for: wasm-features.ts).
const sgdKernel = defineKernel<Kernels>({
  name: "sgd",
  functions: () => [pairFunction(4), pairFunction(8), quadFunction(4), quadFunction(8)],
  pages: PAGES,
  exports: (e) => {
    const memory = e.memory as WasmMemory;
    return {
      memory,
      pairs32: e.sgd_pairs_f32 as Kernel,
      pairs64: e.sgd_pairs_f64 as Kernel,
      quads32: e.sgd_quads_f32 as Kernel,
      quads64: e.sgd_quads_f64 as Kernel,
      views32: views(memory, (b, o, n) => new Float32Array(b, o, n)),
      views64: views(memory, (b, o, n) => new Float64Array(b, o, n)),
    };
  },
  warm: (k) => {
    for (const f of [k.pairs32, k.pairs64, k.quads32, k.quads64]) f(0, 0, 0, 0, 0, 0, 0, 0, SGD_FIRST);
  },
});

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
  const k = sgdKernel.load();
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
