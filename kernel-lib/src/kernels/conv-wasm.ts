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
import { Code, I32, V128, type FunctionDef } from "./wasm-emit";
import { kernelBackend } from "./gemm";
import { ensureMemory, instantiateKernels, type WasmMemory } from "./wasm-instance";

type Fn = (...args: number[]) => void;

/** Above this C·kh·kw the blocked gemm (with fused multiply-add and register tiles) is faster. */
export const CONV_DIRECT_MAX_K: number = 32;

/** Output channels (forward) or taps (weight gradient) computed together: independent add chains. */
const R = 4;

function forLoop(c: Code, v: number, from: number | null, limit: number, body: () => void): void {
  if (from !== null) c.i32Const(from).localSet(v);
  c.block().loop();
  c.localGet(v).localGet(limit).i32GeS().brIf(1);
  body();
  c.localGet(v).i32Const(1).i32Add().localSet(v);
  c.br(0).end().end();
}

export function forwardFunction(f32: boolean): FunctionDef {
  const es = f32 ? 4 : 8;
  const L = 16 / es;
  // params (WT: the weight transposed, [CKK, O], so one tap's R channels are adjacent)
  const [X, WT, B, Y, OFF, N, O, CKK, XN, WIN, OH, OW] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  // locals: i32 n, o, i, j, WP, OP, OPEND, XROW, OEND, XA; v128 XV0, XV1, W, ACC[R][2], BIAS[R]
  const [n, o, i, j, WP, OP, OPEND, XROW, OEND, XA] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  const [XV0, XV1, WV] = [22, 23, 24];
  const ACC = Array.from({ length: R }, (_, r) => [25 + 2 * r, 26 + 2 * r]);
  const BIAS = Array.from({ length: R }, (_, r) => 25 + 2 * R + r);
  const c = new Code();
  const splat = (offset: number): Code => (f32 ? c.v128Load32Splat(offset) : c.v128Load64Splat(offset));
  const add = (): Code => (f32 ? c.f32x4Add() : c.f64x2Add());
  const mul = (): Code => (f32 ? c.f32x4Mul() : c.f64x2Mul());
  // Channels o … o + width − 1 of image n, two adjacent output vectors at a time (columns j …
  // j + 2L − 1): per tap one pair of x loads shared by the 2·width independent sums.
  const channels = (width: number): void => {
    for (let r = 0; r < width; r++) {
      c.localGet(B).localGet(o).i32Const(es).i32Mul().i32Add();
      splat(r * es);
      c.localSet(BIAS[r]);
    }
    forLoop(c, i, 0, OH, () => {
      c.i32Const(0).localSet(j);
      c.block().loop();
      c.localGet(j).localGet(OW).i32Const(2 * L).i32Sub().i32GtS().if();
      c.localGet(OW).i32Const(2 * L).i32Sub().localSet(j);
      c.end();
      // XROW = X + n·XN + (i·WIN + j)·es
      c.localGet(X).localGet(n).localGet(XN).i32Mul().i32Add();
      c.localGet(i).localGet(WIN).i32Mul().localGet(j).i32Add().i32Const(es).i32Mul().i32Add().localSet(XROW);
      for (let r = 0; r < width; r++) for (const a of ACC[r]) c.v128Zero().localSet(a);
      c.localGet(WT).localGet(o).i32Const(es).i32Mul().i32Add().localSet(WP);
      c.localGet(OFF).localSet(OP);
      c.loop();
      c.localGet(XROW).localGet(OP).i32Load(0).i32Add().localTee(XA).v128Load(0).localSet(XV0);
      c.localGet(XA).v128Load(16).localSet(XV1);
      for (let r = 0; r < width; r++) {
        c.localGet(WP);
        splat(r * es);
        c.localSet(WV);
        // ACC[r][q] = ACC[r][q] + w[o + r, t] · XVq
        c.localGet(ACC[r][0]).localGet(WV).localGet(XV0);
        mul();
        add();
        c.localSet(ACC[r][0]);
        c.localGet(ACC[r][1]).localGet(WV).localGet(XV1);
        mul();
        add();
        c.localSet(ACC[r][1]);
      }
      c.localGet(WP).localGet(O).i32Const(es).i32Mul().i32Add().localSet(WP);
      c.localGet(OP).i32Const(4).i32Add().localTee(OP).localGet(OPEND).i32LtS().brIf(0);
      c.end();
      for (let r = 0; r < width; r++) {
        // Y[((n·O + o + r)·OH + i)·OW + j …] = ACC[r] + BIAS[r]
        c.localGet(Y);
        c.localGet(n).localGet(O).i32Mul().localGet(o).i32Add().i32Const(r).i32Add().localGet(OH).i32Mul().localGet(i).i32Add().localGet(OW).i32Mul().localGet(j).i32Add();
        c.i32Const(es).i32Mul().i32Add().localTee(XA);
        c.localGet(ACC[r][0]).localGet(BIAS[r]);
        add();
        c.v128Store(0);
        c.localGet(XA).localGet(ACC[r][1]).localGet(BIAS[r]);
        add();
        c.v128Store(16);
      }
      c.localGet(j).i32Const(2 * L).i32Add().localTee(j).localGet(OW).i32LtS().brIf(0);
      c.end().end();
    });
  };
  c.localGet(OFF).localGet(CKK).i32Const(4).i32Mul().i32Add().localSet(OPEND);
  forLoop(c, n, 0, N, () => {
    // o in steps of R while R channels remain, then one at a time.
    c.localGet(O).i32Const(R - 1).i32Sub().localSet(OEND);
    c.i32Const(0).localSet(o);
    c.block().loop();
    c.localGet(o).localGet(OEND).i32GeS().brIf(1);
    channels(R);
    c.localGet(o).i32Const(R).i32Add().localSet(o);
    c.br(0).end().end();
    forLoop(c, o, null, O, () => channels(1));
  });
  return {
    name: f32 ? "conv_f32" : "conv_f64",
    params: Array(12).fill(I32),
    locals: [...Array(10).fill(I32), ...Array(3 + 3 * R).fill(V128)],
    body: c,
  };
}

