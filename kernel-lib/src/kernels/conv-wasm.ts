/**
 * Direct 2-D convolution (stride 1, no padding, a short C·kh·kw) and its weight and bias
 * gradients in WebAssembly SIMD, for the first layers of small CNNs.
 *
 * With C·kh·kw = 9 (one input channel, 3×3) the im2col + gemm route spends its time moving data:
 * the column matrix is 9× the input, written by a JavaScript loop (~3 ns an element), copied into
 * WebAssembly memory and packed for a product of only 9 multiply-adds per output, whose result is
 * then moved row by row into [N, O, OH, OW]. Here each output vector (4 float32 or 2 float64 along
 * a row) is Σ_t w[o, t] · x[shifted row] read straight from the copied input, written in place.
 *
 * Sums: y = ((0 + w₀x₀) + w₁x₁) + … + b, a multiply then an add (no fused multiply-add), t in
 * (c, u, v) order. The weight gradient Σ_{n,i,j} g·x is kept in per-lane partial sums (lane l
 * takes the columns j ≡ l mod L of every row, a row's last columns beyond a whole vector in a
 * masked, overlapping step) and the lanes are added in JavaScript: (s₀ + s₁) + (s₂ + s₃). These
 * are other summation orders than the gemm's, so the results agree with the plain path to
 * rounding, not bit for bit (test/kernels/conv-wasm.test.ts).
 */
import { buildModule, Code, I32, V128, type FunctionDef } from "./wasm-emit";
import { wasmSimdAvailable, withCompilerFlags } from "./gemm-wasm";
import { kernelBackend } from "./gemm";

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
type Fn = (...args: number[]) => void;

/** Above this C·kh·kw the blocked gemm (with fused multiply-add and register tiles) is faster. */
export const CONV_DIRECT_MAX_K: number = 32;

function forwardFunction(f32: boolean): FunctionDef {
  const es = f32 ? 4 : 8;
  const L = 16 / es;
  // params
  const [X, WT, B, Y, OFF, N, O, CKK, XN, WIN, OH, OW] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  // locals
  const [n, o, i, j, t, XROW, WROW, ACC, BIAS] = [12, 13, 14, 15, 16, 17, 18, 19, 20];
  const c = new Code();
  const splat = (): Code => (f32 ? c.v128Load32Splat(0) : c.v128Load64Splat(0));
  const add = (): Code => (f32 ? c.f32x4Add() : c.f64x2Add());
  const mul = (): Code => (f32 ? c.f32x4Mul() : c.f64x2Mul());
  const forLoop = (v: number, limit: number, body: () => void): void => {
    c.i32Const(0).localSet(v);
    c.block().loop();
    c.localGet(v).localGet(limit).i32GeS().brIf(1);
    body();
    c.localGet(v).i32Const(1).i32Add().localSet(v);
    c.br(0).end().end();
  };
  forLoop(n, N, () => forLoop(o, O, () => {
    c.localGet(B).localGet(o).i32Const(es).i32Mul().i32Add();
    splat();
    c.localSet(BIAS);
    c.localGet(WT).localGet(o).localGet(CKK).i32Mul().i32Const(es).i32Mul().i32Add().localSet(WROW);
    forLoop(i, OH, () => {
      c.i32Const(0).localSet(j);
      c.block().loop();
      c.localGet(j).localGet(OW).i32Const(L).i32Sub().i32GtS().if();
      c.localGet(OW).i32Const(L).i32Sub().localSet(j);
      c.end();
      // XROW = X + n·XN + (i·WIN + j)·es
      c.localGet(X).localGet(n).localGet(XN).i32Mul().i32Add();
      c.localGet(i).localGet(WIN).i32Mul().localGet(j).i32Add().i32Const(es).i32Mul().i32Add().localSet(XROW);
      c.v128Zero().localSet(ACC);
      c.i32Const(0).localSet(t);
      c.loop();
      // ACC = ACC + splat(WROW[t]) · load(XROW + OFF[t])
      c.localGet(ACC);
      c.localGet(WROW).localGet(t).i32Const(es).i32Mul().i32Add();
      splat();
      c.localGet(XROW).localGet(OFF).localGet(t).i32Const(4).i32Mul().i32Add().i32Load(0).i32Add().v128Load(0);
      mul();
      add();
      c.localSet(ACC);
      c.localGet(t).i32Const(1).i32Add().localTee(t).localGet(CKK).i32LtS().brIf(0);
      c.end();
      // Y[((n·O + o)·OH + i)·OW + j] = ACC + BIAS
      c.localGet(Y);
      c.localGet(n).localGet(O).i32Mul().localGet(o).i32Add().localGet(OH).i32Mul().localGet(i).i32Add().localGet(OW).i32Mul().localGet(j).i32Add();
      c.i32Const(es).i32Mul().i32Add();
      c.localGet(ACC).localGet(BIAS);
      add();
      c.v128Store(0);
      c.localGet(j).i32Const(L).i32Add().localTee(j).localGet(OW).i32LtS().brIf(0);
      c.end().end();
    });
  }));
  return {
    name: f32 ? "conv_f32" : "conv_f64",
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, V128, V128],
    body: c,
  };
}

