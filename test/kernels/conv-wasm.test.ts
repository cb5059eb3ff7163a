// The direct WebAssembly convolution (stride 1, no padding, C·kh·kw ≤ 32) against the
// im2col + gemm path it replaces: forward, ∂W, ∂b and ∂x, float32 and float64, with and without
// bias, output rows that are and are not a whole number of SIMD vectors, channel counts that are and
// are not a multiple of the 4 computed together. The summation orders
// differ, so the check is to rounding: relative 1e-12 (float64) and 1e-5 (float32) of the
// magnitude of the terms summed.
import { describe, expect, it } from "vitest";
import { F, Tensor } from "../../kernel-lib/src/index";
import { convDirectApplies, setConvWasm } from "../../kernel-lib/src/kernels/conv-wasm";
import { wasmSimdAvailable } from "../../kernel-lib/src/kernels/wasm-features";

const available = wasmSimdAvailable();
if (!available) console.log("conv-wasm tests skipped: this engine has no WebAssembly SIMD (conv2d keeps im2col + gemm)");

type Arr = Float32Array | Float64Array;

describe.each(["float32", "float64"] as const)("%s direct conv2d in WebAssembly", (dtype) => {
  const A = dtype === "float32" ? Float32Array : Float64Array;
  const tol = dtype === "float32" ? 1e-5 : 1e-12;
  let seed = 5;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const fill = (size: number): Arr => new A(Array.from({ length: size }, rnd));

  const cases = [
    { x: [6, 1, 28, 28], w: [8, 1, 3, 3], bias: true, gradX: false },
    { x: [3, 2, 9, 11], w: [5, 2, 3, 3], bias: true, gradX: true },
    { x: [2, 3, 7, 12], w: [4, 3, 2, 5], bias: false, gradX: true },
    { x: [4, 1, 6, 10], w: [3, 1, 1, 1], bias: true, gradX: false },
    { x: [2, 1, 5, 9], w: [6, 1, 2, 2], bias: true, gradX: true },
  ];
  for (const tc of cases) {
    it.skipIf(!available)(`matches im2col + gemm on x ${tc.x.join("×")}, w ${tc.w.join("×")}${tc.bias ? " with bias" : ""}`, () => {
      const xd = fill(tc.x.reduce((a, b) => a * b));
      const wd = fill(tc.w.reduce((a, b) => a * b));
      const bd = fill(tc.w[0]);
      const [n, , h, wi] = tc.x;
      const gd = fill(n * tc.w[0] * (h - tc.w[2] + 1) * (wi - tc.w[3] + 1));
      const run = (direct: boolean) => {
        setConvWasm(direct);
        try {
          const x = new Tensor(xd.slice(), tc.x, tc.gradX);
          const w = new Tensor(wd.slice(), tc.w, true);
          const b = tc.bias ? new Tensor(bd.slice(), [tc.w[0]], true) : null;
          const y = F.conv2d(x, w, b);
          y.backward(new Tensor(gd.slice(), y.shape));
          return { y: y.data as Arr, gw: w.grad!.data as Arr, gb: b ? (b.grad!.data as Arr) : null, gx: tc.gradX ? (x.grad!.data as Arr) : null };
        } finally {
          setConvWasm(true);
        }
      };
      const d = run(true),
        p = run(false);
      // Terms are products of values in [−1, 1]: compare relative to the number summed.
      const close = (a: Arr, b: Arr, terms: number) => {
        expect(a.length).toBe(b.length);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * terms);
      };
      const taps = tc.w[1] * tc.w[2] * tc.w[3];
      close(d.y, p.y, taps + 1);
      close(d.gw, p.gw, gd.length / tc.w[0]);
      if (d.gb && p.gb) close(d.gb, p.gb, gd.length / tc.w[0]);
      if (d.gx && p.gx) close(d.gx, p.gx, tc.w[0] * taps);
      // and the direct path really ran (not both the same fallback)
      expect(convDirectApplies({ n, c: tc.x[1], h, w: wi, o: tc.w[0], kh: tc.w[2], kw: tc.w[3] }, xd)).toBe(true);
    });
  }

  it.skipIf(!available)("an infinite gradient in a row's overlapping last vector stays infinite (no inf · 0)", () => {
    // ow = 26: the last vector covers columns 22..25 with 22 (and 23 for float32) masked off.
    const x = new Tensor(new A(2 * 28 * 28).fill(0.5), [2, 1, 28, 28]);
    const w = new Tensor(fill(2 * 9), [2, 1, 3, 3], true);
    const b = new Tensor(fill(2), [2], true);
    const y = F.conv2d(x, w, b);
    const g = new A(y.size);
    g[5 * 26 + 22] = Infinity;
    y.backward(new Tensor(g, y.shape));
    for (let t = 0; t < 9; t++) expect(w.grad!.data[t]).toBe(Infinity);
    expect(b.grad!.data[0]).toBe(Infinity);
    expect(Array.from(w.grad!.data.subarray(9))).toEqual(Array(9).fill(0));
  });

  it.skipIf(!available)("declines rows narrower than one vector and long kernels", () => {
    expect(convDirectApplies({ n: 1, c: 1, h: 8, w: 3, o: 2, kh: 3, kw: 3 }, new A(1))).toBe(false);
    expect(convDirectApplies({ n: 1, c: 8, h: 8, w: 8, o: 2, kh: 3, kw: 3 }, new A(1))).toBe(false);
  });
});
