// conv2d multiplies a whole batch at once; each image convolved on its own must give the same
// output and the same gradients (summed over the batch for the weight and bias) to rounding.
import { expect, it } from "vitest";
import { F, cat, randn, seed } from "../../kernel-lib/src/index";

it("does a batched conv2d equal the convolution of each image alone, forward and backward?", () => {
  seed(3);
  const x = randn([4, 2, 7, 6], { requiresGrad: true });
  const w = randn([3, 2, 3, 3], { requiresGrad: true });
  const b = randn([3], { requiresGrad: true });
  const up = randn([4, 3, 4, 3]);
  const y = F.conv2d(x, w, b, { stride: 2, padding: 1 });
  y.mul(up).sum().backward();
  const [gx, gw, gb] = [x.grad!.data.slice(), w.grad!.data.slice(), b.grad!.data.slice()];
  x.grad = w.grad = b.grad = null;
  const parts = [0, 1, 2, 3].map((i) => F.conv2d(x.slice(0, i, i + 1), w, b, { stride: 2, padding: 1 }));
  const y1 = cat(parts, 0);
  y1.mul(up).sum().backward();
  const close = (a: ArrayLike<number>, e: ArrayLike<number>) => {
    expect(a.length).toBe(e.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - e[i])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(e[i])));
  };
  close(y.data, y1.data);
  close(gx, x.grad!.data);
  close(gw, w.grad!.data);
  close(gb, b.grad!.data);
});