function dotFunction(f32: boolean): FunctionDef {
  const es = f32 ? 4 : 8;
  const L = 16 / es;
  const [G, X, OUT, MASK, N, GN, XN, WIN, OH, OW, OWV, TAIL] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [n, i, j, GROW, XROW, ACC] = [12, 13, 14, 15, 16, 17];
  const c = new Code();
  const add = (): Code => (f32 ? c.f32x4Add() : c.f64x2Add());
  const mul = (): Code => (f32 ? c.f32x4Mul() : c.f64x2Mul());
  c.v128Zero().localSet(ACC);
  c.i32Const(0).localSet(n);
  c.block().loop();
  c.localGet(n).localGet(N).i32GeS().brIf(1);
  c.i32Const(0).localSet(i);
  c.block().loop();
  c.localGet(i).localGet(OH).i32GeS().brIf(1);
  c.localGet(G).localGet(n).localGet(GN).i32Mul().i32Add().localGet(i).localGet(OW).i32Mul().i32Const(es).i32Mul().i32Add().localSet(GROW);
  c.localGet(X).localGet(n).localGet(XN).i32Mul().i32Add().localGet(i).localGet(WIN).i32Mul().i32Const(es).i32Mul().i32Add().localSet(XROW);
  c.i32Const(0).localSet(j);
  c.block().loop();
  c.localGet(j).localGet(OWV).i32GeS().brIf(1);
  c.localGet(ACC);
  c.localGet(GROW).localGet(j).i32Const(es).i32Mul().i32Add().v128Load(0);
  c.localGet(XROW).localGet(j).i32Const(es).i32Mul().i32Add().v128Load(0);
  mul();
  add();
  c.localSet(ACC);
  c.localGet(j).i32Const(L).i32Add().localSet(j);
  c.br(0).end().end();
  // The row's last OW − OWV columns: the vector ending at the row's end, its earlier lanes masked off.
  c.localGet(TAIL).if();
  c.localGet(ACC);
  c.localGet(GROW).localGet(OW).i32Const(L).i32Sub().i32Const(es).i32Mul().i32Add().v128Load(0);
  c.localGet(XROW).localGet(OW).i32Const(L).i32Sub().i32Const(es).i32Mul().i32Add().v128Load(0);
  mul();
  c.localGet(MASK).v128Load(0).v128And();
  add();
  c.localSet(ACC);
  c.end();
  c.localGet(i).i32Const(1).i32Add().localSet(i);
  c.br(0).end().end();
  c.localGet(n).i32Const(1).i32Add().localSet(n);
  c.br(0).end().end();
  c.localGet(OUT).localGet(ACC).v128Store(0);
  return {
    name: f32 ? "dot_f32" : "dot_f64",
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, V128],
    body: c,
  };
}

