import { afterAll, describe, expect, it } from "vitest";
import { nn, F, type Tensor, seed, rand, randn, noGrad } from "../../kernel-lib/src/index";
import { setConvBlockWasm } from "../../kernel-lib/src/kernels/conv-block-wasm";

afterAll(() => setConvBlockWasm(true));

type DT = "float32" | "float64";

/** One training step of Sequential(Conv2d, ReLU, MaxPool2d(2), Flatten, Linear): output, loss, grads. */
function step(dtype: DT, fused: boolean, x: Tensor, special: boolean) {
  setConvBlockWasm(fused);
  seed(7);
  const conv = new nn.Conv2d(x.shape[1], 6, 3, { dtype });
  const pooled = ((x.shape[2] - 2) / 2) * ((x.shape[3] - 2) / 2) * 6;
  const model = new nn.Sequential(conv, new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(pooled, 4, { dtype }));
  if (special) {
    // Ties (a window of zeros after ReLU), exact zeros and a NaN-free but extreme weight.
    conv.weight.data.fill(0, 0, 9);
    conv.weight.data[10] = -1e30;
  }
  const out = model.forward(x);
  const ops = opsOf(out);
  const loss = F.crossEntropy(
    out,
    Float64Array.from({ length: x.shape[0] }, (_, i) => i % 4),
  );
  loss.backward();
  return { out, loss: loss.item(), gw: conv.weight.grad!.data.slice(), gb: conv.bias!.grad!.data.slice(), ops };
}

/** The ops that made `t`, walking back along first parents (before backward frees the graph). */
function opsOf(t: Tensor): string[] {
  const ops: string[] = [];
  for (let at: Tensor | undefined = t; at; at = (at as unknown as { _parents: Tensor[] })._parents[0])
    ops.push((at as unknown as { _op: string })._op);
  return ops;
}

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

describe.each(["float32", "float64"] as const)("%s Conv2d → ReLU → MaxPool2d(2) fused in a Sequential", (dtype) => {
  for (const [label, shape, special] of [
    ["the benchmark's batch", [32, 1, 28, 28], false],
    ["two channels, odd batch, ties and zeros", [5, 2, 18, 22], true],
  ] as const) {
    it(`gives the layers' own output and conv gradients bit for bit (${label})`, () => {
      seed(3);
      const x = randn([...shape], { dtype });
      if (special) x.data.fill(0, 0, 200);
      const one = step(dtype, false, x, special);
      const two = step(dtype, true, x, special);
      expect(one.ops).toContain("MaxPool2d");
      expect(two.ops).toContain("Conv2dReluMaxPool2d");
      expect(firstDiff(one.out.data, two.out.data), "model output").toBe(-1);
      expect(Object.is(one.loss, two.loss), `loss ${one.loss} vs ${two.loss}`).toBe(true);
      expect(firstDiff(one.gw, two.gw), "conv weight gradient").toBe(-1);
      expect(firstDiff(one.gb, two.gb), "conv bias gradient").toBe(-1);
    });
  }

  it("gives the layers' values without a bias and under noGrad too", () => {
    seed(11);
    const x = randn([6, 1, 12, 20], { dtype });
    const runs = [false, true].map((on) => {
      setConvBlockWasm(on);
      seed(2);
      const conv = new nn.Conv2d(1, 4, 3, { dtype, bias: false });
      const block = new nn.Sequential(conv, new nn.ReLU(), new nn.MaxPool2d(2));
      const frozen = noGrad(() => block.forward(x)).data.slice();
      block.forward(x).sum().backward();
      return { frozen, gw: conv.weight.grad!.data.slice() };
    });
    expect(firstDiff(runs[0].frozen, runs[1].frozen), "output under noGrad").toBe(-1);
    expect(firstDiff(runs[0].gw, runs[1].gw), "weight gradient without a bias").toBe(-1);
  });

  it("is taken for a first layer and not when the input needs its gradient or the pool is not 2×2", () => {
    setConvBlockWasm(true);
    seed(1);
    const conv = new nn.Conv2d(1, 8, 3, { dtype });
    const block = new nn.Sequential(conv, new nn.ReLU(), new nn.MaxPool2d(2));
    const x = rand([4, 1, 28, 28], { dtype });
    const opOf = (t: Tensor): string => (t as unknown as { _op: string })._op;
    expect(opOf(block.forward(x))).toBe("Conv2dReluMaxPool2d");
    expect(opOf(block.forward(x.detach().requiresGrad_()))).toBe("MaxPool2d");
    expect(opOf(new nn.Sequential(conv, new nn.ReLU(), new nn.MaxPool2d(3)).forward(x))).toBe("MaxPool2d");
    expect(opOf(new nn.Sequential(conv, new nn.Tanh(), new nn.MaxPool2d(2)).forward(x))).toBe("MaxPool2d");
  });
});
