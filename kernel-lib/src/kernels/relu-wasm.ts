/**
 * ReLU and its gradient in WebAssembly SIMD, for large activations. A JavaScript loop over typed
 * arrays passed in as arguments costs ~3-4 ns an element here (each access checked), while
 * copying into WebAssembly memory and out again is a memcpy and the SIMD loop handles 16 bytes a
 * step: 173k float32 activations (the CNN benchmark's batch) ~0.5-0.7 ms -> well under 0.1 ms.
 *
 * Same results as functional/activations.ts's loops: y = z where z > 0 or z is NaN, else +0
 * (a comparison mask ANDed with the bits); ∂ = g where z > 0, else +0.
 */
import { Code, I32, type FunctionDef } from "./wasm-emit";
// setKernelBackend("plain") (or NNLAB_KERNELS=plain) turns these WebAssembly paths off too.
import { kernelBackend } from "./gemm";
import { ensureMemory, instantiateKernels, type WasmMemory } from "./wasm-instance";

/** relu(addr, bytes) in place; grad(zAddr, gAddr, bytes) writes into g's region. */
type Relu = (addr: number, bytes: number) => void;
type ReluGrad = (zAddr: number, gAddr: number, bytes: number) => void;

/** Below this many elements the copies and the call cost more than the loop saves. */
export const RELU_WASM_MIN: number = 4096;

export function reluFunction(f32: boolean): FunctionDef {
  const [ADDR, BYTES, END] = [0, 1, 2];
  const c = new Code();
  c.localGet(ADDR).localGet(BYTES).i32Add().localSet(END);
  c.block().loop();
  c.localGet(ADDR).localGet(END).i32GeS().brIf(1);
  // [addr] = v & ((v > 0) | (v ≠ v))
  c.localGet(ADDR);
  c.localGet(ADDR).v128Load(0);
  c.localGet(ADDR).v128Load(0).v128Zero();
  if (f32) c.f32x4Gt(); else c.f64x2Gt();
  c.localGet(ADDR).v128Load(0).localGet(ADDR).v128Load(0);
  if (f32) c.f32x4Ne(); else c.f64x2Ne();
  c.v128Or().v128And().v128Store(0);
  c.localGet(ADDR).i32Const(16).i32Add().localSet(ADDR);
  c.br(0).end().end();
  return { name: f32 ? "relu_f32" : "relu_f64", params: [I32, I32], locals: [I32], body: c };
}

function reluGradFunction(f32: boolean): FunctionDef {
  const [Z, G, BYTES, END] = [0, 1, 2, 3];
  const c = new Code();
  c.localGet(G).localGet(BYTES).i32Add().localSet(END);
  c.block().loop();
  c.localGet(G).localGet(END).i32GeS().brIf(1);
  // [g] = g & (z > 0)
  c.localGet(G);
  c.localGet(G).v128Load(0);
  c.localGet(Z).v128Load(0).v128Zero();
  if (f32) c.f32x4Gt(); else c.f64x2Gt();
  c.v128And().v128Store(0);
  c.localGet(G).i32Const(16).i32Add().localSet(G);
  c.localGet(Z).i32Const(16).i32Add().localSet(Z);
  c.br(0).end().end();
  return { name: f32 ? "relu_grad_f32" : "relu_grad_f64", params: [I32, I32, I32], locals: [I32], body: c };
}

interface Kernels {
  memory: WasmMemory;
  relu32: Relu;
  relu64: Relu;
  grad32: ReluGrad;
  grad64: ReluGrad;
}
let kernels: Kernels | null | undefined;

function load(): Kernels | null {
  if (kernels === undefined) {
    kernels = instantiateKernels(
      () => [reluFunction(true), reluFunction(false), reluGradFunction(true), reluGradFunction(false)],
      1,
      (exports) => ({
        memory: exports.memory as WasmMemory,
        relu32: exports.relu_f32 as Relu,
        relu64: exports.relu_f64 as Relu,
        grad32: exports.relu_grad_f32 as ReluGrad,
        grad64: exports.relu_grad_f64 as ReluGrad,
      }),
      (k) => {
        k.relu32(0, 0);
        k.relu64(0, 0);
        k.grad32(0, 0, 0);
        k.grad64(0, 0, 0);
      },
    );
  }
  return kernels;
}

let enabled = true;

/** Turns the WebAssembly path off (tests compare it with the JavaScript loops). */
export function setReluWasm(on: boolean): void {
  enabled = on;
}

type Float = Float64Array | Float32Array;

/** A view of the kernels' memory holding `regions` arrays like `like`, each padded to 16 bytes; null if it cannot grow. */
function regions(k: Kernels, like: Float, count: number): { mem: Float; stride: number } | null {
  const perVector = 16 / like.BYTES_PER_ELEMENT;
  const stride = Math.ceil(like.length / perVector) * perVector;
  const bytes = count * stride * like.BYTES_PER_ELEMENT;
  if (!ensureMemory(k.memory, bytes)) return null;
  const mem = like instanceof Float32Array ? new Float32Array(k.memory.buffer, 0, count * stride) : new Float64Array(k.memory.buffer, 0, count * stride);
  return { mem, stride };
}

/** out = relu(z) in WebAssembly; false (nothing done) when too small or unavailable. */
export function reluWasm(z: Float, out: Float): boolean {
  if (!enabled || kernelBackend() === "plain" || z.length < RELU_WASM_MIN || out.length !== z.length || out.constructor !== z.constructor) return false;
  const k = load();
  const r = k === null ? null : regions(k, z, 1);
  if (k === null || r === null) return false;
  r.mem.set(z, 0);
  const es = z.BYTES_PER_ELEMENT;
  (z instanceof Float32Array ? k.relu32 : k.relu64)(0, r.stride * es);
  out.set(r.mem.subarray(0, z.length));
  return true;
}

/** gx = g where z > 0, else 0, in WebAssembly; false (nothing done) when too small or unavailable. */
export function reluGradWasm(z: Float, g: Float, gx: Float): boolean {
  const n = z.length;
  if (!enabled || kernelBackend() === "plain" || n < RELU_WASM_MIN || g.length !== n || gx.length !== n || g.constructor !== z.constructor || gx.constructor !== z.constructor) return false;
  const k = load();
  const r = k === null ? null : regions(k, z, 2);
  if (k === null || r === null) return false;
  const es = z.BYTES_PER_ELEMENT;
  r.mem.set(z, 0);
  r.mem.set(g, r.stride);
  (z instanceof Float32Array ? k.grad32 : k.grad64)(0, r.stride * es, r.stride * es);
  gx.set(r.mem.subarray(r.stride, r.stride + n));
  return true;
}
