/**
 * 2-D pooling as in PyTorch: x [N, C, H, W] (or [C, H, W]) → [N, C, OH, OW], OH = ⌊(H + 2p − k)/s⌋ + 1,
 * stride defaulting to the kernel size.
 *
 * maxPool2d: each window's maximum (padding counts as −∞); the gradient goes to that maximum only
 * (the first one in row-major order on ties, like PyTorch's CPU kernel).
 * avgPool2d: each window's mean; with countIncludePad (PyTorch's default) padded zeros count in the
 * divisor. The gradient is spread evenly over the window.
 */
import { type FloatArray, allocate, allocateOutput } from "../tensor/dtype";
import { fmtShape, ShapeError } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";
import { maxPool2x2Wasm, maxPool2x2GradWasm } from "../kernels/pool-wasm";

export interface PoolOptions {
  /** Default: the kernel size (non-overlapping windows). */
  stride?: number | undefined;
  padding?: number | undefined;
}

interface Geometry {
  x: Tensor;
  n: number;
  c: number;
  h: number;
  w: number;
  k: number;
  s: number;
  p: number;
  oh: number;
  ow: number;
  shape: number[];
}

function geometry(op: string, input: Tensor, kernelSize: number, options: PoolOptions): Geometry {
  const x0 = asTensor(op, input);
  if (x0.ndim !== 4 && x0.ndim !== 3) throw new ShapeError(`${op}: input must be [N, C, H, W] (or [C, H, W]), got ${fmtShape(x0.shape)}.`);
  const x = x0.ndim === 3 ? x0.reshape(1, ...x0.shape) : x0;
  const k = kernelSize;
  const s = options.stride ?? k;
  const p = options.padding ?? 0;
  for (const [name, v, min] of [
    ["kernelSize", k, 1],
    ["stride", s, 1],
    ["padding", p, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${op}: ${name} must be an integer ≥ ${min}, got ${v}.`);
  }
  if (p > k / 2) throw new RangeError(`${op}: padding (${p}) must be at most half the kernel size (${k}), as in PyTorch.`);
  const [n, c, h, w] = x.shape;
  const oh = Math.floor((h + 2 * p - k) / s) + 1;
  const ow = Math.floor((w + 2 * p - k) / s) + 1;
  if (oh < 1 || ow < 1) throw new ShapeError(`${op}: window ${k}×${k} does not fit the input ${fmtShape(x0.shape)} with padding ${p}.`);
  return { x, n, c, h, w, k, s, p, oh, ow, shape: x0.ndim === 3 ? [c, oh, ow] : [n, c, oh, ow] };
}

export function maxPool2d(input: Tensor, kernelSize: number, options: PoolOptions = {}): Tensor {
  const { x, n, c, h, w, k, s, p, oh, ow, shape } = geometry("maxPool2d", input, kernelSize, options);
  const d = x.data;
  if (k === 2 && s === 2 && p === 0) {
    // Both paths write every output (and the SIMD gradient every element of gx): no zeroing first.
    const out = allocateOutput(x.dtype, n * c * oh * ow);
    // code[o]: each window's winner 0..3 (see maxPool2x2), which the SIMD gradient can use.
    const code = new Int32Array(out.length);
    if (!maxPool2x2Wasm(d, out, code, n * c, h, w)) maxPool2x2(d, out, code, n * c, h, w, oh, ow);
    return result("MaxPool2d", out, shape, [x], (g) => {
      const gx = allocateOutput(x.dtype, x.size);
      if (!maxPool2x2GradWasm(g, code, gx, n * c, h, w)) {
        gx.fill(0);
        maxPool2x2Grad(g, code, gx, n * c, h, w, oh, ow);
      }
      return [gx];
    });
  }
  const out = allocate(x.dtype, n * c * oh * ow);
  const arg = new Int32Array(out.length);
  let o = 0;
  if (p === 0) {
    // Without padding every window lies inside the image: no bounds checks in the hot loop. The
    // winner is picked without branches (a comparison's 0/1 selects the index): which value of a
    // window is largest is a coin toss, and a mispredicted branch per comparison was most of the
    // time. A value wins when it is larger, or NaN while the best so far is not (the first NaN
    // wins, as in PyTorch); ties keep the first.
    for (let plane = 0; plane < n * c; plane++) {
      const base = plane * h * w;
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++, o++) {
          let at = base + i * s * w + j * s;
          let best = d[at];
          for (let u = 0; u < k; u++) {
            const row = base + (i * s + u) * w + j * s;
            for (let v = 0; v < k; v++) {
              const val = d[row + v];
              const wins = +(val > best) | (+Number.isNaN(val) & +!Number.isNaN(best));
              at += wins * (row + v - at);
              best = d[at];
            }
          }
          out[o] = best;
          arg[o] = at;
        }
    }
  } else
    for (let plane = 0; plane < n * c; plane++) {
      const base = plane * h * w;
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++, o++) {
          let best = -Infinity;
          let at = -1;
          for (let u = 0; u < k; u++) {
            const y = i * s - p + u;
            if (y < 0 || y >= h) continue;
            for (let v = 0; v < k; v++) {
              const xx = j * s - p + v;
              if (xx < 0 || xx >= w) continue;
              const val = d[base + y * w + xx];
              // NaN wins, as in PyTorch, so a NaN input is not silently dropped.
              if (val > best || Number.isNaN(val) || at < 0) {
                best = val;
                at = base + y * w + xx;
                if (Number.isNaN(val)) break;
              }
            }
          }
          out[o] = best;
          arg[o] = at;
        }
    }
  return result("MaxPool2d", out, shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    for (let i = 0; i < g.length; i++) gx[arg[i]] += g[i];
    return [gx];
  });
}

/** 1 when `val` beats `best` for the maximum: larger, or NaN where best is not (the first NaN wins). */
function beats(val: number, best: number): number {
  return +(val > best) | (+Number.isNaN(val) & +!Number.isNaN(best));
}

/**
 * The common 2×2 window with stride 2, as two independent pairs (top row, bottom row) and then
 * the pair of winners: a shorter chain of dependent comparisons than one running maximum, and
 * still the first maximum in row-major order on ties, as above. code[o] is the winner's place in
 * its window, 0..3 in row-major order (kernels/pool-wasm.ts computes the same codes with SIMD).
 */
function maxPool2x2(d: FloatArray, out: FloatArray, code: Int32Array, planes: number, h: number, w: number, oh: number, ow: number): void {
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < oh; i++) {
      const r0 = base + 2 * i * w;
      const r1 = r0 + w;
      for (let j = 0; j < ow; j++, o++) {
        const a = r0 + 2 * j,
          b = r1 + 2 * j;
        const top = beats(d[a + 1], d[a]);
        const bottom = 2 + beats(d[b + 1], d[b]);
        const vt = d[a + top],
          vb = d[b + bottom - 2];
        const low = beats(vb, vt);
        out[o] = low ? vb : vt;
        code[o] = top + low * (bottom - top);
      }
    }
  }
}

/** gx = g at each window's winner (from maxPool2x2's codes), zero elsewhere. */
function maxPool2x2Grad(g: FloatArray, code: Int32Array, gx: FloatArray, planes: number, h: number, w: number, oh: number, ow: number): void {
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < oh; i++) {
      const r0 = base + 2 * i * w;
      for (let j = 0; j < ow; j++, o++) {
        const at = code[o];
        gx[r0 + 2 * j + (at & 1) + (at >> 1) * w] += g[o];
      }
    }
  }
}

export function avgPool2d(input: Tensor, kernelSize: number, options: PoolOptions & { countIncludePad?: boolean | undefined } = {}): Tensor {
  const { x, n, c, h, w, k, s, p, oh, ow, shape } = geometry("avgPool2d", input, kernelSize, options);
  const includePad = options.countIncludePad ?? true;
  const out = allocate(x.dtype, n * c * oh * ow);
  const d = x.data;
  // Window bounds and divisor per output position are the same for every plane.
  const y0 = new Int32Array(oh),
    y1 = new Int32Array(oh),
    x0 = new Int32Array(ow),
    x1 = new Int32Array(ow);
  const div = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    y0[i] = Math.max(0, i * s - p);
    y1[i] = Math.min(h, i * s - p + k);
  }
  for (let j = 0; j < ow; j++) {
    x0[j] = Math.max(0, j * s - p);
    x1[j] = Math.min(w, j * s - p + k);
  }
  for (let i = 0; i < oh; i++)
    for (let j = 0; j < ow; j++) {
      // With padding counted, the divisor is the window clipped to the padded input, not always k².
      const ph = Math.min(i * s - p + k, h + p) - (i * s - p);
      const pw = Math.min(j * s - p + k, w + p) - (j * s - p);
      div[i * ow + j] = includePad ? ph * pw : (y1[i] - y0[i]) * (x1[j] - x0[j]);
    }
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++, o++) {
        let sum = 0;
        for (let y = y0[i]; y < y1[i]; y++) for (let xx = x0[j]; xx < x1[j]; xx++) sum += d[base + y * w + xx];
        out[o] = sum / div[i * ow + j];
      }
  }
  return result("AvgPool2d", out, shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    let q = 0;
    for (let plane = 0; plane < n * c; plane++) {
      const base = plane * h * w;
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++, q++) {
          const gi = g[q] / div[i * ow + j];
          for (let y = y0[i]; y < y1[i]; y++) for (let xx = x0[j]; xx < x1[j]; xx++) gx[base + y * w + xx] += gi;
        }
    }
    return [gx];
  });
}