/**
 * 2·R sums at once, for taps r < R of two output channels: OUT[r] (a vector of per-lane partial
 * sums) = Σ_{n,i,j} G·X_r and OUT1[r] likewise over G1, X_r being x's rows shifted by tap r
 * (XS[r]); each x vector is loaded once for both channels, each g vector once for all R taps.
 */
export function dotFunction(f32: boolean): FunctionDef {
  const es = f32 ? 4 : 8;
  const L = 16 / es;
  const [G, X0, OUT, MASK, N, GN, XN, WIN, OH, OW, OWV, TAIL] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const XS = [X0, 12, 13, 14];
  const [G1, OUT1] = [15, 16];
  // locals: i32 n, i, JB (byte column), JEND, GROW, GROW1, XR[R] (this row of each tap); v128 GV, GV1, XV, ACC[2][R]
  const [n, i, JB, JEND, GROW, GROW1] = [17, 18, 19, 20, 21, 22];
  const XR = Array.from({ length: R }, (_, r) => 23 + r);
  const [GV, GV1, XV] = [23 + R, 24 + R, 25 + R];
  const ACC = [0, 1].map((ch) => Array.from({ length: R }, (_, r) => 26 + R + ch * R + r));
  const c = new Code();
  const add = (): Code => (f32 ? c.f32x4Add() : c.f64x2Add());
  const mul = (): Code => (f32 ? c.f32x4Mul() : c.f64x2Mul());
  for (const accs of ACC) for (const a of accs) c.v128Zero().localSet(a);
  c.localGet(OWV).i32Const(es).i32Mul().localSet(JEND);
  const step = (masked: boolean): void => {
    c.localGet(GROW).localGet(JB).i32Add().v128Load(0).localSet(GV);
    c.localGet(GROW1).localGet(JB).i32Add().v128Load(0).localSet(GV1);
    for (let r = 0; r < R; r++) {
      c.localGet(XR[r]).localGet(JB).i32Add().v128Load(0).localSet(XV);
      for (const [ch, g] of [[0, GV], [1, GV1]]) {
        c.localGet(ACC[ch][r]).localGet(g).localGet(XV);
        mul();
        // The product, not x, is masked: an infinite g times a masked 0 would be NaN.
        if (masked) c.localGet(MASK).v128Load(0).v128And();
        add();
        c.localSet(ACC[ch][r]);
      }
    }
  };
  forLoop(c, n, 0, N, () => forLoop(c, i, 0, OH, () => {
    // GROW = G + n·GN + i·OW·es (and likewise from G1)
    c.localGet(n).localGet(GN).i32Mul().localGet(i).localGet(OW).i32Mul().i32Const(es).i32Mul().i32Add().localSet(JB);
    c.localGet(G).localGet(JB).i32Add().localSet(GROW);
    c.localGet(G1).localGet(JB).i32Add().localSet(GROW1);
    // XR[r] = XS[r] + n·XN + i·WIN·es
    c.localGet(n).localGet(XN).i32Mul().localGet(i).localGet(WIN).i32Mul().i32Const(es).i32Mul().i32Add().localSet(JB);
    for (let r = 0; r < R; r++) c.localGet(XS[r]).localGet(JB).i32Add().localSet(XR[r]);
    c.i32Const(0).localSet(JB);
    c.block().loop();
    c.localGet(JB).localGet(JEND).i32GeS().brIf(1);
    step(false);
    c.localGet(JB).i32Const(16).i32Add().localSet(JB);
    c.br(0).end().end();
    // The row's last OW − OWV columns: the vector ending at the row's end, its earlier lanes masked off.
    c.localGet(TAIL).if();
    c.localGet(OW).i32Const(L).i32Sub().i32Const(es).i32Mul().localSet(JB);
    step(true);
    c.end();
  }));
  for (let r = 0; r < R; r++) {
    c.localGet(OUT).localGet(ACC[0][r]).v128Store(16 * r);
    c.localGet(OUT1).localGet(ACC[1][r]).v128Store(16 * r);
  }
  return {
    name: f32 ? "dot_f32" : "dot_f64",
    params: Array(17).fill(I32),
    locals: [...Array(6 + R).fill(I32), ...Array(3 + 2 * R).fill(V128)],
    body: c,
  };
}

