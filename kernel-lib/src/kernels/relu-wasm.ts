/**
 * ReLU and its gradient in WebAssembly SIMD, for large activations. A JavaScript loop over typed
 * arrays passed in as arguments costs ~3-4 ns an element here (each access checked), while
 * copying into WebAssembly memory and out again is a memcpy and the SIMD loop handles 16 bytes a
 * step: 173k float32 activations (the CNN benchmark's batch) ~0.5-0.7 ms -> well under 0.1 ms.
 *
 * Same results as functional/activations.ts's loops: y = z where z > 0 or z is NaN, else +0
 * (a comparison mask ANDed with the bits); ∂ = g where z > 0, else +0.
 */
import { Func, type FloatKind } from "./wasm-emit";
// setKernelBackend("plain") (or NNLAB_KERNELS=plain) turns these WebAssembly paths off too.
import { kernelBackend } from "./gemm";
import { defineKernel } from "./wasm-kernel";
import { ensureMemory } from "./wasm-memory";
import type { WasmMemory } from "./wasm-features";

/** relu(addr, bytes) in place; grad(zAddr, gAddr, bytes) writes into g's region. */
type Relu = (addr: number, bytes: number) => void;
type ReluGrad = (zAddr: number, gAddr: number, bytes: number) => void;

/** Below this many elements the copies and the call cost more than the loop saves. */
export const RELU_WASM_MIN: number = 4096;

export function reluFunction(kind: FloatKind): Func {
  const f = new Func(`relu_${kind}`);
  const addr = f.param("addr", "i32"), bytes = f.param("bytes", "i32");
  const end = f.local("end", "i32");
  f.localGet(addr).localGet(bytes).i32Add().localSet(end);
  f.whileLess(addr, end, () => {
    // [addr] = v & ((v > 0) | (v ≠ v))
    f.localGet(addr);
    f.localGet(addr).v128Load(0);
    f.localGet(addr).v128Load(0).v128Zero().vGt(kind);
    f.localGet(addr).v128Load(0).localGet(addr).v128Load(0).vNe(kind);
    f.v128Or().v128And().v128Store(0);
    f.inc(addr, 16);
  });
  return f;
}

function reluGradFunction(kind: FloatKind): Func {
  const f = new Func(`relu_grad_${kind}`);
  const z = f.param("z", "i32"), g = f.param("g", "i32"), bytes = f.param("bytes", "i32");
  const end = f.local("end", "i32");
  f.localGet(g).localGet(bytes).i32Add().localSet(end);
  f.whileLess(g, end, () => {
    // [g] = g & (z > 0)
    f.localGet(g);
    f.localGet(g).v128Load(0);
    f.localGet(z).v128Load(0).v128Zero().vGt(kind);
    f.v128And().v128Store(0);
    f.inc(g, 16);
    f.inc(z, 16);
  });
  return f;
}

interface Kernels {
  memory: WasmMemory;
  relu32: Relu;
  relu64: Relu;
  grad32: ReluGrad;
  grad64: ReluGrad;
}

const reluKernel = defineKernel<Kernels>({
  name: "relu",
  functions: () => [reluFunction("f32"), reluFunction("f64"), reluGradFunction("f32"), reluGradFunction("f64")],
  exports: (e) => ({
    memory: e.memory as WasmMemory,
    relu32: e.relu_f32 as Relu,
    relu64: e.relu_f64 as Relu,
    grad32: e.relu_grad_f32 as ReluGrad,
    grad64: e.relu_grad_f64 as ReluGrad,
  }),
  warm: (k) => {
    k.relu32(0, 0);
    k.relu64(0, 0);
    k.grad32(0, 0, 0);
    k.grad64(0, 0, 0);
  },
});

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
  const k = reluKernel.load();
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
  const k = reluKernel.load();
  const r = k === null ? null : regions(k, z, 2);
  if (k === null || r === null) return false;
  const es = z.BYTES_PER_ELEMENT;
  r.mem.set(z, 0);
  r.mem.set(g, r.stride);
  (z instanceof Float32Array ? k.grad32 : k.grad64)(0, r.stride * es, r.stride * es);
  gx.set(r.mem.subarray(r.stride, r.stride + n));
  return true;
}
