// relu works on the floats' bits (no branches); it must agree with max(0, z) and its derivative
// everywhere, the awkward values included.
import { expect, it } from "vitest";
import { tensor } from "../../kernel-lib/src/index";

it.each(["float32", "float64"] as const)(
  "does %s relu give max(0, z), +0 for −0 and −inf, NaN for NaN, and pass the gradient only where z > 0?",
  (dtype) => {
    const z = [-2, -0, 0, 1.5, Infinity, -Infinity, NaN, 1e-40, -1e-40, 7];
    const x = tensor(z, { dtype, requiresGrad: true });
    const y = x.relu();
    const up = [1, 2, 3, 4, 5, 6, 7, 8, Infinity, NaN];
    y.backward(tensor(up, { dtype }));
    const zs = Array.from(x.data);
    zs.forEach((v, i) => {
      const want = Number.isNaN(v) ? NaN : Math.max(v, 0);
      expect(Object.is(y.data[i], want)).toBe(true);
      expect(Object.is(x.grad!.data[i], v > 0 ? Math.fround(up[i]) : 0) || (v > 0 && Number.isNaN(up[i]) && Number.isNaN(x.grad!.data[i]))).toBe(
        true,
      );
    });
  },
);

it.each([
  ["float32", 0xffc00000, 1],
  ["float64", 0xfff80000, 2],
] as const)("does %s relu keep a NaN whose sign bit is set (the CPU's default NaN)?", (dtype, hiBits, words) => {
  const x = tensor([1, -1, 2], { dtype });
  const w = new Int32Array(x.data.buffer, x.data.byteOffset, 3 * words);
  w[words * 2 - 1] = hiBits | 0; // element 1 becomes a NaN with the sign bit set
  if (words === 2) w[2] = 0;
  expect(Number.isNaN(x.data[1])).toBe(true);
  const y = x.relu();
  expect(Array.from(y.data).map((v) => (Number.isNaN(v) ? "NaN" : v))).toEqual([1, "NaN", 2]);
});
