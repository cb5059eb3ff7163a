/**
 * im2col / col2im: convolution as matrix multiply.
 *
 * For one image x[c, h, w], im2col lays every receptive field out as a column:
 *   cols[(ci*kh + ki)*kw + kj, oy*ow + ox] = x[ci, oy*stride - pad + ki, ox*stride - pad + kj]
 * (zero where that falls in the padding), with oh = ⌊(h + 2·pad − kh)/stride⌋ + 1 and
 * likewise ow. A convolution is then weight[cout, c·kh·kw] · cols. col2im is the adjoint
 * (transpose) of im2col: it scatters-adds each column entry back to the pixel it came from,
 * which is how the gradient with respect to the input is formed.
 */
import type { FloatArray } from "../tensor/dtype";

function outSize(op: string, c: number, h: number, w: number, kh: number, kw: number, stride: number, pad: number): [number, number] {
  const shape = `${op}(c=${c}, h=${h}, w=${w}, kh=${kh}, kw=${kw}, stride=${stride}, pad=${pad})`;
  for (const [name, v, min] of [
    ["c", c, 0],
    ["h", h, 0],
    ["w", w, 0],
    ["kh", kh, 1],
    ["kw", kw, 1],
    ["stride", stride, 1],
    ["pad", pad, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${shape}: ${name} must be an integer ≥ ${min}, got ${v}`);
  }
  const oh = Math.floor((h + 2 * pad - kh) / stride) + 1;
  const ow = Math.floor((w + 2 * pad - kw) / stride) + 1;
  if (oh < 1 || ow < 1) {
    throw new RangeError(`${shape}: the kernel is larger than the padded input (output would be ${oh}×${ow}); use a smaller kernel or more padding`);
  }
  return [oh, ow];
}

/** Output columns ox whose input column ox*stride - pad + kj lies in [0, w): [lo, hi). */
function validRange(kj: number, stride: number, pad: number, w: number, ow: number): [number, number] {
  const lo = Math.min(ow, Math.max(0, Math.ceil((pad - kj) / stride)));
  const hi = Math.max(lo, Math.min(ow, Math.floor((w - 1 + pad - kj) / stride) + 1));
  return [lo, hi];
}

/**
 * Writes the [c·kh·kw, oh·ow] column matrix of image x[c, h, w] (at xOffset) into out, row r at
 * out[outOffset + r·ld …]. The default ld = oh·ow packs the rows; a batch of N images shares one
 * [c·kh·kw, N·oh·ow] matrix with ld = N·oh·ow and image n at outOffset = n·oh·ow, so that a whole
 * batch is convolved by one matrix product.
 */
export function im2col(
  x: FloatArray,
  xOffset: number,
  c: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  stride: number,
  pad: number,
  out: FloatArray,
  outOffset: number = 0,
  ld: number = -1,
): void {
  const [oh, ow] = outSize("im2col", c, h, w, kh, kw, stride, pad);
  const l = oh * ow;
  const rowStride = ld < 0 ? l : ld;
  if (xOffset + c * h * w > x.length) {
    throw new RangeError(`im2col: x needs ${c}×${h}×${w} elements from offset ${xOffset}, but has length ${x.length}`);
  }
  if (rowStride < l || outOffset + (c * kh * kw - 1) * rowStride + l > out.length) {
    const need =
      `[${c * kh * kw}, ${l}] = ${c * kh * kw * l} elements` +
      (outOffset || rowStride !== l ? ` from offset ${outOffset} with row stride ${rowStride}` : "");
    throw new RangeError(`im2col: out must hold ${need}, got length ${out.length}`);
  }
  let row = outOffset;
  for (let ci = 0; ci < c; ci++) {
    const plane = xOffset + ci * h * w;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row += rowStride) {
        const [lo, hi] = validRange(kj, stride, pad, w, ow);
        let o = row;
        for (let oy = 0; oy < oh; oy++, o += ow) {
          const iy = oy * stride - pad + ki;
          // Explicit loops rather than out.fill: the runs are a few elements long (the padding).
          if (iy < 0 || iy >= h) {
            for (let ox = 0; ox < ow; ox++) out[o + ox] = 0;
            continue;
          }
          for (let ox = 0; ox < lo; ox++) out[o + ox] = 0;
          let s = plane + iy * w + lo * stride - pad + kj;
          for (let ox = lo; ox < hi; ox++, s += stride) out[o + ox] = x[s];
          for (let ox = hi; ox < ow; ox++) out[o + ox] = 0;
        }
      }
    }
  }
}

/**
 * Adds the [c·kh·kw, oh·ow] column matrix `cols` (row r at cols[colsOffset + r·ld …], as in
 * im2col) back into image dx[c, h, w] (at dxOffset).
 */
export function col2im(
  cols: FloatArray,
  c: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  stride: number,
  pad: number,
  dx: FloatArray,
  dxOffset: number,
  colsOffset: number = 0,
  ld: number = -1,
): void {
  const [oh, ow] = outSize("col2im", c, h, w, kh, kw, stride, pad);
  const l = oh * ow;
  const rowStride = ld < 0 ? l : ld;
  if (rowStride < l || colsOffset + (c * kh * kw - 1) * rowStride + l > cols.length) {
    const need =
      `[${c * kh * kw}, ${l}] = ${c * kh * kw * l} elements` +
      (colsOffset || rowStride !== l ? ` from offset ${colsOffset} with row stride ${rowStride}` : "");
    throw new RangeError(`col2im: cols must hold ${need}, got length ${cols.length}`);
  }
  if (dxOffset + c * h * w > dx.length) {
    throw new RangeError(`col2im: dx needs ${c}×${h}×${w} elements from offset ${dxOffset}, but has length ${dx.length}`);
  }
  let row = colsOffset;
  for (let ci = 0; ci < c; ci++) {
    const plane = dxOffset + ci * h * w;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row += rowStride) {
        const [lo, hi] = validRange(kj, stride, pad, w, ow);
        let o = row;
        for (let oy = 0; oy < oh; oy++, o += ow) {
          const iy = oy * stride - pad + ki;
          if (iy < 0 || iy >= h) continue;
          let s = plane + iy * w + lo * stride - pad + kj;
          for (let ox = lo; ox < hi; ox++, s += stride) dx[s] += cols[o + ox];
        }
      }
    }
  }
}
