import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import * as nn from "../../kernel-lib/src/index";
import { tensor } from "../../kernel-lib/src/index";

describe("printing like PyTorch", () => {
  it("floats with 4 decimals, rows aligned", () => {
    expect(
      String(
        tensor([
          [1.5, -2],
          [3.25, 4],
        ]),
      ),
    ).toBe("tensor([[ 1.5000, -2.0000],\n        [ 3.2500,  4.0000]])");
  });
  it("integer-valued data as `1.`", () => {
    expect(String(tensor([1, 2, 30]))).toBe("tensor([ 1.,  2., 30.])");
  });
  it("scalars, requires_grad, grad_fn, float32", () => {
    expect(String(tensor(0.5))).toBe("tensor(0.5000)");
    const w = tensor([1, 2], { requiresGrad: true });
    expect(String(w)).toBe("tensor([1., 2.], requires_grad=True)");
    expect(String(w.mul(2))).toBe("tensor([2., 4.], grad_fn=<MulBackward>)");
    expect(String(tensor([0.5], { dtype: "float32" }))).toBe("tensor([0.5000], dtype=float32)");
  });
  it("scientific notation when magnitudes span more than 1000×", () => {
    expect(String(tensor([1e-5, 1]))).toBe("tensor([1.0000e-05, 1.0000e+00])");
  });
  it("summarises large tensors", () => {
    expect(String(nn.arange(2000))).toBe("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03, 1.9990e+03])");
    // torch.zeros(100, 100): three rows, "...," aligned with the rows, three rows.
    expect(
      String(nn.zeros([100, 100]))
        .split("\n")
        .slice(2, 5),
    ).toEqual(["        [0., 0., 0.,  ..., 0., 0., 0.],", "        ...,", "        [0., 0., 0.,  ..., 0., 0., 0.],"]);
  });
  it("util.inspect (tslab's printer) and the Jupyter display hook use the repr", () => {
    const t = tensor([1, 2]);
    expect(inspect(t)).toBe("tensor([1., 2.])");
    expect((t as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")]!()).toEqual({ "text/plain": "tensor([1., 2.])" });
  });
});

describe("creation", () => {
  it("shapes, dtypes and values", () => {
    expect(nn.zeros([2, 3]).shape).toEqual([2, 3]);
    expect(nn.ones(3, { dtype: "float32" }).data).toBeInstanceOf(Float32Array);
    expect(nn.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(nn.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(nn.eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(nn.full([2], 7).toArray()).toEqual([7, 7]);
    expect(tensor(new Float32Array([1, 2])).shape).toEqual([2]);
    expect(nn.fromArray([1, 2, 3, 4, 5, 6], [3, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });
  it("indexing and item", () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.get(1).toArray()).toEqual([4, 5, 6]);
    expect(t.get(-1).get(0).item()).toBe(4);
    expect(t.slice(1, 0, null, 2).toArray()).toEqual([
      [1, 3],
      [4, 6],
    ]);
    expect(() => t.item()).toThrow(/item\(\).*\[2, 3\]/);
    expect(() => t.get(2)).toThrow(/index 2 is out of range for dimension 0 of size 2/);
  });
});

describe("seeded randomness", () => {
  it("seed(n) makes every draw repeat; different seeds differ", () => {
    nn.seed(42);
    const a = [nn.randn([5]).toArray(), nn.rand([3]).toArray(), nn.randint(0, 10, [4]).toArray()];
    nn.seed(42);
    const b = [nn.randn([5]).toArray(), nn.rand([3]).toArray(), nn.randint(0, 10, [4]).toArray()];
    expect(b).toEqual(a);
    nn.seed(43);
    expect(nn.randn([5]).toArray()).not.toEqual(a[0]);
  });
  it("normal draws have mean ≈ 0 and variance ≈ 1; uniform in [0, 1)", () => {
    nn.seed(7);
    const x = nn.randn([100000]);
    expect(Math.abs(x.mean().item())).toBeLessThan(0.01);
    expect(Math.abs(x.square().mean().item() - 1)).toBeLessThan(0.02);
    const u = nn.rand([100000]);
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expect(Math.abs(u.mean().item() - 0.5)).toBeLessThan(0.01);
  });
});

describe("float32 on request", () => {
  it("computes in float32 storage and keeps float32 gradients", () => {
    const w = tensor(
      [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
      { dtype: "float32", requiresGrad: true },
    );
    const y = w
      .matmul(tensor([1, 1], { dtype: "float32" }))
      .sigmoid()
      .sum();
    y.backward();
    expect(y.dtype).toBe("float32");
    expect(w.grad!.data).toBeInstanceOf(Float32Array);
    const s = 1 / (1 + Math.exp(-0.3)); // z₀ = 0.1 + 0.2
    expect(w.grad!.data[0]).toBeCloseTo(s * (1 - s), 6);
  });
});
