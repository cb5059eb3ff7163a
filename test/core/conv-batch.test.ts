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

it("are the folded-in bias's gradients right when only the bias, or only the weight, needs one?", () => {
  seed(4);
  const x = randn([2, 2, 5, 5]);
  const up = randn([2, 3, 3, 3]);
  for (const [wGrad, withBias, bGrad] of [
    [false, true, true],
    [true, true, false],
    [true, false, false],
  ] as const) {
    const w = randn([3, 2, 3, 3], { requiresGrad: wGrad });
    const b = withBias ? randn([3], { requiresGrad: bGrad }) : null;
    F.conv2d(x, w, b).mul(up).sum().backward();
    // ∂C/∂b[o] = Σ up[:, o, :, :] summed by hand; ∂C/∂W against the images convolved one at a time.
    if (b && bGrad) {
      for (let o = 0; o < 3; o++) {
        let s = 0;
        for (let i = 0; i < 2; i++) for (let k = 0; k < 9; k++) s += up.data[(i * 3 + o) * 9 + k];
        expect(Math.abs(b.grad!.data[o] - s)).toBeLessThan(1e-12);
      }
    } else if (b) expect(b.grad).toBeNull();
    if (wGrad) {
      const w2 = w.detach().requiresGrad_();
      cat(
        [0, 1].map((i) => F.conv2d(x.slice(0, i, i + 1), w2, b ? b.detach() : null)),
        0,
      )
        .mul(up)
        .sum()
        .backward();
      const a = w.grad!.data,
        e = w2.grad!.data;
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - e[k])).toBeLessThan(1e-12);
    } else expect(w.grad).toBeNull();
  }
});
