import { describe, expect, it } from "vitest";
import { col2im, im2col } from "../../kernel-lib/src/kernels/im2col";
import { randomArray } from "./reference";

const cases = [
  // c, h, w, kh, kw, stride, pad
  [1, 1, 1, 1, 1, 1, 0],
  [2, 5, 7, 3, 2, 1, 0],
  [2, 5, 7, 3, 2, 2, 1],
  [3, 6, 6, 3, 3, 1, 1],
  [1, 7, 5, 2, 3, 3, 2],
  [2, 4, 4, 5, 5, 1, 2],
  [1, 9, 8, 3, 3, 2, 0],
] as const;

function naiveIm2col(x: Float64Array, xOff: number, c: number, h: number, w: number, kh: number, kw: number, s: number, pad: number) {
  const oh = Math.floor((h + 2 * pad - kh) / s) + 1,
    ow = Math.floor((w + 2 * pad - kw) / s) + 1;
  const out = new Float64Array(c * kh * kw * oh * ow);
  for (let ci = 0; ci < c; ci++)
    for (let ki = 0; ki < kh; ki++)
      for (let kj = 0; kj < kw; kj++) {
        const row = (ci * kh + ki) * kw + kj;
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            const iy = oy * s - pad + ki,
              ix = ox * s - pad + kj;
            out[row * oh * ow + oy * ow + ox] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[xOff + (ci * h + iy) * w + ix] : 0;
          }
      }
  return { out, oh, ow };
}

describe("im2col / col2im", () => {
  it.each(cases)("im2col matches the naive loops (c=%i h=%i w=%i kh=%i kw=%i stride=%i pad=%i)", (c, h, w, kh, kw, s, pad) => {
    const xOff = 3;
    const x = randomArray(Float64Array, xOff + c * h * w, c * 100 + h * 10 + w) as Float64Array;
    const { out: expected } = naiveIm2col(x, xOff, c, h, w, kh, kw, s, pad);
    const out = new Float64Array(expected.length).fill(99); // stale values must be overwritten
    im2col(x, xOff, c, h, w, kh, kw, s, pad, out);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it.each(cases)("col2im is the adjoint of im2col and accumulates (c=%i h=%i w=%i kh=%i kw=%i stride=%i pad=%i)", (c, h, w, kh, kw, s, pad) => {
    const { oh, ow } = naiveIm2col(new Float64Array(c * h * w), 0, c, h, w, kh, kw, s, pad);
    const x = randomArray(Float64Array, c * h * w, 7) as Float64Array;
    const y = randomArray(Float64Array, c * kh * kw * oh * ow, 8) as Float64Array;
    const cols = new Float64Array(y.length);
    im2col(x, 0, c, h, w, kh, kw, s, pad, cols);
    const dxOff = 2;
    const start = randomArray(Float64Array, dxOff + c * h * w, 9) as Float64Array;
    const dx = start.slice();
    col2im(y, c, h, w, kh, kw, s, pad, dx, dxOff);
    let lhs = 0,
      rhs = 0;
    for (let i = 0; i < y.length; i++) lhs += cols[i] * y[i];
    for (let i = 0; i < x.length; i++) rhs += x[i] * (dx[dxOff + i] - start[dxOff + i]);
    expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(lhs)));
    for (let i = 0; i < dxOff; i++) expect(dx[i]).toBe(start[i]);
  });

  it("works on float32 data like on float64", () => {
    const x64 = randomArray(Float64Array, 2 * 6 * 5, 4) as Float64Array;
    const x32 = Float32Array.from(x64);
    const out32 = new Float32Array(2 * 9 * 3 * 3),
      out64 = new Float64Array(out32.length);
    im2col(x32, 0, 2, 6, 5, 3, 3, 2, 1, out32);
    im2col(Float64Array.from(x32), 0, 2, 6, 5, 3, 3, 2, 1, out64);
    expect(Array.from(out32)).toEqual(Array.from(out64));
  });

  it("rejects a kernel larger than the padded input and short buffers with the shapes in the message", () => {
    expect(() => im2col(new Float64Array(4), 0, 1, 2, 2, 3, 3, 1, 0, new Float64Array(9))).toThrow(
      /im2col\(c=1, h=2, w=2, kh=3, kw=3, stride=1, pad=0\).*larger than the padded input/,
    );
    expect(() => im2col(new Float64Array(16), 0, 1, 4, 4, 3, 3, 1, 0, new Float64Array(10))).toThrow(
      /out must hold \[9, 4\] = 36 elements, got length 10/,
    );
    expect(() => col2im(new Float64Array(36), 1, 4, 4, 3, 3, 1, 0, new Float64Array(15), 0)).toThrow(
      /col2im: dx needs 1×4×4 elements from offset 0, but has length 15/,
    );
  });
});
