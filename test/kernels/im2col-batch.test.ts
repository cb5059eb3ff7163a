// A batch's columns side by side in one matrix (row stride N·L, image n at column n·L): the layout
// conv2d multiplies in one product. Checked against im2col/col2im of each image on its own.
import { describe, expect, it } from "vitest";
import { col2im, im2col } from "../../kernel-lib/src/kernels/im2col";

describe("im2col / col2im over a batch in one matrix", () => {
  const [n, c, h, w, k, s, p] = [3, 2, 5, 6, 3, 2, 1];
  const oh = Math.floor((h + 2 * p - k) / s) + 1,
    ow = Math.floor((w + 2 * p - k) / s) + 1;
  const l = oh * ow,
    rows = c * k * k;
  const x = Float64Array.from({ length: n * c * h * w }, (_, i) => Math.sin(i + 1));

  it("is image i's own column matrix in columns i·L … i·L + L − 1 of every row?", () => {
    const batch = new Float64Array(rows * n * l).fill(NaN);
    for (let i = 0; i < n; i++) im2col(x, i * c * h * w, c, h, w, k, k, s, p, batch, i * l, n * l);
    for (let i = 0; i < n; i++) {
      const one = new Float64Array(rows * l);
      im2col(x, i * c * h * w, c, h, w, k, k, s, p, one);
      for (let r = 0; r < rows; r++) {
        expect(Array.from(batch.subarray(r * n * l + i * l, r * n * l + (i + 1) * l))).toEqual(Array.from(one.subarray(r * l, (r + 1) * l)));
      }
    }
  });

  it("does col2im read the same layout back, adding into each image?", () => {
    const cols = Float64Array.from({ length: rows * n * l }, (_, i) => Math.cos(i));
    const dx = new Float64Array(n * c * h * w).fill(1);
    for (let i = 0; i < n; i++) col2im(cols, c, h, w, k, k, s, p, dx, i * c * h * w, i * l, n * l);
    const want = new Float64Array(n * c * h * w).fill(1);
    for (let i = 0; i < n; i++) {
      const one = new Float64Array(rows * l);
      for (let r = 0; r < rows; r++) one.set(cols.subarray(r * n * l + i * l, r * n * l + (i + 1) * l), r * l);
      col2im(one, c, h, w, k, k, s, p, want, i * c * h * w);
    }
    expect(Array.from(dx)).toEqual(Array.from(want));
  });

  it("rejects a row stride shorter than a row, naming offset and stride", () => {
    expect(() => im2col(x, 0, c, h, w, k, k, s, p, new Float64Array(rows * n * l), 0, l - 1)).toThrow(/row stride/);
  });
});