interface Kernels {
  memory: WasmMemory;
  conv32: Fn;
  conv64: Fn;
  dot32: Fn;
  dot64: Fn;
}
let kernels: Kernels | null | undefined;

function load(): Kernels | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api || !wasmSimdAvailable()) return null;
  try {
    const bytes = buildModule([forwardFunction(true), forwardFunction(false), dotFunction(true), dotFunction(false)], 1);
    kernels = withCompilerFlags(() => {
      const { exports } = new api.Instance(new api.Module(bytes), {});
      const k: Kernels = {
        memory: exports.memory as WasmMemory,
        conv32: exports.conv_f32 as Fn,
        conv64: exports.conv_f64 as Fn,
        dot32: exports.dot_f32 as Fn,
        dot64: exports.dot_f64 as Fn,
      };
      // V8 compiles at the first call: make it while the flags are set (no work: N = 0).
      k.conv32(0, 0, 0, 0, 0, 0, 1, 1, 0, 4, 1, 4);
      k.conv64(0, 0, 0, 0, 0, 0, 1, 1, 0, 2, 1, 2);
      k.dot32(0, 0, 0, 0, 0, 0, 0, 4, 1, 4, 4, 0);
      k.dot64(0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 2, 0);
      return k;
    });
  } catch {
    kernels = null;
  }
  return kernels;
}

let enabled = true;

/** Turns the direct WebAssembly convolution off (tests compare it with im2col + gemm). */
export function setConvWasm(on: boolean): void {
  enabled = on;
}

type Float = Float64Array | Float32Array;

/** The geometry of one direct convolution: x [n, c, h, w], weight [o, c, kh, kw], stride 1, no padding. */
export interface ConvShape {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kh: number;
  kw: number;
}

/** Whether the direct kernels take this convolution (stride 1, no padding checked by the caller). */
export function convDirectApplies(s: ConvShape, dtype: Float): boolean {
  const lanes = 16 / dtype.BYTES_PER_ELEMENT;
  return enabled && kernelBackend() !== "plain" && s.c * s.kh * s.kw <= CONV_DIRECT_MAX_K && s.w - s.kw + 1 >= lanes && s.h - s.kh + 1 >= 1 && load() !== null;
}

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

