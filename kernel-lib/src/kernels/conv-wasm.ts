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
import { Func, type FloatKind, type Local } from "./wasm-emit";
import { kernelBackend } from "./gemm";
import { defineKernel } from "./wasm-kernel";
import { align16 as align, floatView as view, reserve } from "./wasm-memory";
import type { WasmMemory } from "./wasm-features";

type Fn = (...args: number[]) => void;

/** Above this C·kh·kw the blocked gemm (with fused multiply-add and register tiles) is faster. */
export const CONV_DIRECT_MAX_K: number = 32;

/** Output channels (forward) or taps (weight gradient) computed together: independent add chains. */
const R = 4;

const i32Params = (f: Func, names: string[]): Local[] => names.map((n) => f.param(n, "i32"));
const locals = (f: Func, names: string[], type: "i32" | "v128"): Local[] => names.map((n) => f.local(n, type));

export function forwardFunction(kind: FloatKind): Func {
  const es = kind === "f32" ? 4 : 8;
  const L = 16 / es;
  const f = new Func(`conv_${kind}`);
  // wt: the weight transposed, [CKK, O], so one tap's R channels are adjacent; off: the taps' byte offsets
  const [x, wt, b, y, off, N, O, ckk, xn, win, oh, ow] = i32Params(f, ["x", "wt", "b", "y", "off", "N", "O", "ckk", "xn", "win", "oh", "ow"]);
  const [n, o, i, j, wp, op, opEnd, xRow, oEnd, xa] = locals(f, ["n", "o", "i", "j", "wp", "op", "opEnd", "xRow", "oEnd", "xa"], "i32");
  const [xv0, xv1, wv] = locals(f, ["xv0", "xv1", "wv"], "v128");
  const acc = Array.from({ length: R }, (_, r) => locals(f, [`acc${r}_0`, `acc${r}_1`], "v128"));
  const bias = locals(f, Array.from({ length: R }, (_, r) => `bias${r}`), "v128");
  // Channels o … o + width − 1 of image n, two adjacent output vectors at a time (columns j …
  // j + 2L − 1): per tap one pair of x loads shared by the 2·width independent sums.
  const channels = (width: number): void => {
    for (let r = 0; r < width; r++) {
      f.localGet(b).localGet(o).i32Const(es).i32Mul().i32Add();
      f.loadSplat(kind, r * es);
      f.localSet(bias[r]);
    }
    f.forRange(i, 0, oh, () => {
      f.i32Const(0).localSet(j);
      f.block().loop();
      f.localGet(j).localGet(ow).i32Const(2 * L).i32Sub().i32GtS().if();
      f.localGet(ow).i32Const(2 * L).i32Sub().localSet(j);
      f.end();
      // xRow = x + n·xn + (i·win + j)·es
      f.localGet(x).localGet(n).localGet(xn).i32Mul().i32Add();
      f.localGet(i).localGet(win).i32Mul().localGet(j).i32Add().i32Const(es).i32Mul().i32Add().localSet(xRow);
      for (let r = 0; r < width; r++) for (const a of acc[r]) f.v128Zero().localSet(a);
      f.localGet(wt).localGet(o).i32Const(es).i32Mul().i32Add().localSet(wp);
      f.localGet(off).localSet(op);
      f.loop();
      f.localGet(xRow).localGet(op).i32Load(0).i32Add().localTee(xa).v128Load(0).localSet(xv0);
      f.localGet(xa).v128Load(16).localSet(xv1);
      for (let r = 0; r < width; r++) {
        f.localGet(wp);
        f.loadSplat(kind, r * es);
        f.localSet(wv);
        // acc[r][q] = acc[r][q] + w[o + r, t] · xv_q
        f.localGet(acc[r][0]).localGet(wv).localGet(xv0).vMul(kind).vAdd(kind).localSet(acc[r][0]);
        f.localGet(acc[r][1]).localGet(wv).localGet(xv1).vMul(kind).vAdd(kind).localSet(acc[r][1]);
      }
      f.localGet(wp).localGet(O).i32Const(es).i32Mul().i32Add().localSet(wp);
      f.localGet(op).i32Const(4).i32Add().localTee(op).localGet(opEnd).i32LtS().brIf(0);
      f.end();
      for (let r = 0; r < width; r++) {
        // y[((n·O + o + r)·oh + i)·ow + j …] = acc[r] + bias[r]
        f.localGet(y);
        f.localGet(n).localGet(O).i32Mul().localGet(o).i32Add().i32Const(r).i32Add();
        f.localGet(oh).i32Mul().localGet(i).i32Add().localGet(ow).i32Mul().localGet(j).i32Add();
        f.i32Const(es).i32Mul().i32Add().localTee(xa);
        f.localGet(acc[r][0]).localGet(bias[r]).vAdd(kind).v128Store(0);
        f.localGet(xa).localGet(acc[r][1]).localGet(bias[r]).vAdd(kind).v128Store(16);
      }
      f.localGet(j).i32Const(2 * L).i32Add().localTee(j).localGet(ow).i32LtS().brIf(0);
      f.end().end();
    });
  };
  f.localGet(off).localGet(ckk).i32Const(4).i32Mul().i32Add().localSet(opEnd);
  f.forRange(n, 0, N, () => {
    // o in steps of R while R channels remain, then one at a time.
    f.localGet(O).i32Const(R - 1).i32Sub().localSet(oEnd);
    f.i32Const(0).localSet(o);
    f.whileLess(o, oEnd, () => {
      channels(R);
      f.inc(o, R);
    });
    f.forRange(o, null, O, () => channels(1));
  });
  return f;
}

