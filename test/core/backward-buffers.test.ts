// The backward driver hands gradient arrays on without copying where it can (a pass-through op's
// gradient, a leaf's final gradient). These check that no tensor a user holds ends up sharing an
// array that the walk later adds into.
import { describe, expect, it } from "vitest";
import { tensor } from "../../kernel-lib/src/index";

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

  it("do gradients still add up (+=) over repeated backward passes through a scalar broadcast?", () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([0.5], { requiresGrad: true });
    for (let i = 0; i < 3; i++) w.add(b).square().sum().backward();
    expect(Array.from(w.grad!.data)).toEqual([9, 15, 21]);
    expect(b.grad!.data[0]).toBe(45);
  });
});
