import { describe, expect, it } from "vitest";
import { Tensor } from "../../kernel-lib/src/tensor/tensor";
import { randn, seed } from "../../kernel-lib/src/index";
import { SGD } from "../../kernel-lib/src/optim/sgd";
import { Linear } from "../../kernel-lib/src/nn/linear";
import { recycle, takePooled } from "../../kernel-lib/src/tensor/pool";

// A gradient nobody outside the library has seen goes back to the array pool when zeroGrad drops
// it, so the next backward reuses its array; one a user has read (or set) is never reused.
function lossOf(w: Tensor): Tensor {
  return w.square().sum().mul(0.5); // ∂/∂w = w
}

describe("gradients dropped by zeroGrad", () => {
  it("are reused by the next backward when only the library saw them, with the right values", () => {
    seed(1);
    const w = randn([64], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    lossOf(w).backward();
    const first = w._grad!.data;
    opt.step();
    opt.zeroGrad();
    expect(w._grad).toBeNull();
    const pooled = takePooled(false, 64, false);
    expect(pooled).toBe(first); // back in the pool, for whatever needs 64 doubles next
    recycle(pooled!);
    lossOf(w).backward(); // reuses it (the square's output or the gradient) and still computes right
    expect(Array.from(w._grad!.data)).toEqual(Array.from(w.data));
  });

  it("are never reused once the user has read grad: a kept gradient keeps its values", () => {
    seed(2);
    const w = randn([64], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    lossOf(w).backward();
    const kept = w.grad!; // the user holds it
    const before = Array.from(kept.data);
    opt.step();
    opt.zeroGrad();
    lossOf(w).backward();
    expect(w._grad!.data).not.toBe(kept.data);
    expect(Array.from(kept.data)).toEqual(before);
    expect(takePooled(false, 64, false)).not.toBe(kept.data);
  });

  it("are never reused after the user set grad, nor through Module.zeroGrad or Tensor.zeroGrad once read", () => {
    seed(3);
    const layer = new Linear(40, 2);
    const x = randn([3, 40]);
    layer.forward(x).sum().backward();
    const g = layer.weight.grad!; // read: the user's now
    const before = Array.from(g.data);
    layer.zeroGrad();
    expect(layer.weight.grad).toBeNull();
    layer.forward(x).mul(2).sum().backward();
    expect(Array.from(g.data)).toEqual(before);

    const t = randn([50], { requiresGrad: true });
    const mine = new Tensor(new Float64Array(50).fill(7), [50]);
    t.grad = mine;
    t.zeroGrad();
    lossOf(t).backward();
    expect(t._grad!.data).not.toBe(mine.data);
    expect(Array.from(mine.data)).toEqual(new Array(50).fill(7));
  });
});
