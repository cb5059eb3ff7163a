import { describe, expect, it } from "vitest";
import { fromArray, gradcheck, randn, seed, tensor, type Tensor } from "../../kernel-lib/src/index";
import * as nn from "../../kernel-lib/src/nn/index";
import { expectClose, fixture } from "./helpers";
import { describeEachBackend } from "../helpers/backends";

interface Case {
  kind: string;
  options: { stride?: number; padding?: number; kernel_size?: number; count_include_pad?: boolean };
  x: { shape: number[]; data: number[] };
  w?: { shape: number[]; data: number[] };
  b?: number[];
  r: number[];
  y: { shape: number[]; data: number[] };
  gx: number[];
  gw?: number[];
  gb?: number[];
}

const cases = fixture<{ cases: Case[] }>("nn_layers.json").cases;

function run(c: Case, x: Tensor, w: Tensor | null, b: Tensor | null): Tensor {
  const o = c.options;
  switch (c.kind) {
    case "linear":
      return nn.linear(x, w!, b);
    case "conv1d":
      return nn.conv1d(x, w!, b, { stride: o.stride, padding: o.padding });
    case "conv2d":
      return nn.conv2d(x, w!, b, { stride: o.stride, padding: o.padding });
    case "maxpool2d":
      return nn.maxPool2d(x, o.kernel_size!, { stride: o.stride, padding: o.padding });
    case "avgpool2d":
      return nn.avgPool2d(x, o.kernel_size!, { stride: o.stride, padding: o.padding, countIncludePad: o.count_include_pad });
  }
  throw new Error(`unknown case ${c.kind}`);
}

describeEachBackend("layers against PyTorch (float64, 1e-9 relative)", () => {
  it.each(cases.map((c, i) => [`${i}: ${c.kind} x${JSON.stringify(c.x.shape)} ${JSON.stringify(c.options)}`, c] as const))("%s", (_name, c) => {
    const x = fromArray(c.x.data, c.x.shape, { requiresGrad: true });
    const w = c.w ? fromArray(c.w.data, c.w.shape, { requiresGrad: true }) : null;
    const b = c.b ? fromArray(c.b, [c.b.length], { requiresGrad: true }) : null;
    const y = run(c, x, w, b);
    expect(y.shape).toEqual(c.y.shape);
    expectClose(y.data, c.y.data, "output");
    y.mul(fromArray(c.r, c.y.shape)).sum().backward();
    expectClose(x.grad!.data, c.gx, "∂/∂input");
    if (w) expectClose(w.grad!.data, c.gw!, "∂/∂weight");
    if (b) expectClose(b.grad!.data, c.gb!, "∂/∂bias");
  });

  it("the layer modules compute what their functional forms do", () => {
    seed(3);
    const conv = new nn.Conv2d(2, 3, 3, { stride: 2, padding: 1 });
    const x = randn([2, 2, 7, 6]);
    expect(conv.forward(x).toArray()).toEqual(nn.conv2d(x, conv.weight, conv.bias, { stride: 2, padding: 1 }).toArray());
    expect(conv.forward(x).shape).toEqual([2, 3, 4, 3]);
    expect(new nn.Conv1d(2, 4, 3, { padding: 1 }).forward(randn([5, 2, 8])).shape).toEqual([5, 4, 8]);
    expect(new nn.MaxPool2d(2).forward(x).shape).toEqual([2, 2, 3, 3]);
    expect(new nn.AvgPool2d(3, { stride: 1, padding: 1 }).forward(x).shape).toEqual([2, 2, 7, 6]);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 84]);
    expect(new nn.Linear(6, 4).forward(x).shape).toEqual([2, 2, 7, 4]);
  });
});