/**
 * 2·R sums at once, for taps r < R of two output channels: out[r] (a vector of per-lane partial
 * sums) = Σ_{n,i,j} G·X_r and out1[r] likewise over G1, X_r being x's rows shifted by tap r
 * (xs[r]); each x vector is loaded once for both channels, each g vector once for all R taps.
 */
export function dotFunction(kind: FloatKind): Func {
  const es = kind === "f32" ? 4 : 8;
  const L = 16 / es;
  const f = new Func(`dot_${kind}`);
  const [g, x0, out, mask, N, gn, xn, win, oh, ow, owv, tail, x1, x2, x3, g1, out1] = i32Params(f, [
    "g", "x0", "out", "mask", "N", "gn", "xn", "win", "oh", "ow", "owv", "tail", "x1", "x2", "x3", "g1", "out1",
  ]);
  const xs = [x0, x1, x2, x3];
  // jb: the byte column; gRow, gRow1, xr[r]: this row of g, g1 and each tap
  const [n, i, jb, jEnd, gRow, gRow1] = locals(f, ["n", "i", "jb", "jEnd", "gRow", "gRow1"], "i32");
  const xr = locals(f, Array.from({ length: R }, (_, r) => `xr${r}`), "i32");
  const [gv, gv1, xv] = locals(f, ["gv", "gv1", "xv"], "v128");
  const acc = [0, 1].map((ch) => locals(f, Array.from({ length: R }, (_, r) => `acc${ch}_${r}`), "v128"));
  for (const accs of acc) for (const a of accs) f.v128Zero().localSet(a);
  f.localGet(owv).i32Const(es).i32Mul().localSet(jEnd);
  const step = (masked: boolean): void => {
    f.localGet(gRow).localGet(jb).i32Add().v128Load(0).localSet(gv);
    f.localGet(gRow1).localGet(jb).i32Add().v128Load(0).localSet(gv1);
    for (let r = 0; r < R; r++) {
      f.localGet(xr[r]).localGet(jb).i32Add().v128Load(0).localSet(xv);
      for (const [ch, gvec] of [[0, gv], [1, gv1]] as const) {
        f.localGet(acc[ch][r]).localGet(gvec).localGet(xv).vMul(kind);
        // The product, not x, is masked: an infinite g times a masked 0 would be NaN.
        if (masked) f.localGet(mask).v128Load(0).v128And();
        f.vAdd(kind).localSet(acc[ch][r]);
      }
    }
  };
  f.forRange(n, 0, N, () => f.forRange(i, 0, oh, () => {
    // gRow = g + n·gn + i·ow·es (and likewise from g1)
    f.localGet(n).localGet(gn).i32Mul().localGet(i).localGet(ow).i32Mul().i32Const(es).i32Mul().i32Add().localSet(jb);
    f.localGet(g).localGet(jb).i32Add().localSet(gRow);
    f.localGet(g1).localGet(jb).i32Add().localSet(gRow1);
    // xr[r] = xs[r] + n·xn + i·win·es
    f.localGet(n).localGet(xn).i32Mul().localGet(i).localGet(win).i32Mul().i32Const(es).i32Mul().i32Add().localSet(jb);
    for (let r = 0; r < R; r++) f.localGet(xs[r]).localGet(jb).i32Add().localSet(xr[r]);
    f.i32Const(0).localSet(jb);
    f.whileLess(jb, jEnd, () => {
      step(false);
      f.inc(jb, 16);
    });
    // The row's last ow − owv columns: the vector ending at the row's end, its earlier lanes masked off.
    f.localGet(tail).if();
    f.localGet(ow).i32Const(L).i32Sub().i32Const(es).i32Mul().localSet(jb);
    step(true);
    f.end();
  }));
  for (let r = 0; r < R; r++) {
    f.localGet(out).localGet(acc[0][r]).v128Store(16 * r);
    f.localGet(out1).localGet(acc[1][r]).v128Store(16 * r);
  }
  return f;
}

/** The convolution exports of a module (this file's, or the fused block's of conv-block-wasm.ts). */
export interface ConvKernels {
  memory: WasmMemory;
  conv32: Fn;
  conv64: Fn;
  dot32: Fn;
  dot64: Fn;
}
const convKernel = defineKernel<ConvKernels>({
  name: "conv",
  functions: () => [forwardFunction("f32"), forwardFunction("f64"), dotFunction("f32"), dotFunction("f64")],
  exports: (e) => ({
    memory: e.memory as WasmMemory,
    conv32: e.conv_f32 as Fn,
    conv64: e.conv_f64 as Fn,
    dot32: e.dot_f32 as Fn,
    dot64: e.dot_f64 as Fn,
  }),
  warm: warmConvKernels,
});

/** Calls each convolution export once with no work (N = 0), so that V8 compiles it then. */
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
  return enabled && kernelBackend() !== "plain" && s.c * s.kh * s.kw <= CONV_DIRECT_MAX_K && s.w - s.kw + 1 >= 2 * lanes && s.h - s.kh + 1 >= 1 && convKernel.load() !== null;
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
  const k = convKernel.load();
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
  const k = convKernel.load();
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
