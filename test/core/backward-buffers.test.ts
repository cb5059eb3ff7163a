// The backward driver hands gradient arrays on without copying where it can (a pass-through op's
// gradient, a leaf's final gradient). These check that no tensor a user holds ends up sharing an
// array that the walk later adds into.
import { describe, expect, it } from "vitest";
import { tensor, ones } from "../../kernel-lib/src/index";
import { allocate } from "../../kernel-lib/src/tensor/dtype";

describe("backward() gradient buffers", () => {
  it("does a gradient passed by the user stay untouched, across two backward passes into one leaf?", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const seed = tensor([1, 10, 100]);
    x.reshape(3, 1).backward(tensor([[1], [10], [100]]));
    x.reshape(3).backward(seed);
    expect(Array.from(seed.data)).toEqual([1, 10, 100]);
    expect(Array.from(x.grad!.data)).toEqual([2, 20, 200]);
    expect(x.grad!.data).not.toBe(seed.data);
  });

  it("do the two operands of an add get separate arrays (x + y, then x used again)?", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = tensor([3, 4], { requiresGrad: true });
    x.add(y).add(x.mul(2)).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([3, 3]);
    expect(Array.from(y.grad!.data)).toEqual([1, 1]);
    expect(x.grad!.data).not.toBe(y.grad!.data);
  });

  it("does a retained intermediate gradient stay apart from its inputs' gradients?", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const z = a.reshape(2, 1).retainGrad();
    z.mul(3).sum().backward();
    expect(Array.from(z.grad!.data)).toEqual([3, 3]);
    expect(Array.from(a.grad!.data)).toEqual([3, 3]);
    expect(z.grad!.data).not.toBe(a.grad!.data);
    a.grad!.data[0] = 99;
    expect(z.grad!.data[0]).toBe(3);
  });

  it("does a weight used twice get the sum of both gradients, with the one added in reused and not shared with .grad?", () => {
    // 40 weights: large enough for the free list, which takes back the gradient the walk added in.
    const w = tensor(
      Array.from({ length: 40 }, (_, i) => [i / 10]),
      { requiresGrad: true },
    );
    const x = ones([3, 40]);
    for (let step = 0; step < 3; step++) {
      w.grad = null;
      x.matmul(w).sum().add(w.square().sum()).backward();
      // ∂/∂w = Σ over the 3 rows of x (3) + 2w
      const want = Array.from(w.data, (v) => 3 + 2 * v);
      expect(Array.from(w.grad!.data)).toEqual(want);
      for (let k = 0; k < 4; k++) allocate("float64", 40).fill(99);
      expect(Array.from(w.grad!.data)).toEqual(want);
    }
  });

  it("do gradients still add up (+=) over repeated backward passes through a scalar broadcast?", () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([0.5], { requiresGrad: true });
    for (let i = 0; i < 3; i++) w.add(b).square().sum().backward();
    expect(Array.from(w.grad!.data)).toEqual([9, 15, 21]);
    expect(b.grad!.data[0]).toBe(45);
  });
});
