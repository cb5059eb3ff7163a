import { describe, expect, it } from "vitest";
import * as nn from "../../kernel-lib/src/index";
import { tensor, F, gradcheck, noGrad, randn, seed } from "../../kernel-lib/src/index";

describe("the article's 2-2-2-2 sigmoid network (input (1, −1))", () => {
  const W = [
    [
      [1, -2],
      [-1, 1],
    ],
    [
      [2, -1],
      [-2, -1],
    ],
    [
      [3, -1],
      [-1, 4],
    ],
  ];
  const B = [
    [1, 0],
    [0, 0],
    [-2, 2],
  ];
  function run() {
    const Ws = W.map((w) => tensor(w, { requiresGrad: true }));
    const bs = B.map((b) => tensor(b, { requiresGrad: true }));
    const as: nn.Tensor[] = [];
    let a = tensor([1, -1]);
    for (let l = 0; l < 3; l++) {
      a = Ws[l].matmul(a).add(bs[l]).sigmoid();
      as.push(a);
    }
    const C = a
      .sub(tensor([1, 0]))
      .square()
      .sum()
      .mul(0.5);
    C.backward();
    return { Ws, bs, as, C };
  }
  it("forward gives the slide's rounded activations", () => {
    const { as } = run();
    const rounded = as.map((a) => Array.from(a.data, (v) => Math.round(v * 100) / 100));
    expect(rounded).toEqual([
      [0.98, 0.12],
      [0.86, 0.11],
      [0.62, 0.83],
    ]);
  });
  it("C = ½‖a3 − (1, 0)‖² and every weight gradient equal the computed anchors", () => {
    const { Ws, C } = run();
    expect(C.item()).toBeCloseTo(0.416798, 6);
    const expected = [
      [
        [-0.003565, 0.003565],
        [-0.000987, 0.000987],
      ],
      [
        [-0.04494, -0.005455],
        [0.054168, 0.006575],
      ],
      [
        [-0.077956, -0.009997],
        [0.101436, 0.013008],
      ],
    ];
    Ws.forEach((w, l) => {
      const g = w.grad!.toArray() as number[][];
      g.flat().forEach((v, i) => expect(v).toBeCloseTo(expected[l].flat()[i], 6));
    });
  });
  it("agrees with finite differences", () => {
    const x = tensor([1, -1]);
    const r = gradcheck(
      (w1, w2, w3) =>
        w3
          .matmul(w2.matmul(w1.matmul(x).add(tensor(B[0])).sigmoid()).sigmoid())
          .add(tensor(B[2]))
          .sigmoid()
          .sub(tensor([1, 0]))
          .square()
          .sum()
          .mul(0.5),
      W.map((w) => tensor(w)),
    );
    expect(r.ok).toBe(true);
    expect(r.maxAbsError).toBeLessThan(1e-8);
  });
});