describe("gradcheck (finite differences)", () => {
  seed(11);
  const opts = { atol: 1e-6, rtol: 1e-5 };
  it("conv2d with stride and padding, non-square kernel", () => {
    const r = gradcheck(
      (x, w, b) => nn.conv2d(x, w, b, { stride: 2, padding: 1 }).square().sum(),
      [randn([2, 2, 5, 6]), randn([3, 2, 3, 2]), randn([3])],
      opts,
    );
    expect(r.ok).toBe(true);
  });
  it("conv1d with stride and padding", () => {
    expect(
      gradcheck((x, w, b) => nn.conv1d(x, w, b, { stride: 2, padding: 2 }).square().sum(), [randn([2, 3, 7]), randn([2, 3, 3]), randn([2])], opts).ok,
    ).toBe(true);
  });
  it("maxPool2d and avgPool2d with padding", () => {
    expect(gradcheck((x) => nn.maxPool2d(x, 3, { stride: 2, padding: 1 }).square().sum(), [randn([2, 2, 6, 5])], opts).ok).toBe(true);
    expect(gradcheck((x) => nn.avgPool2d(x, 3, { stride: 2, padding: 1 }).square().sum(), [randn([2, 2, 6, 5])], opts).ok).toBe(true);
    expect(gradcheck((x) => nn.avgPool2d(x, 2, { countIncludePad: false, padding: 1 }).square().sum(), [randn([1, 2, 5, 5])], opts).ok).toBe(true);
  });
  it("maxout and linear", () => {
    expect(gradcheck((x) => nn.maxout(x, 3).square().sum(), [randn([4, 6])], opts).ok).toBe(true);
    expect(gradcheck((x, w, b) => nn.linear(x, w, b).square().sum(), [randn([3, 4]), randn([2, 4]), randn([2])], opts).ok).toBe(true);
  });
});

describe("shape errors name the op and the shapes", () => {
  it("conv2d channel mismatch and Linear width mismatch", () => {
    expect(() => nn.conv2d(randn([1, 3, 5, 5]), randn([2, 1, 3, 3]))).toThrow(
      /conv2d: input \[1, 3, 5, 5\] has 3 channels but weight \[2, 1, 3, 3\] expects 1/,
    );
    expect(() => new nn.Linear(784, 10).forward(randn([2, 1, 28, 28]))).toThrow(
      /linear: input \[2, 1, 28, 28\] does not fit weight \[10, 784\].*Flatten/,
    );
    expect(() => nn.maxPool2d(randn([1, 1, 2, 2]), 3)).toThrow(/maxPool2d: window 3×3 does not fit/);
  });
});

describe("Maxout", () => {
  it("keeps the largest of each group of pieces", () => {
    const z = fromArray([1, 5, -2, -3, 0, 7, 2, 2], [2, 4]);
    expect(nn.maxout(z, 2).toArray()).toEqual([
      [5, -2],
      [7, 2],
    ]);
    const m = new nn.Maxout(3, 2, 4);
    expect(m.linear.weight.shape).toEqual([8, 3]);
    expect(m.forward(randn([5, 3])).shape).toEqual([5, 2]);
  });
});

describe("Dropout (inverted)", () => {
  it("train mode: about p of the elements are zeroed, survivors scaled by 1/(1 − p), mean preserved", () => {
    seed(5);
    const n = 200_000;
    const p = 0.3;
    const x = fromArray(
      Array.from({ length: n }, (_, i) => 1 + (i % 7) / 7),
      [n],
    );
    const inputMean = x.mean().item();
    const layer = new nn.Dropout(p);
    const y = layer.forward(x);
    let zeros = 0;
    let scaledOk = true;
    for (let i = 0; i < n; i++) {
      if (y.data[i] === 0) zeros++;
      else if (Math.abs(y.data[i] - x.data[i] / (1 - p)) > 1e-12) scaledOk = false;
    }
    expect(scaledOk).toBe(true);
    // Binomial(n, p): standard deviation √(n p (1 − p)) ≈ 205, so ±1% of n is about 10 sd.
    expect(Math.abs(zeros / n - p)).toBeLessThan(0.01);
    expect(Math.abs(y.mean().item() / inputMean - 1)).toBeLessThan(0.01);
  });

  it("eval mode is exactly the identity; the mask is reproducible after seed() and used in backward", () => {
    const x = randn([4, 5], { requiresGrad: true });
    const layer = new nn.Dropout(0.5).eval();
    expect(layer.forward(x)).toBe(x);
    layer.train();
    seed(9);
    const y1 = layer.forward(x);
    seed(9);
    const y2 = layer.forward(x);
    expect(Array.from(y1.data)).toEqual(Array.from(y2.data));
    y1.sum().backward();
    for (let i = 0; i < x.size; i++) expect(x.grad!.data[i]).toBe(y1.data[i] === 0 ? 0 : 2);
  });
});

