/**
 * Convolutions as in PyTorch (really cross-correlation: the kernel is not flipped).
 *
 * conv2d: x [N, C, H, W], W [O, C, kh, kw], b [O] → y [N, O, OH, OW], OH = ⌊(H + 2p − kh)/s⌋ + 1:
 *   y[n, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[n, c, i·s − p + u, j·s − p + v]   (zero outside x)
 * computed for the whole batch as one matrix product [W | b] · [cols; 1] with cols[C·kh·kw, N·OH·OW] (im2col),
 * or, for stride 1, no padding and C·kh·kw ≤ 32 (a first layer), by the direct SIMD kernels of
 * kernels/conv-wasm.ts, which read x in place (the same sums in another order: equal to rounding).
 *
 * Backward, with G = ∂C/∂y as [O, N·OH·OW]:
 *   [∂C/∂W | ∂C/∂b] = G · [cols; 1]ᵀ (so ∂C/∂b[o] = Σ G[o, :]),   ∂C/∂cols = Wᵀ · G, folded back onto the pixels by col2im.
 *
 * conv1d is the same with one spatial axis (its own small im2col below).
 */
import { type FloatArray, allocate, allocateOutput } from "../tensor/dtype";
import { fmtShape, ShapeError } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";
import { releaseBuffer } from "../tensor/buffer-pool";
import { gemm } from "../kernels/gemm";
import { im2col, col2im } from "../kernels/im2col";
import { type ConvShape, conv2dDirectWasm, conv2dParamGradWasm } from "../kernels/conv-wasm";

export interface ConvOptions {
  stride?: number | undefined;
  padding?: number | undefined;
}