describe("gradcheck over composite expressions", () => {
  seed(1);
  const cases: [string, (...t: nn.Tensor[]) => nn.Tensor, number[][]][] = [
    ["broadcast mul-add-tanh", (a, b) => a.mul(b).add(b).tanh().sum(), [[3, 4], [4]]],
    [
      "matmul softmax log",
      (a, b) => F.softmax(a.matmul(b), 1).log().mean(),
      [
        [3, 4],
        [4, 5],
      ],
    ],
    [
      "batched matmul",
      (a, b) => a.matmul(b).square().sum(),
      [
        [2, 3, 4],
        [4, 2],
      ],
    ],
    ["div pow", (a, b) => a.div(b.square().add(1)).pow(2).sum(), [[5], [5]]],
    ["crossEntropy", (a) => F.crossEntropy(a, [0, 2, 1]), [[3, 3]]],
    ["reuse of one tensor (fan-out adds)", (a) => a.mul(a).add(a.exp()).sum(), [[4]]],
    [
      "cat, slice, permute",
      (a, b) => nn.cat([a, b], 0).permute(1, 0).slice(0, 1, 3).sigmoid().sum(),
      [
        [2, 3],
        [1, 3],
      ],
    ],
    ["max over dim, mean keepdim", (a) => a.max(1).sum().add(a.mean(0, true).sum()), [[3, 4]]],
  ];
  for (const [name, fn, shapes] of cases) {
    it(name, () => {
      const r = gradcheck(
        fn,
        shapes.map((s) => randn(s)),
      );
      expect(r.ok, r.message).toBe(true);
    });
  }
  it("leaves its inputs as it found them: requiresGrad and grad back, after a pass and after a failure", () => {
    const plain = tensor([1, -2, 3]);
    const tracked = tensor([0.5, 0.25], { requiresGrad: true });
    tracked.mul(10).sum().backward();
    const theirs = tracked.grad;
    const r = gradcheck((a, b) => a.square().sum().add(b.exp().sum()), [plain, tracked]);
    expect(r.ok).toBe(true);
    expect(r.inputs[0]!.analytic).toEqual([2, -4, 6]);
    expect(plain.requiresGrad).toBe(false);
    expect(plain.grad).toBeNull();
    expect(tracked.requiresGrad).toBe(true);
    expect(tracked.grad).toBe(theirs);
    expect(tracked.grad!.toArray()).toEqual([10, 10]);
    // A wrong backward: gradcheck throws, and still restores.
    const wrong = (a: nn.Tensor) => a.square().sum().add(a.detach().mul(a.detach()).sum());
    expect(() => gradcheck(wrong, [plain])).toThrow(/gradcheck failed/);
    expect(plain.requiresGrad).toBe(false);
    expect(plain.grad).toBeNull();
  });
});

describe("autograd mechanics", () => {
  it("accumulates .grad across backward calls until zeroGrad", () => {
    const x = tensor([2], { requiresGrad: true });
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });
  it("noGrad records nothing, detach cuts the graph", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(x.detach().requiresGrad).toBe(false);
  });
  it("retainGrad keeps δ = ∂C/∂z of a hidden layer", () => {
    const w = tensor(
      [
        [1, -2],
        [-1, 1],
      ],
      { requiresGrad: true },
    );
    const z = w
      .matmul(tensor([1, -1]))
      .add(tensor([1, 0]))
      .retainGrad();
    z.sigmoid().sum().backward();
    const s = [1 / (1 + Math.exp(-4)), 1 / (1 + Math.exp(2))];
    expect(z.grad!.data[0]).toBeCloseTo(s[0] * (1 - s[0]), 12);
    expect(z.grad!.data[1]).toBeCloseTo(s[1] * (1 - s[1]), 12);
  });
  it("backward on a non-scalar without a gradient names the shape", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/shape \[2\].*needs a scalar/);
  });
  it("a second backward through a freed graph says what to do", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/second time.*retainGraph/);
    const z = x.exp().sum();
    z.backward(undefined, { retainGraph: true });
    expect(() => z.backward()).not.toThrow();
  });
  // backward() takes the latest-made tensor first (autograd/backward.ts). A tensor used again by
  // ops made much later, and by two graphs built in turns, must get every contribution before its
  // own op passes its gradient on: one it missed would be lost without an error.
  it("a tensor used early and late gets its whole gradient, also with two graphs built in turns", () => {
    const f = (x: nn.Tensor) => {
      const a = x.mul(2);
      const b = a.square();
      const c = b.mul(a).add(a.exp());
      return c.mul(a).sum();
    };
    expect(gradcheck(f, [tensor([0.3, -0.7], { requiresGrad: true })]).ok).toBe(true);
    const x = tensor([0.3, -0.7], { requiresGrad: true });
    const one = f(x);
    one.backward();
    const alone = Array.from(x.grad!.data);
    x.grad = null;
    // The same two graphs, their ops made alternately: each backward gives its own gradient.
    const a1 = x.mul(2);
    const a2 = x.mul(3);
    const b1 = a1.square();
    const b2 = a2.exp();
    const y1 = b1.mul(a1).add(a1.exp()).mul(a1).sum();
    const y2 = b2.mul(a2).sum();
    y1.backward();
    expect(Array.from(x.grad!.data)).toEqual(alone);
    y2.backward();
    // ∂/∂x Σ 3x·e^(3x) = 3e^(3x)(1 + 3x), added to the first gradient.
    const xs = [0.3, -0.7];
    xs.forEach((v, i) => expect(x.grad!.data[i]).toBeCloseTo(alone[i] + 3 * Math.exp(3 * v) * (1 + 3 * v), 12));
  });
  it("a backward that throws part-way leaves the next one working", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    x.grad = null;
    // z reaches y's freed graph after its own ops have run.
    const z = y.mul(2).add(x.mul(3).sum());
    expect(() => z.backward()).toThrow(/second time/);
    x.grad = null;
    x.mul(5).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([5, 5]);
  });
  it("backward on a tensor that needs no grad explains why", () => {
    expect(() => tensor([1]).backward()).toThrow(/does not require grad/);
  });
  it("a long chain (10,000 ops) does not overflow the stack", () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 10000; i++) y = y.mul(1.0001);
    y.sum().backward();
    expect(x.grad!.item()).toBeCloseTo(1.0001 ** 10000, 6);
  });
});

