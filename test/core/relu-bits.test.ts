// relu works on the floats' bits (no branches); it must agree with max(0, z) and its derivative
// everywhere, the awkward values included.
import { expect, it } from "vitest";
import { tensor } from "../../kernel-lib/src/index";

it.each(["float32", "float64"] as const)("does %s relu give max(0, z), +0 for −0 and −inf, NaN for NaN, and pass the gradient only where z > 0?", (dtype) => {
  const z = [-2, -0, 0, 1.5, Infinity, -Infinity, NaN, 1e-40, -1e-40, 7];
  const x = tensor(z, { dtype, requiresGrad: true });
  const y = x.relu();
  const up = [1, 2, 3, 4, 5, 6, 7, 8, Infinity, NaN];
  y.backward(tensor(up, { dtype }));
  const zs = Array.from(x.data);
  zs.forEach((v, i) => {
    const want = Number.isNaN(v) ? NaN : v > 0 ? v : 0;
    expect(Object.is(y.data[i], want)).toBe(true);
    expect(Object.is(x.grad!.data[i], v > 0 ? Math.fround(up[i]) : 0) || (v > 0 && Number.isNaN(up[i]) && Number.isNaN(x.grad!.data[i]))).toBe(true);
  });
});
