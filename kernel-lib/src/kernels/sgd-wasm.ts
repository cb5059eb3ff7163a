/**
 * The SGD momentum update in WebAssembly: the optimiser's per-weight loop, which in JavaScript
 * costs 3-6 ns a weight (every typed-array access checked; ~30% of the MLP benchmark's epoch),
 * runs here at well under 1 ns, and copying the three arrays in and two out is a memcpy.
 *
 * The arithmetic is sgdStep's (optim/sgd.ts) for momentum without weight decay, Nesterov or
 * maximize, operation for operation, so the results are bit-identical: in float64
 *   b ← first ? g : b·β + (1 − τ)·g;   θ ← θ − η·b
 * and in float32 the same in doubles with b·β rounded to float32 and every store rounded, as the
 * JavaScript loop does (Math.fround, Float32Array stores).
 */
import { Code, F64, I32, V128, type FunctionDef } from "./wasm-emit";
// setKernelBackend("plain") (or NNLAB_KERNELS=plain) turns these WebAssembly paths off too.
import { kernelBackend } from "./gemm";
import { ensureMemory, instantiateKernels, type WasmMemory } from "./wasm-instance";

type Step = (p: number, g: number, b: number, n: number, mom: number, keep: number, negLr: number, first: number) => void;

/** Below this many weights the copies and the call cost more than the loop saves. */
export const SGD_WASM_MIN: number = 4096;

// Parameters, then locals: p g b n mom keep negLr first | end gd bd
const P = 0, G = 1, B = 2, N = 3, MOM = 4, KEEP = 5, NEG_LR = 6, FIRST = 7, END = 8, GD = 9, BD = 10;

function stepFunction(es: 4 | 8): FunctionDef {
  const f32 = es === 4;
  const c = new Code();
  const load = (addr: number): void => {
    c.localGet(addr).floatLoad(es, 0);
    if (f32) c.f64PromoteF32();
  };
  const toStored = (): void => {
    if (f32) c.f32DemoteF64();
  };
  // end = p + n·es
  c.localGet(P).localGet(N).i32Const(es).i32Mul().i32Add().localSet(END);
  c.block().loop();
  c.localGet(P).localGet(END).i32GeS().brIf(1);
  load(G);
  c.localSet(GD);
  c.localGet(FIRST).if();
  c.localGet(GD).localSet(BD);
  c.else();
  load(B);
  c.localGet(MOM).f64Mul();
  if (f32) c.f32DemoteF64().f64PromoteF32(); // round(b·β)
  c.localGet(KEEP).localGet(GD).f64Mul().f64Add().localSet(BD);
  c.end();
  if (f32) c.localGet(BD).f32DemoteF64().f64PromoteF32().localSet(BD); // b as stored
  c.localGet(B).localGet(BD);
  toStored();
  c.floatStore(es, 0);
  c.localGet(P);
  load(P);
  c.localGet(NEG_LR).localGet(BD).f64Mul().f64Add();
  toStored();
  c.floatStore(es, 0);
  c.localGet(P).i32Const(es).i32Add().localSet(P);
  c.localGet(G).i32Const(es).i32Add().localSet(G);
  c.localGet(B).i32Const(es).i32Add().localSet(B);
  c.br(0).end().end();
  return {
    name: f32 ? "sgd_momentum_f32" : "sgd_momentum_f64",
    params: [I32, I32, I32, I32, F64, F64, F64, I32],
    locals: [I32, F64, F64],
    body: c,
  };
}

/**
 * The same update two weights at a time in 128-bit SIMD (two float64 lanes; float32 weights are
 * widened to float64 pairs and narrowed back, so every rounding is the scalar loop's). n even.
 */