function reserve(k: Kernels, bytes: number): boolean {
  const have = k.memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    k.memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

function view(like: Float, buffer: ArrayBuffer, byteOffset: number, length: number): Float {
  return like instanceof Float32Array ? new Float32Array(buffer, byteOffset, length) : new Float64Array(buffer, byteOffset, length);
}

/** Byte offsets of each (c, u, v) tap from an output's top-left input element. */
function tapOffsets(s: ConvShape, es: number): Int32Array {
  const off = new Int32Array(s.c * s.kh * s.kw);
  let t = 0;
  for (let ci = 0; ci < s.c; ci++) for (let u = 0; u < s.kh; u++) for (let v = 0; v < s.kw; v++) off[t++] = ((ci * s.h + u) * s.w + v) * es;
  return off;
}

/** y [n, o, oh, ow] = conv(x, weight) + bias; false (nothing done) where the kernels cannot run. */
export function conv2dDirectWasm(s: ConvShape, x: Float, weight: Float, bias: Float | null, y: Float): boolean {
  if (!convDirectApplies(s, x)) return false;
  const k = load();
  if (k === null) return false;
  const es = x.BYTES_PER_ELEMENT;
  const oh = s.h - s.kh + 1, ow = s.w - s.kw + 1, ckk = s.c * s.kh * s.kw;
  const xAt = 0, wAt = align(x.length * es), bAt = wAt + align(weight.length * es), offAt = bAt + align(s.o * es);
  const yAt = offAt + align(ckk * 4), end = yAt + y.length * es;
  if (!reserve(k, end)) return false;
  const buf = k.memory.buffer;
  view(x, buf, xAt, x.length).set(x);
  view(x, buf, wAt, weight.length).set(weight);
  const b = view(x, buf, bAt, s.o);
  if (bias) b.set(bias); else b.fill(0);
  new Int32Array(buf, offAt, ckk).set(tapOffsets(s, es));
  (es === 4 ? k.conv32 : k.conv64)(xAt, wAt, bAt, yAt, offAt, s.n, s.o, ckk, s.c * s.h * s.w * es, s.w, oh, ow);
  y.set(view(x, buf, yAt, y.length));
  return true;
}

/**
 * gw [o, c·kh·kw] = Σ_{n,i,j} g[n, o, i, j] · x[n, c, i + u, j + v] and gb [o] = Σ g[n, o, :, :]
 * (either may be null: not wanted); false (nothing done) where the kernels cannot run.
 */
export function conv2dParamGradWasm(s: ConvShape, g: Float, x: Float, gw: Float | null, gb: Float | null): boolean {
  if (!convDirectApplies(s, x)) return false;
  const k = load();
  if (k === null) return false;
  const es = x.BYTES_PER_ELEMENT, L = 16 / es;
  const oh = s.h - s.kh + 1, ow = s.w - s.kw + 1, ckk = s.c * s.kh * s.kw, owv = ow - (ow % L);
  const xAt = 0, gAt = align(x.length * es), onesAt = gAt + align(g.length * es), maskAt = onesAt + align(ow * es);
  const outAt = maskAt + 16, end = outAt + (s.o * (ckk + 1)) * 16;
  if (!reserve(k, end)) return false;
  const buf = k.memory.buffer;
  view(x, buf, xAt, x.length).set(x);
  view(x, buf, gAt, g.length).set(g);
  view(x, buf, onesAt, ow).fill(1);
  // Lanes of the row's last vector (columns ow − L …) that the whole vectors did not cover.
  const mask = es === 4 ? new Int32Array(buf, maskAt, 4) : new Int32Array(buf, maskAt, 4);
  for (let l = 0; l < L; l++) {
    const keep = ow - L + l >= owv ? -1 : 0;
    if (es === 4) mask[l] = keep; else mask[2 * l] = mask[2 * l + 1] = keep;
  }
  const dot = es === 4 ? k.dot32 : k.dot64;
  const off = tapOffsets(s, es);
  const gn = s.o * oh * ow * es, xn = s.c * s.h * s.w * es, tail = owv < ow ? 1 : 0;
  for (let o = 0; o < s.o; o++) {
    const gRow = gAt + o * oh * ow * es;
    if (gw) for (let t = 0; t < ckk; t++) dot(gRow, xAt + off[t], outAt + (o * (ckk + 1) + t) * 16, maskAt, s.n, gn, xn, s.w, oh, ow, owv, tail);
    // The bias: the same sum against a row of ones (no stride between images or rows).
    if (gb) dot(gRow, onesAt, outAt + (o * (ckk + 1) + ckk) * 16, maskAt, s.n, gn, 0, 0, oh, ow, owv, tail);
  }
  const lanes = view(x, buf, outAt, s.o * (ckk + 1) * L);
  const f = es === 4 ? Math.fround : (v: number) => v;
  const sum = (q: number): number => {
    const at = q * L;
    return L === 4 ? f(f(lanes[at] + lanes[at + 1]) + f(lanes[at + 2] + lanes[at + 3])) : lanes[at] + lanes[at + 1];
  };
  for (let o = 0; o < s.o; o++) {
    if (gw) for (let t = 0; t < ckk; t++) gw[o * ckk + t] = sum(o * (ckk + 1) + t);
    if (gb) gb[o] = sum(o * (ckk + 1) + ckk);
  }
  return true;
}
