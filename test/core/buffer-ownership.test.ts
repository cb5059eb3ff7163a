import { afterEach, describe, expect, it } from "vitest";
import { Tensor } from "../../kernel-lib/src/tensor/tensor";
import { F, randn, seed, tensor } from "../../kernel-lib/src/index";
import { SGD } from "../../kernel-lib/src/optim/sgd";
import { Linear } from "../../kernel-lib/src/nn/linear";
import { result } from "../../kernel-lib/src/autograd/graph";
import { checkBuffers, clearFreeList, releaseBuffer, takeFreeBuffer } from "../../kernel-lib/src/tensor/buffer-pool";

// Who owns a tensor buffer (tensor/buffer-pool.ts): a gradient is the user's once backward made
// it; the backward driver gives back only the arrays it made and consumed itself; misuse throws.
function lossOf(w: Tensor): Tensor {
  return w.square().sum().mul(0.5); // ∂/∂w = w
}

afterEach(() => {
  checkBuffers(false);
  clearFreeList();
});

describe("gradients", () => {
  it("does backward give back the arrays it consumed, and never the one .grad holds?", () => {
    seed(1);
    const w = randn([64], { requiresGrad: true });
    clearFreeList();
    w.exp().sum().backward();
    // ∂C/∂(eʷ), 64 values, was consumed by exp's backward (which made w's gradient anew): back in the free list.
    const freed = takeFreeBuffer(false, 64, false);
    expect(freed).not.toBeNull();
    expect(freed).not.toBe(w.grad!.data);
    expect(takeFreeBuffer(false, 64, false)).toBeNull();
    w.grad = null;
    lossOf(w).backward();
    lossOf(w).backward(); // accumulates, reusing arrays from the free list, and still computes right
    expect(Array.from(w.grad!.data)).toEqual(Array.from(w.data).map((v) => 2 * v));
  });

  it("does square's backward write over only a gradient the walk owns, never one the caller passed?", () => {
    seed(3);
    const w = randn([64], { requiresGrad: true });
    clearFreeList();
    lossOf(w).backward();
    // The sum's gradient was the walk's own: square wrote w's gradient over it, so nothing was
    // left to give back, and .grad is right.
    expect(takeFreeBuffer(false, 64, false)).toBeNull();
    expect(Array.from(w.grad!.data)).toEqual(Array.from(w.data));
    // A gradient the caller passes stays as it was, here and through a product with a constant.
    w.grad = null;
    const seedGrad = randn([64]);
    const before = Array.from(seedGrad.data);
    w.square().backward(seedGrad);
    w.mul(3).backward(seedGrad);
    expect(Array.from(seedGrad.data)).toEqual(before);
    expect(Array.from(w.grad!.data)).toEqual(before.map((g, i) => 2 * g * w.data[i] + 3 * g));
  });

  it("does a kept gradient keep its values after zeroGrad and the next backward?", () => {
    seed(2);
    const w = randn([64], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    lossOf(w).backward();
    const kept = w.grad!; // the user holds it
    const before = Array.from(kept.data);
    opt.step();
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    lossOf(w).backward();
    expect(w.grad!.data).not.toBe(kept.data);
    expect(Array.from(kept.data)).toEqual(before);
    expect(takeFreeBuffer(false, 64, false)).not.toBe(kept.data);
  });

  it("is a gradient the user set, or one dropped by Module.zeroGrad or Tensor.zeroGrad, never reused?", () => {
    seed(3);
    const layer = new Linear(40, 2);
    const x = randn([3, 40]);
    layer.forward(x).sum().backward();
    const g = layer.weight.grad!;
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
    expect(t.grad!.data).not.toBe(mine.data);
    expect(Array.from(mine.data)).toEqual(new Array(50).fill(7));
  });
});

describe("Optimizer.releaseGrads", () => {
  it("does it give the gradients' buffers back, so that the next backward reuses them and still computes right?", () => {
    seed(7);
    const w = randn([64], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    lossOf(w).backward();
    const buffer = w.grad!.data;
    opt.step();
    opt.releaseGrads();
    expect(w.grad).toBeNull();
    const taken = takeFreeBuffer(false, 64, false);
    expect(taken).toBe(buffer); // in the free list, for whatever needs 64 doubles next
    releaseBuffer(taken!, "test");
    lossOf(w).backward();
    expect(Array.from(w.grad!.data)).toEqual(Array.from(w.data));
  });

  it("does a gradient kept across releaseGrads throw when read, instead of showing the next step's numbers?", () => {
    seed(8);
    const w = randn([64], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    lossOf(w).backward();
    const kept = w.grad!;
    const copy = kept.clone();
    const before = Array.from(kept.data);
    opt.releaseGrads();
    lossOf(w).backward(); // reuses the released buffer
    expect(() => kept.data[0]).toThrow(/buffer was released \(optimizer\.releaseGrads\(\) releases the gradients\)/);
    expect(() => kept.add(1)).toThrow(/buffer was released/);
    expect(() => String(kept)).toThrow(/buffer was released/);
    expect(() => kept.item()).toThrow(/buffer was released/);
    expect(Array.from(copy.data)).toEqual(before); // a clone has a buffer of its own
    opt.releaseGrads();
    opt.releaseGrads(); // nothing left to release: no error
  });
});

describe("misuse fails loudly", () => {
  it("does releasing one buffer twice throw (two owners would share it)?", () => {
    const a = new Float64Array(64);
    releaseBuffer(a, "test");
    expect(() => releaseBuffer(a, "test")).toThrow(/already in the free list/);
  });

  it("does adopting a released buffer throw (the next op would overwrite the tensor)?", () => {
    const a = new Float64Array(64);
    releaseBuffer(a, "test");
    expect(() => Tensor.adopt(a, [64])).toThrow(/Tensor\.adopt: .* is in the free list/);
  });

  it("in checked mode, does adopting a buffer twice, or releasing one a tensor holds, throw?", () => {
    checkBuffers(true);
    const a = new Float64Array(64);
    const t = Tensor.adopt(a, [8, 8]);
    expect(() => Tensor.adopt(a, [64])).toThrow(/already belongs to a tensor of shape \[8, 8\]/);
    expect(() => releaseBuffer(a, "test")).toThrow(/test: releases a buffer of 64 values that a tensor still holds/);
    expect(() => Tensor.adopt(new Float64Array(10), [3, 3])).toThrow(/10 values cannot have shape \[3, 3\]/);
    expect(t.data).toBe(a);
  });

  it("in checked mode, does a whole training step of a small network run without a misuse?", () => {
    checkBuffers(true);
    seed(4);
    const layer = new Linear(40, 32);
    const head = new Linear(32, 1);
    const opt = new SGD([...layer.parameters(), ...head.parameters()], { lr: 0.1, momentum: 0.9 });
    const x = randn([16, 40]);
    for (let k = 0; k < 3; k++) {
      opt.zeroGrad();
      const h = layer.forward(x).relu();
      head
        .forward(h.add(h.mul(0.5)))
        .square()
        .mean()
        .backward(); // h used twice: two contributions
      opt.step();
    }
    expect(Number.isFinite(layer.weight.data[0])).toBe(true);
  });

  it("in checked mode, do conv, pooling, softmax and cross-entropy steps with releaseGrads run without a misuse?", () => {
    checkBuffers(true);
    seed(5);
    const x = randn([4, 2, 10, 10]);
    const w = randn([3, 2, 3, 3], { requiresGrad: true });
    const b = randn([3], { requiresGrad: true });
    const lw = randn([5, 3 * 4 * 4], { requiresGrad: true });
    const opt = new SGD([w, b, lw], { lr: 0.05, momentum: 0.9 });
    const losses: number[] = [];
    for (let k = 0; k < 4; k++) {
      opt.releaseGrads();
      const h = F.maxPool2d(F.relu(F.conv2d(x, w, b)), 2).flatten(1);
      const loss = F.crossEntropy(h.matmul(lw.T), [0, 1, 2, 3]);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[3]).toBeLessThan(losses[0]);
  });

  it("does the driver copy, never release, an array an op's backward returns that is a tensor's storage?", () => {
    checkBuffers(true);
    const x = tensor(
      Array.from({ length: 40 }, (_, i) => i),
      { requiresGrad: true },
    );
    const y = x.mul(1);
    const saved = y.data.slice();
    // A careless op: its backward hands on its input's own storage as the gradient.
    const z = result("Careless", y.data.slice(), y.shape, [y], () => [y.data]);
    z.sum().backward();
    expect(Array.from(y.data)).toEqual(Array.from(saved));
    expect(Array.from(x.grad!.data)).toEqual(Array.from(saved));
    x.mul(3).sum().backward(); // allocations after it cannot land on y's storage
    expect(Array.from(y.data)).toEqual(Array.from(saved));
  });
});
