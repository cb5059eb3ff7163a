/**
 * Do nnlab's optimisers take PyTorch's steps? Every trajectory of test/fixtures/torch/optim.json
 * (torch 1.13, made by make_optim_fixtures.py) is replayed with gradients from nnlab's autograd.
 */
import { expect, it } from "vitest";
import { tensor } from "../../kernel-lib/src/index";
import { fixture, makeOptimizer, maxRelError, run } from "./helpers";
import { describeEachBackend } from "../helpers/backends";

describeEachBackend("100-step trajectories match PyTorch (float64, ≤ 1e-9 relative)", () => {
  for (const c of fixture.cases.filter((k) => k.dtype === "float64")) {
    it(c.name, () => {
      const path = run(c.function, c.optimizer, c.options, c.trajectory[0], c.trajectory.length - 1);
      expect(path.length).toBe(101);
      const { error, step } = maxRelError(path, c.trajectory);
      expect(error, `worst at step ${step}: nnlab ${path[step]} vs PyTorch ${c.trajectory[step]}`).toBeLessThanOrEqual(1e-9);
    });
  }
});

describeEachBackend("float32 parameters are updated in float32 arithmetic, as PyTorch does", () => {
  for (const c of fixture.cases.filter((k) => k.dtype === "float32")) {
    it(c.name, () => {
      const path = run(c.function, c.optimizer, c.options, c.trajectory[0], c.trajectory.length - 1, "float32");
      // Measured bit-identical (the step functions reproduce PyTorch's float32 FMAs); allow a few
      // float32 ulps (6e-8 each) so a change in how autograd rounds a gradient is not a failure here.
      const { error, step } = maxRelError(path, c.trajectory);
      expect(error, `worst at step ${step}: nnlab ${path[step]} vs PyTorch ${c.trajectory[step]}`).toBeLessThanOrEqual(1e-6);
    });
  }
});

describeEachBackend("a 3×2 weight matrix and a bias in two parameter groups match PyTorch", () => {
  const { X, Y, W0, B0, steps } = fixture.multi;
  for (const c of fixture.multi.cases) {
    it(`${c.optimizer}(${JSON.stringify(c.defaults)}) with bias group ${JSON.stringify(c.biasGroup)}`, () => {
      const W = tensor(W0, { requiresGrad: true });
      const b = tensor(B0, { requiresGrad: true });
      const Xt = tensor(X);
      const Yt = tensor(Y);
      const opt = makeOptimizer(c.optimizer, [{ params: [W] }, { params: [b], ...c.biasGroup }], c.defaults);
      const losses: number[] = [];
      const path = [[...W.data, ...b.data]];
      for (let s = 0; s < steps; s++) {
        opt.zeroGrad();
        const loss = Xt.matmul(W.T).add(b).sub(Yt).square().mean();
        losses.push(loss.item());
        loss.backward();
        opt.step();
        path.push([...W.data, ...b.data]);
      }
      const expected = c.trajectory.map((p) => [...p.W, ...p.b]);
      const { error, step } = maxRelError(path, expected);
      expect(error, `worst at step ${step}`).toBeLessThanOrEqual(1e-9);
      expect(maxRelError([losses], [c.losses]).error).toBeLessThanOrEqual(1e-9);
      // The two groups really moved at different rates: the bias group's lr differs.
      expect(opt.paramGroups[0].lr).not.toBe(opt.paramGroups[1].lr);
    });
  }
});