describe("errors name the op and the shapes or dtypes", () => {
  it("broadcast mismatch", () => {
    expect(() => tensor([[1, 2, 3]]).add(tensor([1, 2]))).toThrow(/add: shapes \[1, 3\] and \[2\] cannot be broadcast/);
  });
  it("matmul mismatch", () => {
    expect(() => nn.zeros([2, 3]).matmul(nn.zeros([2, 3]))).toThrow(/matmul: shapes \[2, 3\] and \[2, 3\] do not fit/);
  });
  it("mixed dtypes", () => {
    expect(() => nn.zeros([2]).mul(nn.zeros([2], { dtype: "float32" }))).toThrow(/mul: mixed dtypes float64.*float32/);
  });
  it("ragged nested arrays", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged.*\[1\]/);
  });
  it("reshape to a wrong size", () => {
    expect(() => nn.zeros([2, 3]).reshape(4, 2)).toThrow(/reshape.*\[2, 3\].*\[4, 2\]/);
  });
  it("loss shape mismatch", () => {
    expect(() => F.mseLoss(nn.zeros([4, 1]), nn.zeros([4]))).toThrow(/mseLoss: input shape \[4, 1\] and target shape \[4\]/);
  });
  it("cross-entropy target out of range", () => {
    expect(() => F.crossEntropy(nn.zeros([2, 3]), [0, 3])).toThrow(/target\[1\] = 3 is not a class index in 0…2/);
  });
});

describe("numerical stability at ±1000", () => {
  it("sigmoid, tanh, softplus, softmax, logSoftmax, bceWithLogits stay finite with finite gradients", () => {
    const x = tensor([-1000, -30, 0, 30, 1000], { requiresGrad: true });
    const outs = [
      F.sigmoid(x),
      F.tanh(x),
      F.softplus(x),
      F.softmax(x, 0),
      F.logSoftmax(x, 0),
      F.bceWithLogits(x, tensor([1, 0, 1, 0, 1]), { reduction: "none" }),
    ];
    for (const o of outs) {
      for (const v of o.data) expect(Number.isFinite(v)).toBe(true);
      x.grad = null;
      o.sum().backward();
      for (const v of x.grad!.data) expect(Number.isFinite(v)).toBe(true);
    }
    expect(Array.from(F.softmax(tensor([1000, 1000, 0])).data)).toEqual([0.5, 0.5, 0]);
  });
});

describe("noGrad and async functions", () => {
  // noGrad is one program-wide switch: across an await it would be off for whatever else runs.
  it("refuses an async function before running it, and leaves gradients on", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    let ran = false;
    expect(() =>
      noGrad(async () => {
        ran = true;
        return x.mul(2);
      }),
    ).toThrow(/noGrad\(fn\): fn is an async function.*await outside/is);
    expect(ran).toBe(false);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it("refuses a promise returned by a plain function, and leaves gradients on", async () => {
    const x = tensor([1, 2], { requiresGrad: true });
    let inside: boolean | null = null;
    expect(() => noGrad(() => Promise.resolve().then(() => (inside = x.mul(2).requiresGrad)))).toThrow(/returned a promise/);
    await new Promise((r) => setTimeout(r, 0));
    expect(inside).toBe(true); // what ran after the await was recorded: the reason it is refused
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it("restores the switch when fn throws", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() =>
      noGrad(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(x.mul(2).requiresGrad).toBe(true);
  });
});
