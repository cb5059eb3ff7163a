/**
 * Conv2d → ReLU → 2×2 max pool, the first block of a small CNN, as one pass through WebAssembly
 * memory. Run layer by layer, the block moves its largest tensors (the convolution's output and
 * the ReLU's, [N, O, OH, OW]) in and out of WebAssembly memory five times a step and allocates
 * two of them; here they never leave it: the input goes in, the pooled output comes out.
 *
 * The kernels are the layers' own (conv-wasm.ts, relu-wasm.ts, pool-wasm.ts), built into one
 * module so that they share a memory, so every value is the one the layers compute, bit for bit:
 *   forward   y = conv(x) + b;  r = relu(y) in place;  p, codes = maxpool(r)
 *   backward  the pool's gradient goes to each window's winner, and the ReLU lets it through
 *             where the winner was positive, that is where p > 0 (the winner is p's own element:
 *             p > 0 exactly when relu kept it; NaN > 0 is false, as z > 0 is for z = NaN). So
 *             the mask is applied to the pooled gradient first (g where p > 0, else +0), then
 *             unpooled (0 + g at the winner, +0 elsewhere, as the pool's gradient writes it)
 *             straight into the convolution's weight-gradient input.
 */
import { kernelBackend } from "./gemm";
import { defineKernel } from "./wasm-kernel";
import { align16 as align, floatView as view, reserve } from "./wasm-memory";
import type { WasmMemory } from "./wasm-features";
import {
  convDirectApplies, dotFunction, forwardFunction as convForwardFunction, forwardIn, forwardLayout,
  paramGradIn, paramGradLayout, warmConvKernels, type ConvKernels, type ConvShape,
} from "./conv-wasm";
import { reluFunction } from "./relu-wasm";
import { backwardFunction as unpoolFunction, forwardFunction as poolFunction, maxPool2x2Applies, type PoolFn } from "./pool-wasm";

type Float = Float64Array | Float32Array;

interface BlockKernels extends ConvKernels {
  relu32: (addr: number, bytes: number) => void;
  relu64: (addr: number, bytes: number) => void;
  pool32: PoolFn;
  pool64: PoolFn;
  unpool32: PoolFn;
  unpool64: PoolFn;
}

const convBlockKernel = defineKernel<BlockKernels>({
  name: "conv-block",
  functions: () =>
    (["f32", "f64"] as const).flatMap((k) => [convForwardFunction(k), dotFunction(k), reluFunction(k), poolFunction(k), unpoolFunction(k)]),
  exports: (e) => ({
    memory: e.memory as WasmMemory,
    conv32: e.conv_f32 as ConvKernels["conv32"], conv64: e.conv_f64 as ConvKernels["conv64"],
    dot32: e.dot_f32 as ConvKernels["dot32"], dot64: e.dot_f64 as ConvKernels["dot64"],
    relu32: e.relu_f32 as BlockKernels["relu32"], relu64: e.relu_f64 as BlockKernels["relu64"],
    pool32: e.maxpool2_f32 as PoolFn, pool64: e.maxpool2_f64 as PoolFn,
    unpool32: e.unpool2_f32 as PoolFn, unpool64: e.unpool2_f64 as PoolFn,
  }),
  warm: (k) => {
    warmConvKernels(k);
    k.relu32(0, 0);
    k.relu64(0, 0);
    for (const f of [k.pool32, k.pool64, k.unpool32, k.unpool64]) f(0, 0, 0, 0, 4);
  },
});

let enabled = true;

/** Turns the fused block off (tests compare it with the layers run one by one). */
export function setConvBlockWasm(on: boolean): void {
  enabled = on;
}

/**
 * Whether the fused block takes this convolution (stride 1, no padding: the caller checks) followed
 * by ReLU and a 2×2 stride-2 pool: the layers' own SIMD paths must all apply.
 */
export function convBlockApplies(s: ConvShape, like: Float): boolean {
  const oh = s.h - s.kh + 1, ow = s.w - s.kw + 1;
  return enabled && kernelBackend() !== "plain" && convDirectApplies(s, like) &&
    maxPool2x2Applies(oh, ow, s.n * s.o * (oh / 2) * (ow / 2), like.BYTES_PER_ELEMENT) && convBlockKernel.load() !== null;
}

/** The pooled output's layout after the forward's regions. */
function poolLayout(s: ConvShape, es: number, at: number): { pAt: number; codesAt: number; end: number; outputs: number; rows: number; ow2: number } {
  const oh = s.h - s.kh + 1, ow = s.w - s.kw + 1;
  const outputs = s.n * s.o * (oh / 2) * (ow / 2);
  const pAt = align(at), codesAt = pAt + align(outputs * es);
  return { pAt, codesAt, end: codesAt + outputs * 4, outputs, rows: s.n * s.o * (oh / 2), ow2: ow / 2 };
}

/**
 * p = maxpool2x2(relu(conv(x, weight) + bias)) [n, o, oh/2, ow/2] and each window's winner code;
 * false (nothing done) where the block does not apply or memory cannot grow.
 */
export function convReluPoolWasm(s: ConvShape, x: Float, weight: Float, bias: Float | null, p: Float, codes: Int32Array): boolean {
  if (!convBlockApplies(s, x)) return false;
  const k = convBlockKernel.load() as BlockKernels;
  const es = x.BYTES_PER_ELEMENT;
  const F = forwardLayout(s, es, 0);
  const P = poolLayout(s, es, F.end);
  if (p.length !== P.outputs || codes.length !== P.outputs || !reserve(k, P.end)) return false;
  forwardIn(k, s, F, x, weight, bias);
  // In place over the convolution's output; the byte count rounded up to whole vectors runs into
  // the (not yet written) pooled region at most.
  (es === 4 ? k.relu32 : k.relu64)(F.yAt, align(F.end - F.yAt));
  (es === 4 ? k.pool32 : k.pool64)(F.yAt, P.pAt, P.codesAt, P.rows, P.ow2);
  const buf = k.memory.buffer;
  p.set(view(x, buf, P.pAt, P.outputs));
  codes.set(new Int32Array(buf, P.codesAt, P.outputs));
  return true;
}

/**
 * The weight and bias gradients of the block from g = ∂C/∂p, given the forward's p and codes
 * (gw, gb may be null: not wanted); false where it does not apply.
 */
export function convReluPoolGradWasm(
  s: ConvShape, x: Float, p: Float, codes: Int32Array, g: Float, gw: Float | null, gb: Float | null,
): boolean {
  if (!convBlockApplies(s, x)) return false;
  const k = convBlockKernel.load() as BlockKernels;
  const es = x.BYTES_PER_ELEMENT;
  const G = paramGradLayout(s, es, 0);
  const P = poolLayout(s, es, G.end);
  if (g.length !== P.outputs || p.length !== P.outputs || !reserve(k, P.end)) return false;
  const buf = k.memory.buffer;
  const gm = view(x, buf, P.pAt, P.outputs);
  for (let i = 0; i < P.outputs; i++) gm[i] = p[i] > 0 ? g[i] : 0;
  new Int32Array(buf, P.codesAt, P.outputs).set(codes);
  (es === 4 ? k.unpool32 : k.unpool64)(P.pAt, P.codesAt, G.gAt, P.rows, P.ow2);
  paramGradIn(k, s, G, x, gw, gb);
  return true;
}
