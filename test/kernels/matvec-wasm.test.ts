import { afterAll, describe, expect, it } from "vitest";
import { tensor, randn, seed } from "../../kernel-lib/src/index";
import { matTVecWasm, matVecWasm, setMatvecWasm } from "../../kernel-lib/src/kernels/matvec-wasm";

afterAll(() => setMatvecWasm(true));

describe.each([
  ["float32", Float32Array],
  ["float64", Float64Array],
] as const)("%s matrix times column in WebAssembly", (dtype, C) => {
  it("aᵀ·g (a weight's gradient) equals the JavaScript loop bit for bit: each output summed over the batch in order", () => {
    // m a multiple of 8 (eight outputs at a time) and m ≡ 4 mod 8 (the last four on their own); m·k ≥ 256 (the wasm path).
    for (const [k, m] of [
      [5, 200],
      [1, 256],
      [7, 64],
      [32, 128],
      [9, 36],
      [3, 100],
    ]) {
      seed(k * 1000 + m);
      const X = randn([k, m], { dtype });
      const w = randn([m, 1], { dtype, requiresGrad: true });
      const g = randn([k, 1], { dtype });
      const grads: (Float32Array | Float64Array)[] = [];
      for (const on of [false, true]) {
        setMatvecWasm(on);
        w.grad = null;
        X.matmul(w).backward(g);
        grads.push(w.grad!.data.slice());
      }
      const [js, wasm] = grads;
      let diff = -1;
      for (let i = 0; i < js.length && diff < 0; i++) if (!Object.is(js[i], wasm[i])) diff = i;
      expect(diff, `[${k}, ${m}]ᵀ·[${k}, 1]: first element that differs`).toBe(-1);
    }
  });

  it("a·x agrees with the JavaScript loop to rounding, and the weight-decay gradient path is bit-identical", () => {
    // The kernel takes rows two at a time: one row, a pair, and pairs with an odd row after them.
    for (const m of [2, 5, 4, 3]) {
      seed(5);
      const X = randn([m, 200], { dtype });
      const w = randn([200, 1], { dtype, requiresGrad: true });
      const results: { y: Float32Array | Float64Array; g: Float32Array | Float64Array }[] = [];
      for (const on of [false, true]) {
        setMatvecWasm(on);
        w.grad = null;
        const y = X.matmul(w);
        y.sum().backward();
        results.push({ y: y.data.slice(), g: w.grad!.data.slice() });
      }
      const tol = dtype === "float32" ? 1e-6 : 1e-14;
      for (let i = 0; i < m; i++) {
        const scale = Math.abs(results[0].y[i]) + 1;
        expect(Math.abs(results[0].y[i] - results[1].y[i]) / scale, `m ${m} row ${i}`).toBeLessThanOrEqual(tol);
      }
      expect(Array.from(results[1].g)).toEqual(Array.from(results[0].g));
    }
  });

  it("declines what it does not handle and writes nothing then", () => {
    const y = new C(3).fill(7);
    expect(matVecWasm(3, 6, new C(18), new C(6), y)).toBe(false); // k not a multiple of 4
    expect(matTVecWasm(3, 100, new C(300), new C(100), y)).toBe(false); // m not a multiple of 4
    expect(matVecWasm(2, 4, new C(8), new C(4), y)).toBe(false); // too small to pay
    expect(Array.from(y)).toEqual([7, 7, 7]);
    setMatvecWasm(false);
    expect(matVecWasm(4, 200, new C(800), new C(200), new C(4))).toBe(false);
    setMatvecWasm(true);
    const out = new C(4);
    expect(matVecWasm(4, 200, new C(800).fill(1), new C(200).fill(0.5), out)).toBe(true);
    expect(Array.from(out)).toEqual([100, 100, 100, 100]);
  });
});

it("matmul of a tensor with a column still gives the right numbers end to end", () => {
  const a = tensor(
    [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
      [13, 14, 15, 16],
    ].map((r) => Array(16).fill(r).flat()),
  );
  const x = tensor(Array.from({ length: 64 }, (_, i) => [i % 2 === 0 ? 1 : -1]));
  // Each row is r repeated 16 times against +1, −1, +1, −1…: (r₀ − r₁ + r₂ − r₃)·16 = −2·16.
  expect(a.matmul(x).toFlatArray()).toEqual([-32, -32, -32, -32]);
});