/** The convolution exports of a module (this file's, or the fused block's of conv-block-wasm.ts). */
export interface ConvKernels {
  memory: WasmMemory;
  conv32: Fn;
  conv64: Fn;
  dot32: Fn;
  dot64: Fn;
}
let kernels: ConvKernels | null | undefined;

function load(): ConvKernels | null {
  if (kernels === undefined) {
    kernels = instantiateKernels(
      () => [forwardFunction(true), forwardFunction(false), dotFunction(true), dotFunction(false)],
      1,
      (exports) => ({
        memory: exports.memory as WasmMemory,
        conv32: exports.conv_f32 as Fn,
        conv64: exports.conv_f64 as Fn,
        dot32: exports.dot_f32 as Fn,
        dot64: exports.dot_f64 as Fn,
      }),
      warmConvKernels,
    );
  }
  return kernels;
}

/** V8 compiles at the first call: make it while the optimising flags are set (no work: N = 0). */
export function warmConvKernels(k: ConvKernels): void {
  k.conv32(0, 0, 0, 0, 0, 0, 1, 1, 0, 8, 1, 8);
  k.conv64(0, 0, 0, 0, 0, 0, 1, 1, 0, 4, 1, 4);
  k.dot32(0, 0, 0, 0, 0, 0, 0, 4, 1, 4, 4, 0, 0, 0, 0, 0, 0);
  k.dot64(0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 2, 0, 0, 0, 0, 0, 0);
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
  return enabled && kernelBackend() !== "plain" && s.c * s.kh * s.kw <= CONV_DIRECT_MAX_K && s.w - s.kw + 1 >= 2 * lanes && s.h - s.kh + 1 >= 1 && load() !== null;
}

export const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Byte addresses are i32 and compared signed: stay below 2 GiB (larger inputs take the plain path). */
const MAX_BYTES = 2 ** 31 - 65536;