describe("maxPool2d and NaN", () => {
  it("a NaN inside a window gives NaN (as PyTorch), with and without padding", () => {
    const x = fromArray(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 1, 4, 4],
    );
    x.data[5] = NaN;
    const plain = nn.maxPool2d(x, 2).toArray() as number[][][][];
    expect(plain[0][0]).toEqual([
      [NaN, 7],
      [13, 15],
    ]);
    const padded = nn.maxPool2d(x, 3, { stride: 1, padding: 1 }).toArray() as number[][][][];
    expect(padded[0][0][0]).toEqual([NaN, NaN, NaN, 7]);
    expect(padded[0][0][3]).toEqual([13, 14, 15, 15]);
  });
});

describeEachBackend("layers against PyTorch in float32 (within float32 rounding)", () => {
  // The fixture's values are PyTorch's float64 results; float32 arithmetic (nnlab's or PyTorch's)
  // lands within a few float32 roundings of them, relative to the largest value in the tensor.
  const close32 = (actual: ArrayLike<number>, expected: number[], what: string): void => {
    const scale = Math.max(1e-30, ...expected.map(Math.abs));
    expectClose(actual, expected, `${what} (float32)`, 1e-5, 1e-5 * scale);
  };
  it.each(cases.map((c, i) => [`${i}: ${c.kind} x${JSON.stringify(c.x.shape)} ${JSON.stringify(c.options)}`, c] as const))("%s", (_name, c) => {
    const f32 = { dtype: "float32" as const, requiresGrad: true };
    const x = fromArray(c.x.data, c.x.shape, f32);
    const w = c.w ? fromArray(c.w.data, c.w.shape, f32) : null;
    const b = c.b ? fromArray(c.b, [c.b.length], f32) : null;
    const y = run(c, x, w, b);
    expect(y.dtype).toBe("float32");
    close32(y.data, c.y.data, "output");
    y.mul(fromArray(c.r, c.y.shape, { dtype: "float32" }))
      .sum()
      .backward();
    close32(x.grad!.data, c.gx, "∂/∂input");
    if (w) close32(w.grad!.data, c.gw!, "∂/∂weight");
    if (b) close32(b.grad!.data, c.gb!, "∂/∂bias");
  });
});

describeEachBackend("float32", () => {
  it("conv2d, pools and linear run in float32 and agree with float64 to float32 precision", () => {
    seed(21);
    const x = randn([2, 3, 9, 8]);
    const w = randn([4, 3, 3, 3]);
    const b = randn([4]);
    const f = (x: Tensor, w: Tensor, b: Tensor) => {
      const h = nn.maxPool2d(nn.conv2d(x, w, b, { stride: 1, padding: 1 }).relu(), 2);
      return nn.avgPool2d(h, 2);
    };
    const y64 = f(x, w, b);
    const y32 = f(x.to("float32"), w.to("float32"), b.to("float32"));
    expect(y32.dtype).toBe("float32");
    expect(y32.shape).toEqual(y64.shape);
    expectClose(y32.data, y64.data, "float32 vs float64", 1e-5, 1e-5);
  });
});

describe("activation modules", () => {
  it("print like PyTorch and compute their functions", () => {
    const x = tensor([[-2, 0.5, 3]]);
    expect(new nn.LeakyReLU(0.1).toString()).toBe("LeakyReLU(negative_slope=0.1)");
    expect(new nn.Softmax(1).toString()).toBe("Softmax(dim=1)");
    expect(new nn.LeakyReLU(0.1).forward(x).toArray()).toEqual([[-0.2, 0.5, 3]]);
    expect(new nn.Softmax().forward(x).sum().item()).toBeCloseTo(1, 15);
    expect(new nn.Tanh().forward(x).data[2]).toBe(Math.tanh(3));
    expect(new nn.Identity().forward(x)).toBe(x);
  });
});
