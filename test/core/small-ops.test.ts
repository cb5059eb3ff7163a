// The per-op fast paths for small tensors (ops/elementwise.ts, ops/matmul.ts, ops/reduce.ts,
// tensor/buffer-pool.ts) must give what the general paths give: these compare them with hand-computed
// values and with the broadcasting path, for both dtypes.
import { describe, expect, it } from "vitest";
import { tensor, randn, seed, type Tensor } from "../../kernel-lib/src/index";
import { allocate } from "../../kernel-lib/src/tensor/dtype";
import { releaseBuffer, clearFreeList } from "../../kernel-lib/src/tensor/buffer-pool";
import { mul, sub } from "../../kernel-lib/src/ops/elementwise";

const flat = (t: Tensor | null): number[] => Array.from(t!.data);

describe("add, sub, mul on same-shape and single-value operands", () => {
  it("does a number operand give the same values and gradients as a 0-d tensor, on either side?", () => {
    for (const op of ["add", "sub", "mul"] as const) {
      const x = tensor([1.5, -2, 3], { requiresGrad: true });
      const x2 = tensor([1.5, -2, 3], { requiresGrad: true });
      const c = tensor(2.5, { requiresGrad: true });
      const viaNumber = x[op](2.5);
      const viaTensor = x2[op](c);
      expect(flat(viaNumber)).toEqual(flat(viaTensor));
      viaNumber
        .mul(tensor([1, 10, 100]))
        .sum()
        .backward();
      viaTensor
        .mul(tensor([1, 10, 100]))
        .sum()
        .backward();
      expect(flat(x.grad)).toEqual(flat(x2.grad));
      // ∂/∂c summed over the elements it was spread to: 111, −111, and Σ g·x for mul.
      expect(c.grad!.item()).toBe(op === "add" ? 111 : op === "sub" ? -111 : 1.5 - 20 + 300);
    }
    // A number on the left (only the functions take one there): 10 − y and 10·y.
    const y = tensor([1, 2], { requiresGrad: true });
    const left = sub(10, y);
    expect(flat(left)).toEqual([9, 8]);
    left.add(mul(10, y)).sum().backward();
    expect(flat(y.grad)).toEqual([9, 9]);
  });

  it("does a one-element tensor broadcast like the general path, and sum its gradient back to its own shape?", () => {
    const a = tensor([[1], [2], [3]], { requiresGrad: true });
    const b = tensor([0.5], { requiresGrad: true });
    const out = a.mul(b).add(b).sub(b.mul(2));
    expect(out.shape).toEqual([3, 1]);
    expect(flat(out)).toEqual([0, 0.5, 1]);
    out.sum().backward();
    expect(flat(a.grad)).toEqual([0.5, 0.5, 0.5]);
    expect(b.grad!.shape).toEqual([1]);
    expect(b.grad!.item()).toBe(1 + 2 + 3 + 3 - 6);
    // More dims on the single-value side: the result takes its rank ([1, 1] with [3] is [1, 3]).
    const wide = tensor([[2]]).mul(tensor([1, 2, 3]));
    expect(wide.shape).toEqual([1, 3]);
    expect(flat(wide)).toEqual([2, 4, 6]);
  });

  it("does a number meet a float32 tensor as a float32 value, as a float32 scalar tensor would?", () => {
    const x = tensor([3], { dtype: "float32" });
    expect(x.mul(0.1).data[0]).toBe(Math.fround(3 * Math.fround(0.1)));
    expect(x.mul(0.1).data[0]).toBe(x.mul(tensor(0.1, { dtype: "float32" })).data[0]);
  });

  it("does x op x (one tensor as both operands) collect both gradients?", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.add(x).sum().backward();
    expect(flat(x.grad)).toEqual([2, 2]);
    x.grad = null;
    x.mul(x).sum().backward();
    expect(flat(x.grad)).toEqual([2, 4]);
  });

  it("are mismatched dtypes and two numbers still refused with the op's name?", () => {
    expect(() => tensor([1]).add(tensor([1], { dtype: "float32" }))).toThrow(/add: mixed dtypes/);
    expect(() => tensor([1]).mul(tensor([1, 2], { dtype: "float32" }))).toThrow(/mul: mixed dtypes/);
  });
});