export function reserve(k: { memory: WasmMemory }, bytes: number): boolean {
  return bytes <= MAX_BYTES && ensureMemory(k.memory, bytes);
}

export function view(like: Float, buffer: ArrayBufferLike, byteOffset: number, length: number): Float {
  return like instanceof Float32Array ? new Float32Array(buffer, byteOffset, length) : new Float64Array(buffer, byteOffset, length);
}

/** Byte offsets of each (c, u, v) tap from an output's top-left input element. */
function tapOffsets(s: ConvShape, es: number): Int32Array {
  const off = new Int32Array(s.c * s.kh * s.kw);
  let t = 0;
  for (let ci = 0; ci < s.c; ci++) for (let u = 0; u < s.kh; u++) for (let v = 0; v < s.kw; v++) off[t++] = ((ci * s.h + u) * s.w + v) * es;
  return off;
}

/** Where the forward's operands go in memory, from byte `at` on (each region 16-byte aligned). */
export function forwardLayout(s: ConvShape, es: number, at: number): { xAt: number; wAt: number; bAt: number; offAt: number; yAt: number; end: number } {
  const oh = s.h - s.kh + 1, ow = s.w - s.kw + 1, ckk = s.c * s.kh * s.kw;
  const xAt = at, wAt = xAt + align(s.n * s.c * s.h * s.w * es), bAt = wAt + align(s.o * ckk * es), offAt = bAt + align(s.o * es);
  const yAt = offAt + align(ckk * 4);
  return { xAt, wAt, bAt, offAt, yAt, end: yAt + s.n * s.o * oh * ow * es };
}

/** Copies x, the weight (transposed) and bias to their places and runs the forward: y at L.yAt. */
export function forwardIn(k: ConvKernels, s: ConvShape, L: ReturnType<typeof forwardLayout>, x: Float, weight: Float, bias: Float | null): void {
  const es = x.BYTES_PER_ELEMENT;
  const oh = s.h - s.kh + 1, ow = s.w - s.kw + 1, ckk = s.c * s.kh * s.kw;
  const buf = k.memory.buffer;
  view(x, buf, L.xAt, x.length).set(x);
  const wt = view(x, buf, L.wAt, weight.length);
  for (let o = 0; o < s.o; o++) for (let t = 0; t < ckk; t++) wt[t * s.o + o] = weight[o * ckk + t];
  const b = view(x, buf, L.bAt, s.o);
  if (bias) b.set(bias); else b.fill(0);
  new Int32Array(buf, L.offAt, ckk).set(tapOffsets(s, es));
  (es === 4 ? k.conv32 : k.conv64)(L.xAt, L.wAt, L.bAt, L.yAt, L.offAt, s.n, s.o, ckk, s.c * s.h * s.w * es, s.w, oh, ow);
}

/** y [n, o, oh, ow] = conv(x, weight) + bias; false (nothing done) where the kernels cannot run. */
export function conv2dDirectWasm(s: ConvShape, x: Float, weight: Float, bias: Float | null, y: Float): boolean {
  if (!convDirectApplies(s, x)) return false;
  const k = load();
  if (k === null) return false;
  const L = forwardLayout(s, x.BYTES_PER_ELEMENT, 0);
  if (!reserve(k, L.end)) return false;
  forwardIn(k, s, L, x, weight, bias);
  y.set(view(x, k.memory.buffer, L.yAt, y.length));
  return true;
}

/** Where the weight gradient's operands go, from byte `at` on; g (the output's gradient) at gAt. */
export function paramGradLayout(s: ConvShape, es: number, at: number): { xAt: number; gAt: number; onesAt: number; maskAt: number; outAt: number; end: number } {
  const oh = s.h - s.kh + 1, ow = s.w - s.kw + 1, ckk = s.c * s.kh * s.kw;
  const xLength = s.n * s.c * s.h * s.w;
  // Taps 0 … ckk − 1, then the bias as one more tap over an input of ones; in groups of R,
  // the last group padded with repeats of its first tap (summed again, not read).
  // Slots per channel: room for a group starting at any tap up to ckk.
  const slots = (Math.ceil((ckk + 1) / R) + 1) * R;
  const xAt = at, gAt = xAt + align(xLength * es), onesAt = gAt + align(s.n * s.o * oh * ow * es), maskAt = onesAt + align(xLength * es);
  const outAt = maskAt + 16;
  return { xAt, gAt, onesAt, maskAt, outAt, end: outAt + s.o * slots * 16 };
}