function checkInt(op: string, name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${op}: ${name} must be an integer ≥ ${min}, got ${v}.`);
  return v;
}

function checkDtypes(op: string, x: Tensor, w: Tensor, b: Tensor | null): void {
  for (const t of b ? [w, b] : [w]) {
    if (t.dtype !== x.dtype) throw new TypeError(`${op}: input is ${x.dtype} but a parameter is ${t.dtype}; convert one of them.`);
  }
}

function addBias(out: FloatArray, b: Tensor | null, n: number, o: number, l: number): void {
  if (!b) return;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < o; c++) {
      const base = (i * o + c) * l;
      const v = b.data[c];
      for (let k = 0; k < l; k++) out[base + k] += v;
    }
}

function biasGrad(g: FloatArray, b: Tensor, n: number, o: number, l: number): FloatArray {
  const gb = allocate(b.dtype, o);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < o; c++) {
      const base = (i * o + c) * l;
      let s = 0;
      for (let k = 0; k < l; k++) s += g[base + k];
      gb[c] += s;
    }
  return gb;
}

/** 2-D convolution; a 3-D input [C, H, W] is treated as a batch of one (and the output is 3-D too). */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  const x0 = asTensor("conv2d", input);
  const w = asTensor("conv2d", weight);
  const x = x0.ndim === 3 ? x0.reshape(1, ...x0.shape) : x0;
  const s = conv2dShapes(x0, x, w, bias, options);
  const forward = conv2dForward(x, w, bias, s);
  const shape = x0.ndim === 3 ? [s.o, s.oh, s.ow] : [s.n, s.o, s.oh, s.ow];
  return result("Conv2d", forward.out, shape, bias ? [x, w, bias] : [x, w], (g) => conv2dBackward(g, x, w, bias, s, forward));
}

/** The sizes a convolution works with: x [n, c, h, w], W [o, c, kh, kw], y [n, o, oh, ow], l = oh·ow. */
interface Conv2dShapes extends ConvShape {
  stride: number;
  pad: number;
  oh: number;
  ow: number;
  /** Pixels of one output channel: oh·ow. */
  l: number;
  /** Taps of one output: c·kh·kw. */
  ckk: number;
  /** Columns of the batch: n·l. */
  nl: number;
  /** Rows of [cols; 1]: the taps, plus one for the bias. */
  kb: number;
}

function conv2dShapes(x0: Tensor, x: Tensor, w: Tensor, bias: Tensor | null, options: ConvOptions): Conv2dShapes {
  const stride = checkInt("conv2d", "stride", options.stride ?? 1, 1);
  const pad = checkInt("conv2d", "padding", options.padding ?? 0, 0);
  if (x0.ndim !== 4 && x0.ndim !== 3) throw new ShapeError(`conv2d: input must be [N, C, H, W] (or [C, H, W]), got ${fmtShape(x0.shape)}.`);
  if (w.ndim !== 4) throw new ShapeError(`conv2d: weight must be [out_channels, in_channels, kh, kw], got ${fmtShape(w.shape)}.`);
  const [n, c, h, wd] = x.shape;
  const [o, cw, kh, kw] = w.shape;
  if (cw !== c) {
    throw new ShapeError(
      `conv2d: input ${fmtShape(x0.shape)} has ${c} channels but weight ${fmtShape(w.shape)} expects ${cw} (weight is [out, in, kh, kw]).`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== o)) throw new ShapeError(`conv2d: bias must be [${o}], got ${fmtShape(bias.shape)}.`);
  checkDtypes("conv2d", x, w, bias);
  const oh = Math.floor((h + 2 * pad - kh) / stride) + 1;
  const ow = Math.floor((wd + 2 * pad - kw) / stride) + 1;
  if (oh < 1 || ow < 1) {
    throw new ShapeError(`conv2d: kernel ${kh}×${kw} is larger than the input ${h}×${wd} with padding ${pad}; use a smaller kernel or more padding.`);
  }
  const ckk = c * kh * kw;
  return { n, c, h, w: wd, o, kh, kw, stride, pad, oh, ow, l: oh * ow, ckk, nl: n * oh * ow, kb: bias ? ckk + 1 : ckk };
}

/**
 * The forward pass's output, how it was computed, and the column matrix if one was built (kept
 * for ∂C/∂W: kh·kw times the input's size, freed with the graph).
 */
interface Conv2dForward {
  out: FloatArray;
  direct: boolean;
  columns: () => FloatArray;
}

/*
 * The whole batch as one product, the bias folded in as one more input row of ones:
 *   Y' [O, N·L] = [W | b] · [cols; 1],   cols [C·kh·kw, N·L] with image i in columns i·L …,
 * then each L-long row moved to its place in y [N, O, L]. One large product instead of N small
 * ones: with a handful of channels each image's product is too small (k = C·kh·kw = 9 for the
 * benchmark's first layer) to pay for a call into the kernels. The row moves are memcpy; the
 * bias inside the product spares a pass over y here and, in backward, over the gradient (its
 * gradient comes out of the weight gradient's product as one more column).
 */
function conv2dForward(x: Tensor, w: Tensor, bias: Tensor | null, s: Conv2dShapes): Conv2dForward {
  const { n, c, h, o, kh, kw, stride, pad, l, ckk, nl, kb } = s;
  const out = allocateOutput(x.dtype, n * o * l);
  // A few taps (C·kh·kw ≤ 32), stride 1, no padding: the direct SIMD kernels read x in place,
  // with neither the column matrix nor the row moves (kernels/conv-wasm.ts).
  const direct = stride === 1 && pad === 0 && conv2dDirectWasm(s, x.data.subarray(0, x.size), w.data, bias ? bias.data : null, out);
  let cols: FloatArray | null = null;
  // [cols; 1]: the input's columns with a row of ones for the bias.
  const columns = (): FloatArray => {
    if (cols) return cols;
    const cm = allocateOutput(x.dtype, kb * nl); // im2col writes every column of every row
    for (let i = 0; i < n; i++) im2col(x.data, i * c * h * s.w, c, h, s.w, kh, kw, stride, pad, cm, i * l, nl);
    if (bias) cm.fill(1, ckk * nl);
    return (cols = cm);
  };
  if (!direct) {
    const wb = bias ? biasColumn(w.data, bias.data, o, ckk) : w.data;
    const yt = allocateOutput(x.dtype, o * nl);
    gemm(false, false, o, nl, kb, wb, 0, columns(), 0, yt, 0, false);
    moveRows(yt, out, n, o, l, true);
    releaseBuffer(yt, "conv2d"); // a temporary nothing else saw: the next large allocation may reuse it
  }
  return { out, direct, columns };
}

/** [∂C/∂x, ∂C/∂W, ∂C/∂b] (the last only with a bias) from g = ∂C/∂y, by the path the forward took. */
function conv2dBackward(g: FloatArray, x: Tensor, w: Tensor, bias: Tensor | null, s: Conv2dShapes, forward: Conv2dForward): (FloatArray | null)[] {
  const { n, c, h, o, kh, kw, stride, pad, l, ckk, nl, kb } = s;
  let gw: FloatArray | null = null;
  let gb: FloatArray | null = null;
  const wantW = w.requiresGrad,
    wantB = bias?.requiresGrad;
  let paramsDone = !wantW && !wantB;
  if (!paramsDone && forward.direct) {
    gw = wantW ? allocate(w.dtype, w.size) : null;
    gb = wantB ? allocate(w.dtype, o) : null;
    paramsDone = conv2dParamGradWasm(s, g, x.data.subarray(0, x.size), gw, gb);
  }
  // G' [O, N·L]: g with each image's rows side by side, the layout of the forward product.
  let gt: FloatArray | null = null;
  const productLayout = (): FloatArray => {
    if (gt) return gt;
    gt = allocateOutput(x.dtype, o * nl);
    moveRows(g, gt, n, o, l, false);
    return gt;
  };
  if (!paramsDone) {
    gw = null;
    gb = null;
    // [∂C/∂W | ∂C/∂b] = G' · [cols; 1]ᵀ
    const gwb = allocateOutput(w.dtype, o * kb);
    gemm(false, true, o, kb, nl, productLayout(), 0, forward.columns(), 0, gwb, 0, false);
    if (!bias) gw = gwb;
    else {
      if (wantW) {
        gw = allocate(w.dtype, w.size);
        for (let r = 0; r < o; r++) gw.set(gwb.subarray(r * kb, r * kb + ckk), r * ckk);
      }
      if (wantB) {
        gb = allocate(bias.dtype, o);
        for (let r = 0; r < o; r++) gb[r] = gwb[r * kb + ckk];
      }
      releaseBuffer(gwb, "conv2d backward");
    }
  }
  let gx = null;
  if (x.requiresGrad) {
    // ∂C/∂cols = Wᵀ · G', folded back onto the pixels.
    const gcols = allocateOutput(x.dtype, ckk * nl);
    gemm(true, false, ckk, nl, o, w.data, 0, productLayout(), 0, gcols, 0, false);
    gx = allocate(x.dtype, x.size);
    for (let i = 0; i < n; i++) col2im(gcols, c, h, s.w, kh, kw, stride, pad, gx, i * c * h * s.w, i * l, nl);
    releaseBuffer(gcols, "conv2d backward");
  }
  if (gt) releaseBuffer(gt, "conv2d backward");
  return bias ? [gx, gw, gb] : [gx, gw];
}

/** [W | b]: the weight [O, K] with the bias as a last column, [O, K + 1]. */
function biasColumn(w: FloatArray, b: FloatArray, o: number, k: number): FloatArray {
  const wb = w instanceof Float32Array ? new Float32Array(o * (k + 1)) : new Float64Array(o * (k + 1));
  for (let r = 0; r < o; r++) {
    wb.set(w.subarray(r * k, (r + 1) * k), r * (k + 1));
    wb[r * (k + 1) + k] = b[r];
  }
  return wb;
}

/** Moves the L-long rows between the product's layout [O, N·L] and the tensor's [N, O, L] (either way). */
function moveRows(src: FloatArray, dst: FloatArray, n: number, o: number, l: number, toTensor: boolean): void {
  for (let i = 0; i < n; i++)
    for (let c = 0; c < o; c++) {
      const product = c * n * l + i * l;
      const tensor = (i * o + c) * l;
      if (toTensor) dst.set(src.subarray(product, product + l), tensor);
      else dst.set(src.subarray(tensor, tensor + l), product);
    }
}

/** cols[(ci·k + u), j] = x[ci, j·s − p + u] (zero outside): the 1-D im2col. */
function im2col1d(x: FloatArray, off: number, c: number, len: number, k: number, s: number, p: number, ol: number, out: FloatArray): void {
  for (let ci = 0; ci < c; ci++)
    for (let u = 0; u < k; u++) {
      const row = (ci * k + u) * ol;
      for (let j = 0; j < ol; j++) {
        const t = j * s - p + u;
        out[row + j] = t >= 0 && t < len ? x[off + ci * len + t] : 0;
      }
    }
}

function col2im1d(cols: FloatArray, c: number, len: number, k: number, s: number, p: number, ol: number, dx: FloatArray, off: number): void {
  for (let ci = 0; ci < c; ci++)
    for (let u = 0; u < k; u++) {
      const row = (ci * k + u) * ol;
      for (let j = 0; j < ol; j++) {
        const t = j * s - p + u;
        if (t >= 0 && t < len) dx[off + ci * len + t] += cols[row + j];
      }
    }
}

/** 1-D convolution: x [N, C, L], W [O, C, k], b [O] → [N, O, ⌊(L + 2p − k)/s⌋ + 1]; [C, L] is a batch of one. */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  const x0 = asTensor("conv1d", input);
  const w = asTensor("conv1d", weight);
  const stride = checkInt("conv1d", "stride", options.stride ?? 1, 1);
  const pad = checkInt("conv1d", "padding", options.padding ?? 0, 0);
  if (x0.ndim !== 3 && x0.ndim !== 2) throw new ShapeError(`conv1d: input must be [N, C, L] (or [C, L]), got ${fmtShape(x0.shape)}.`);
  const x = x0.ndim === 2 ? x0.reshape(1, ...x0.shape) : x0;
  if (w.ndim !== 3) throw new ShapeError(`conv1d: weight must be [out_channels, in_channels, k], got ${fmtShape(w.shape)}.`);
  const [n, c, len] = x.shape;
  const [o, cw, k] = w.shape;
  if (cw !== c) throw new ShapeError(`conv1d: input ${fmtShape(x0.shape)} has ${c} channels but weight ${fmtShape(w.shape)} expects ${cw}.`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== o)) throw new ShapeError(`conv1d: bias must be [${o}], got ${fmtShape(bias.shape)}.`);
  checkDtypes("conv1d", x, w, bias);
  const ol = Math.floor((len + 2 * pad - k) / stride) + 1;
  if (ol < 1) throw new ShapeError(`conv1d: kernel ${k} is longer than the input ${len} with padding ${pad}.`);
  const ck = c * k;
  const cols = allocate(x.dtype, ck * ol);
  const out = allocate(x.dtype, n * o * ol);
  for (let i = 0; i < n; i++) {
    im2col1d(x.data, i * c * len, c, len, k, stride, pad, ol, cols);
    gemm(false, false, o, ol, ck, w.data, 0, cols, 0, out, i * o * ol, false);
  }
  addBias(out, bias, n, o, ol);
  const shape = x0.ndim === 2 ? [o, ol] : [n, o, ol];
  return result("Conv1d", out, shape, bias ? [x, w, bias] : [x, w], (g) => {
    const gx = x.requiresGrad ? allocate(x.dtype, x.size) : null;
    const gw = w.requiresGrad ? allocate(w.dtype, w.size) : null;
    const gcols = gx ? allocate(x.dtype, ck * ol) : null;
    for (let i = 0; i < n; i++) {
      if (gw) {
        im2col1d(x.data, i * c * len, c, len, k, stride, pad, ol, cols);
        gemm(false, true, o, ck, ol, g, i * o * ol, cols, 0, gw, 0, true);
      }
      if (gx && gcols) {
        gemm(true, false, ck, ol, o, w.data, 0, g, i * o * ol, gcols, 0, false);
        col2im1d(gcols, c, len, k, stride, pad, ol, gx, i * c * len);
      }
    }
    const gb = bias?.requiresGrad ? biasGrad(g, bias, n, o, ol) : null;
    return bias ? [gx, gw, gb] : [gx, gw];
  });
}