describe("small matrix products", () => {
  const naive = (a: number[], b: number[], m: number, n: number, k: number): number[] => {
    const c = new Array<number>(m * n).fill(0);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) c[i * n + j] += a[i * k + p] * b[p * n + j];
    return c;
  };

  for (const dtype of ["float64", "float32"] as const) {
    it(`do X·w, Gᵀ-products and their gradients match a triple loop (${dtype}, [5, 203]·[203, 1] and [4, 7]·[7, 3])?`, () => {
      seed(1);
      for (const [m, k, n] of [
        [5, 203, 1],
        [4, 7, 3],
      ]) {
        const X = randn([m, k], { dtype, requiresGrad: true });
        const w = randn([k, n], { dtype, requiresGrad: true });
        const out = X.matmul(w);
        const tol = dtype === "float64" ? 1e-12 : 1e-5;
        const want = naive(flat(X), flat(w), m, n, k);
        flat(out).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(tol * (1 + Math.abs(want[i]))));
        const G = randn([m, n], { dtype });
        out.backward(G);
        // ∂/∂X = G·wᵀ, ∂/∂w = Xᵀ·G
        const gX = new Array<number>(m * k).fill(0);
        const gw = new Array<number>(k * n).fill(0);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++)
            for (let p = 0; p < k; p++) {
              gX[i * k + p] += G.data[i * n + j] * w.data[p * n + j];
              gw[p * n + j] += X.data[i * k + p] * G.data[i * n + j];
            }
        flat(X.grad).forEach((v, i) => expect(Math.abs(v - gX[i])).toBeLessThan(tol * (1 + Math.abs(gX[i]))));
        flat(w.grad).forEach((v, i) => expect(Math.abs(v - gw[i])).toBeLessThan(tol * (1 + Math.abs(gw[i]))));
      }
    });
  }
});

describe("whole-tensor sum() and mean()", () => {
  it("do they give 0-d results and spread g (or g/n) back to every element?", () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const s = x.sum();
    const m = x.mean();
    expect(s.shape).toEqual([]);
    expect(m.shape).toEqual([]);
    expect(s.item()).toBe(10);
    expect(m.item()).toBe(2.5);
    s.mul(3).add(m.mul(8)).backward();
    expect(flat(x.grad)).toEqual([5, 5, 5, 5]);
    expect(x.grad!.shape).toEqual([2, 2]);
  });
});

describe("small arrays cut from a shared slab", () => {
  for (const dtype of ["float64", "float32"] as const) {
    it(`are they zeroed, separate, and zeroed again when they come back from the free list (${dtype})?`, () => {
      clearFreeList();
      const arrays = Array.from({ length: 300 }, (_, i) => allocate(dtype, 9 + (i % 60)));
      arrays.forEach((a, i) => {
        expect(a.every((v) => v === 0)).toBe(true);
        a.fill(i + 1);
      });
      arrays.forEach((a, i) => expect(a.every((v) => v === i + 1)).toBe(true));
      const big = arrays.find((a) => a.length >= 40)!;
      releaseBuffer(big, "test");
      const again = allocate(dtype, big.length);
      expect(again).toBe(big);
      expect(again.every((v) => v === 0)).toBe(true);
      clearFreeList();
    });
  }

  it("is a view into a user's buffer still never taken into the free list?", () => {
    clearFreeList();
    const user = new Float64Array(200).fill(7);
    const batch = user.subarray(100, 150);
    releaseBuffer(batch, "test");
    expect(allocate("float64", 50)).not.toBe(batch);
    expect(user[120]).toBe(7);
  });
});
