// Ops that take their outputs from the buffer free list without zeroing them (allocateOutput) must
// write every element: with the free list full of NaN arrays of every size involved, a training step
// of conv2d, relu, maxPool2d and linear must give exactly what it gives with an empty free list.
import { expect, it } from "vitest";
import { F, randn, seed } from "../../kernel-lib/src/index";
import { clearFreeList, releaseBuffer } from "../../kernel-lib/src/tensor/buffer-pool";

function step(dtype: "float32" | "float64", poison: boolean): number[][] {
  seed(9);
  const x = randn([3, 2, 8, 8], { dtype, requiresGrad: true });
  const w = randn([4, 2, 3, 3], { dtype, requiresGrad: true });
  const b = randn([4], { dtype, requiresGrad: true });
  const lw = randn([5, 4 * 3 * 3], { dtype, requiresGrad: true });
  const lb = randn([5], { dtype, requiresGrad: true });
  clearFreeList();
  if (poison) {
    const sizes = [
      x.size,
      w.size,
      b.size,
      lw.size,
      lb.size,
      3 * 4 * 6 * 6,
      3 * 4 * 3 * 3,
      3 * 5,
      4 * 3 * 36,
      19 * 3 * 36,
      18 * 3 * 36,
      4 * 19,
      4 * 18,
    ];
    for (const n of sizes)
      for (let k = 0; k < 3; k++) releaseBuffer((dtype === "float32" ? new Float32Array(n) : new Float64Array(n)).fill(NaN), "test");
  }
  const h = F.maxPool2d(F.relu(F.conv2d(x, w, b, { padding: 0 })), 2);
  const out = F.linear(h.flatten(1), lw, lb);
  F.crossEntropy(out, [0, 3, 4]).backward();
  clearFreeList();
  return [out, x.grad!, w.grad!, b.grad!, lw.grad!, lb.grad!].map((t) => Array.from(t.data));
}

it.each(["float32", "float64"] as const)("does a %s conv/relu/pool/linear step ignore stale arrays from the free list?", (dtype) => {
  const clean = step(dtype, false);
  const poisoned = step(dtype, true);
  expect(poisoned).toEqual(clean);
  expect(clean.flat().every(Number.isFinite)).toBe(true);
});