/**
 * gw [o, c·kh·kw] = Σ_{n,i,j} g[n, o, i, j] · x[n, c, i + u, j + v] and gb [o] = Σ g[n, o, :, :]
 * (either may be null: not wanted); false (nothing done) where the kernels cannot run.
 */
export function conv2dParamGradWasm(s: ConvShape, g: Float, x: Float, gw: Float | null, gb: Float | null): boolean {
  if (!convDirectApplies(s, x)) return false;
  const k = load();
  if (k === null) return false;
  const L = paramGradLayout(s, x.BYTES_PER_ELEMENT, 0);
  if (!reserve(k, L.end)) return false;
  view(x, k.memory.buffer, L.gAt, g.length).set(g);
  paramGradIn(k, s, L, x, gw, gb);
  return true;
}

/** The weight and bias gradients from g already at L.gAt (x is copied here). */
export function paramGradIn(k: ConvKernels, s: ConvShape, L: ReturnType<typeof paramGradLayout>, x: Float, gw: Float | null, gb: Float | null): void {
  const es = x.BYTES_PER_ELEMENT, L4 = 16 / es;
  const oh = s.h - s.kh + 1, ow = s.w - s.kw + 1, ckk = s.c * s.kh * s.kw, owv = ow - (ow % L4);
  const taps = ckk + 1, slots = (Math.ceil(taps / R) + 1) * R;
  const { xAt, gAt, onesAt, maskAt, outAt } = L;
  const buf = k.memory.buffer;
  view(x, buf, xAt, x.length).set(x);
  if (gb) view(x, buf, onesAt, x.length).fill(1);
  // Lanes of the row's last vector (columns ow − L …) that the whole vectors did not cover.
  const mask = new Int32Array(buf, maskAt, 4);
  for (let l = 0; l < L4; l++) {
    const keep = ow - L4 + l >= owv ? -1 : 0;
    if (es === 4) mask[l] = keep; else mask[2 * l] = mask[2 * l + 1] = keep;
  }
  const dot = es === 4 ? k.dot32 : k.dot64;
  const off = tapOffsets(s, es);
  const base = (t: number): number => (t < ckk ? xAt + off[t] : onesAt);
  const gn = s.o * oh * ow * es, xn = s.c * s.h * s.w * es, tail = owv < ow ? 1 : 0;
  const first = gw ? 0 : ckk, last = gb ? taps : ckk;
  // Channels in pairs (an odd last one paired with itself: the same sums stored twice).
  for (let o = 0; o < s.o; o += 2) {
    const o1 = Math.min(o + 1, s.o - 1);
    for (let t0 = first; t0 < last; t0 += R) {
      const at = (r: number): number => base(t0 + r < last ? t0 + r : t0);
      dot(gAt + o * oh * ow * es, at(0), outAt + (o * slots + t0) * 16, maskAt, s.n, gn, xn, s.w, oh, ow, owv, tail, at(1), at(2), at(3),
        gAt + o1 * oh * ow * es, outAt + (o1 * slots + t0) * 16);
    }
  }
  const lanes = view(x, buf, outAt, s.o * slots * L4);
  const f = es === 4 ? Math.fround : (v: number) => v;
  const sum = (q: number): number => {
    const at = q * L4;
    return L4 === 4 ? f(f(lanes[at] + lanes[at + 1]) + f(lanes[at + 2] + lanes[at + 3])) : lanes[at] + lanes[at + 1];
  };
  for (let o = 0; o < s.o; o++) {
    if (gw) for (let t = 0; t < ckk; t++) gw[o * ckk + t] = sum(o * slots + t);
    if (gb) gb[o] = sum(o * slots + ckk);
  }
}
