/**
 * The optimiser API around the update rules: groups, state round trips, zeroGrad, validation,
 * and weight decay as an L2 penalty. (Update rules themselves: parity.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { type Tensor, randn, seed, tensor } from "../../kernel-lib/src/index";
import * as optim from "../../kernel-lib/src/optim/index";
import { type OptimizerName, makeOptimizer, objectives, run } from "./helpers";

const start = [-5, -2];

describe("d2l's 2-D trajectories (chapter_optimization, 20 steps on 0.1·x1² + 2·x2²)", () => {
  const cases: [string, Record<string, unknown>, [number, number]][] = [
    ["gradient descent η = 0.4: x2 converges fast, x1 crawls", { lr: 0.4 }, [-0.943467, -0.000073]],
    ["gradient descent η = 0.6 diverges in x2 (|1 − 0.6·4| > 1)", { lr: 0.6 }, [-0.387814, -1673.365109]],
    ["momentum η = 0.6, β = 0.5 converges", { lr: 0.6, momentum: 0.5 }, [0.007188, 0.002553]],
    ["momentum η = 0.6, β = 0.25 barely converges", { lr: 0.6, momentum: 0.25 }, [-0.12634, -0.186632]],
  ];
  for (const [what, options, final] of cases) {
    it(what, () => {
      const path = run("quadratic", "SGD", options, start, 20);
      // d2l's v = βv + g; x −= ηv starts v at 0, PyTorch's buffer at g_1: the same first step.
      expect(path[20][0]).toBeCloseTo(final[0], 6);
      expect(path[20][1]).toBeCloseTo(final[1], 6);
    });
  }
});

function linearData(n: number, d: number): { X: Tensor; y: Tensor } {
  seed(7);
  const X = randn([n, d]);
  const y = X.sum(1, true).mul(0.01).add(0.05);
  return { X, y };
}

describe("weight decay through SGD is the L2 penalty λ/2·‖w‖² in the loss", () => {
  for (const momentum of [0, 0.9]) {
    it(`the same training run to 1e-12 (momentum ${momentum})`, () => {
      const { X, y } = linearData(20, 200);
      const lambda = 3;
      const train = (viaOptimizer: boolean): number[] => {
        seed(1);
        const w = randn([200, 1], { requiresGrad: true });
        const b = tensor([0], { requiresGrad: true });
        const opt = new optim.SGD([{ params: [w], weightDecay: viaOptimizer ? lambda : 0 }, { params: [b] }], { lr: 0.003, momentum });
        for (let epoch = 0; epoch < 20; epoch++) {
          for (let i = 0; i < 20; i += 5) {
            opt.zeroGrad();
            const xb = X.slice(0, i, i + 5);
            const yb = y.slice(0, i, i + 5);
            let loss = xb.matmul(w).add(b).sub(yb).square().mean();
            if (!viaOptimizer)
              loss = loss.add(
                w
                  .square()
                  .sum()
                  .mul(lambda / 2),
              );
            loss.backward();
            opt.step();
          }
        }
        return [...w.data, ...b.data];
      };
      const a = train(true);
      const p = train(false);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - p[i]) / Math.max(Math.abs(p[i]), 1e-300));
      expect(worst).toBeLessThanOrEqual(1e-12);
      // And the decay did something: the norm fell far below the initial ≈ √200.
      expect(Math.hypot(...a.slice(0, 200))).toBeLessThan(10);
    });
  }
});

describe("stateDict(): save after 10 steps, load into a fresh optimiser, continue = uninterrupted", () => {
  const settings: [OptimizerName, Record<string, unknown>][] = [
    ["SGD", { lr: 0.05, momentum: 0.9, nesterov: true }],
    ["Adagrad", { lr: 0.3, lrDecay: 0.01, initialAccumulatorValue: 0.1 }],
    ["RMSprop", { lr: 0.01, momentum: 0.5, centered: true }],
    ["Adam", { lr: 0.05, amsgrad: true }],
    ["AdamW", { lr: 0.05 }],
  ];
  for (const [name, options] of settings) {
    it(`${name} ${JSON.stringify(options)}`, () => {
      const make = (values: number[][]): { params: Tensor[]; opt: optim.AnyOptimizer } => {
        const params = values.map((v) => tensor(v, { requiresGrad: true }));
        const opt = makeOptimizer(name, [{ params: [params[0]] }, { params: [params[1]], lr: 0.02 }], options);
        return { params, opt };
      };
      const loss = (ps: Tensor[]): Tensor => objectives.rosenbrock(ps[0]).add(objectives.quadratic(ps[1]));
      const stepN = (ps: Tensor[], opt: optim.AnyOptimizer, n: number): void => {
        for (let i = 0; i < n; i++) {
          opt.zeroGrad();
          loss(ps).backward();
          opt.step();
        }
      };
      const init = [
        [-1.5, 2],
        [-5, -2],
      ];
      const straight = make(init);
      stepN(straight.params, straight.opt, 30);

      const first = make(init);
      stepN(first.params, first.opt, 10);
      const saved = JSON.parse(JSON.stringify(first.opt.stateDict()));
      expect(Object.keys(saved.state)).toEqual(["0", "1"]);
      expect(saved.paramGroups.map((g: { params: number[] }) => g.params)).toEqual([[0], [1]]);

      const resumed = make(first.params.map((p) => Array.from(p.data)));
      resumed.opt.loadStateDict(saved);
      stepN(resumed.params, resumed.opt, 20);
      expect(resumed.params.map((p) => Array.from(p.data))).toEqual(straight.params.map((p) => Array.from(p.data)));
      // The loaded state is a copy, not shared with the snapshot.
      saved.paramGroups[0].lr = 123;
      expect(resumed.opt.paramGroups[0].lr).not.toBe(123);
    });
  }

  it("hyper-parameters come back with the state (a scheduler's lr survives)", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = new optim.Adam([x], { lr: 0.1 });
    a.paramGroups[0].lr = 0.025;
    const b = new optim.Adam([tensor([1, 2], { requiresGrad: true })], { lr: 0.1 });
    b.loadStateDict(a.stateDict());
    expect(b.paramGroups[0].lr).toBe(0.025);
  });

  it("a snapshot of other shapes is refused with a clear error", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = new optim.SGD([x], { lr: 0.1, momentum: 0.9 });
    x.grad = tensor([1, 1]);
    a.step();
    const other = new optim.SGD([tensor([1, 2, 3], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
    expect(() => other.loadStateDict(a.stateDict())).toThrow(/momentumBuffer.*2 values.*shape \[3\]/);
    const twoGroups = new optim.SGD([{ params: [tensor([1, 2], { requiresGrad: true })] }, { params: [tensor([1], { requiresGrad: true })] }], {
      lr: 0.1,
    });
    expect(() => twoGroups.loadStateDict(a.stateDict())).toThrow(/1 parameter groups, this optimiser 2/);
  });
});

describe("zeroGrad() and skipped parameters", () => {
  it("sets gradients to null by default (PyTorch 2's set_to_none), or to zeros on request", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([x], { lr: 0.1 });
    x.square().sum().backward();
    expect(x.grad).not.toBeNull();
    opt.zeroGrad(false);
    expect(Array.from(x.grad!.data)).toEqual([0, 0]);
    opt.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it("gradients accumulate without zeroGrad, and the step uses the sum", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([x], { lr: 0.1 });
    x.square().sum().backward();
    x.square().sum().backward();
    opt.step();
    expect(Array.from(x.data)).toEqual([1 - 0.1 * 4, 2 - 0.1 * 8]);
  });

  it("a parameter without a gradient is left alone and gets no state", () => {
    const used = tensor([1], { requiresGrad: true });
    const unused = tensor([5], { requiresGrad: true });
    const opt = new optim.Adam([used, unused], { lr: 0.1 });
    used.square().sum().backward();
    opt.step();
    expect(unused.data[0]).toBe(5);
    expect(opt.state.has(unused)).toBe(false);
    expect(opt.state.get(used)!.step).toBe(1);
  });

  it("step(closure) evaluates the loss and returns it", () => {
    const x = tensor([3], { requiresGrad: true });
    const opt = new optim.SGD([x], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = x.square().sum();
      l.backward();
      return l;
    });
    expect((loss as Tensor).item()).toBe(9);
    expect(x.data[0]).toBe(1.5);
  });
});

describe("float32 parameters keep float32 state", () => {
  it("Adam's moments are Float32Array for a float32 parameter", () => {
    const x = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    const opt = new optim.Adam([x], { amsgrad: true });
    x.square().sum().backward();
    opt.step();
    const s = opt.state.get(x)!;
    expect(s.expAvg).toBeInstanceOf(Float32Array);
    expect(s.expAvgSq).toBeInstanceOf(Float32Array);
    expect(s.maxExpAvgSq).toBeInstanceOf(Float32Array);
    expect(x.data).toBeInstanceOf(Float32Array);
  });
});

describe("defaults equal PyTorch's", () => {
  it("Adagrad, RMSprop, Adam, AdamW", () => {
    expect(optim.adagradDefaults).toMatchObject({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    expect(optim.rmspropDefaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false });
    expect(optim.adamDefaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(optim.adamwDefaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false });
    expect(optim.sgdDefaults).toMatchObject({ momentum: 0, dampening: 0, weightDecay: 0, nesterov: false });
  });

  it("a group without an lr takes the optimiser's; a group's own options win", () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5, momentum: 0.9 }], { lr: 0.1 });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9 });
    const c = tensor([1], { requiresGrad: true });
    opt.addParamGroup({ params: [c], dampening: 0.5 });
    expect(opt.paramGroups[2]).toMatchObject({ lr: 0.1, dampening: 0.5 });
  });
});

describe("bad hyper-parameters fail with a message that says what to do", () => {
  const x = (): Tensor => tensor([1, 2], { requiresGrad: true });
  const cases: [string, () => unknown, RegExp][] = [
    ["SGD without lr", () => new optim.SGD([x()]), /SGD: lr is required.*\{ lr: 0\.1 \}/],
    ["SGD without lr in one group", () => new optim.SGD([{ params: [x()], lr: 0.1 }, { params: [x()] }]), /SGD: lr is required/],
    ["negative lr", () => new optim.SGD([x()], { lr: -0.1 }), /SGD: lr must be a number ≥ 0 \(got -0\.1\)/],
    [
      "nesterov without momentum",
      () => new optim.SGD([x()], { lr: 0.1, nesterov: true }),
      /SGD: nesterov requires momentum > 0 and dampening = 0 \(got momentum 0, dampening 0\)/,
    ],
    [
      "nesterov with dampening",
      () => new optim.SGD([x()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
      /nesterov requires momentum > 0 and dampening = 0/,
    ],
    ["NaN momentum", () => new optim.SGD([x()], { lr: 0.1, momentum: NaN }), /SGD: momentum must be a number ≥ 0 \(got NaN\)/],
    ["Adam β₁ = 1", () => new optim.Adam([x()], { betas: [1, 0.999] }), /Adam: betas\[0\] must be a number ≥ 0 and < 1 \(got 1\)/],
    ["Adam betas not a pair", () => new optim.Adam([x()], { betas: [0.9] as unknown as [number, number] }), /Adam: betas must be a pair/],
    ["AdamW negative eps", () => new optim.AdamW([x()], { eps: -1 }), /AdamW: eps must be a number ≥ 0/],
    ["RMSprop α > 1", () => new optim.RMSprop([x()], { alpha: 1.5 }), /RMSprop: alpha must be a number ≥ 0 and ≤ 1/],
    ["Adagrad negative lrDecay", () => new optim.Adagrad([x()], { lrDecay: -1 }), /Adagrad: lrDecay must be a number ≥ 0/],
    ["centered not a boolean", () => new optim.RMSprop([x()], { centered: 1 as unknown as boolean }), /RMSprop: centered must be true or false/],
    ["no parameters", () => new optim.Adam([]), /Adam: got an empty parameter list/],
    ["a computed tensor", () => new optim.Adam([x().mul(2)]), /only leaf tensors can be optimised/],
    [
      "a parameter twice",
      () => {
        const p = x();
        return new optim.Adam([{ params: [p] }, { params: [p] }]);
      },
      /appears in more than one group/,
    ],
    ["a mix of tensors and groups", () => new optim.Adam([x(), { params: [x()] }] as never), /not a mix of both/],
  ];
  for (const [what, make, message] of cases) it(what, () => expect(make).toThrow(message));
});

describe("maximize climbs: the same run as minimising −f", () => {
  for (const name of ["SGD", "Adam", "RMSprop", "Adagrad"] as OptimizerName[]) {
    it(name, () => {
      const up = tensor([0.5, -0.3], { requiresGrad: true });
      const down = tensor([0.5, -0.3], { requiresGrad: true });
      const optUp = makeOptimizer(name, [up], { lr: 0.01, maximize: true });
      const optDown = makeOptimizer(name, [down], { lr: 0.01 });
      for (let i = 0; i < 10; i++) {
        optUp.zeroGrad();
        optDown.zeroGrad();
        objectives.quadratic(up).backward();
        objectives.quadratic(down).neg().backward();
        optUp.step();
        optDown.step();
      }
      expect(Array.from(up.data)).toEqual(Array.from(down.data));
      expect(Math.abs(up.data[1])).toBeGreaterThan(0.3);
    });
  }
});