function pairFunction(es: 4 | 8): FunctionDef {
  const f32 = es === 4;
  const c = new Code();
  const [VMOM, VKEEP, VNEG] = [GD + 2, GD + 3, GD + 4];
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
  c.localGet(P).localGet(N).i32Const(es).i32Mul().i32Add().localSet(END);
  c.block().loop();
  c.localGet(P).localGet(END).i32GeS().brIf(1);
  load(G);
  c.localSet(GD);
  c.localGet(FIRST).if();
  c.localGet(GD).localSet(BD);
  c.else();
  load(B);
  c.localGet(VMOM).f64x2Mul();
  round();
  c.localGet(VKEEP).localGet(GD).f64x2Mul().f64x2Add();
  round();
  c.localSet(BD);
  c.end();
  c.localGet(B).localGet(BD);
  store();
  c.localGet(P);
  load(P);
  c.localGet(VNEG).localGet(BD).f64x2Mul().f64x2Add();
  store();
  c.localGet(P).i32Const(2 * es).i32Add().localSet(P);
  c.localGet(G).i32Const(2 * es).i32Add().localSet(G);
  c.localGet(B).i32Const(2 * es).i32Add().localSet(B);
  c.br(0).end().end();
  return {
    name: f32 ? "sgd_momentum_pairs_f32" : "sgd_momentum_pairs_f64",
    params: [I32, I32, I32, I32, F64, F64, F64, I32],
    // end, then gd bd and the three splats as v128
    locals: [I32, V128, V128, V128, V128, V128],
    body: c,
  };
}

interface Kernels {
  memory: WasmMemory;
  f32: Step;
  f64: Step;
  pairs32: Step;
  pairs64: Step;
}
let kernels: Kernels | null | undefined;

function load(): Kernels | null {
  // The same engines that run the SIMD kernels; elsewhere sgdStep keeps its JavaScript loop.
  // Compiled straight to optimised code, as the GEMM kernels are (see withCompilerFlags): called
  // once per parameter per step, the loop would otherwise run in baseline code for many steps.
  if (kernels === undefined) {
    kernels = instantiateKernels(
      () => [stepFunction(4), stepFunction(8), pairFunction(4), pairFunction(8)],
      1,
      (exports) => ({
        memory: exports.memory as WasmMemory,
        f32: exports.sgd_momentum_f32 as Step,
        f64: exports.sgd_momentum_f64 as Step,
        pairs32: exports.sgd_momentum_pairs_f32 as Step,
        pairs64: exports.sgd_momentum_pairs_f64 as Step,
      }),
      (k) => {
        for (const f of [k.f32, k.f64, k.pairs32, k.pairs64]) f(0, 0, 0, 0, 0, 0, 0, 1);
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
 * The update above on p, g and buf (one dtype, one length) in WebAssembly; false when it did
 * nothing (too small, not available, memory would not grow), and the caller runs its own loop.
 */
export function sgdMomentumWasm(p: Float64Array | Float32Array, g: Float64Array | Float32Array, buf: Float64Array | Float32Array,
  mom: number, keep: number, negLr: number, first: boolean): boolean {
  const n = p.length;
  if (!enabled || kernelBackend() === "plain" || n < SGD_WASM_MIN || g.length !== n || buf.length !== n) return false;
  if (g.constructor !== p.constructor || buf.constructor !== p.constructor) return false;
  const k = load();
  if (k === null) return false;
  const es = p.BYTES_PER_ELEMENT;
  const bytes = 3 * n * es;
  if (!ensureMemory(k.memory, bytes)) return false;
  const f32 = p instanceof Float32Array;
  const mem = f32 ? new Float32Array(k.memory.buffer, 0, 3 * n) : new Float64Array(k.memory.buffer, 0, 3 * n);
  mem.set(p, 0);
  mem.set(g, n);
  if (!first) mem.set(buf, 2 * n);
  // Pairs in SIMD, then an odd last weight with the scalar loop.
  const even = n & ~1;
  const flag = first ? 1 : 0;
  (f32 ? k.pairs32 : k.pairs64)(0, n * es, 2 * n * es, even, mom, keep, negLr, flag);
  if (even < n) (f32 ? k.f32 : k.f64)(even * es, (n + even) * es, (2 * n + even) * es, n - even, mom, keep, negLr, flag);
  p.set(mem.subarray(0, n));
  buf.set(mem.subarray(2 * n, 3 * n));
  return true;
}
