/** Do the schedulers give PyTorch's lr sequence, epoch by epoch, and does the optimiser use it? */
import { describe, expect, it, vi } from "vitest";
import { tensor } from "../../kernel-lib/src/index";
import * as optim from "../../kernel-lib/src/optim/index";
import { fixture } from "./helpers";

function makeScheduler(name: string, opt: optim.SGD, options: Record<string, number>): optim.LRScheduler {
  if (name === "StepLR") return new optim.StepLR(opt, options as { stepSize: number; gamma?: number });
  if (name === "ExponentialLR") return new optim.ExponentialLR(opt, options as { gamma: number });
  return new optim.CosineAnnealingLR(opt, options as { tMax: number; etaMin?: number });
}

function twoGroups(lrs: number[]): optim.SGD {
  return new optim.SGD(
    lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })),
    { lr: lrs[0], momentum: 0.9 },
  );
}

describe("lr sequences equal PyTorch's (two groups, after construction and each epoch)", () => {
  for (const c of fixture.schedulers) {
    it(`${c.scheduler}(${JSON.stringify(c.options)}) for ${c.lrs.length - 1} epochs`, () => {
      const opt = twoGroups(c.groupLrs);
      const sched = makeScheduler(c.scheduler, opt, c.options);
      const lrs = [sched.getLastLr()];
      for (let e = 1; e < c.lrs.length; e++) {
        opt.step();
        sched.step();
        lrs.push(sched.getLastLr());
        expect(opt.paramGroups.map((g) => g.lr)).toEqual(sched.getLastLr());
      }
      for (let e = 0; e < c.lrs.length; e++) {
        for (let g = 0; g < 2; g++) {
          const want = c.lrs[e][g];
          expect(Math.abs(lrs[e][g] - want), `epoch ${e} group ${g}: ${lrs[e][g]} vs ${want}`).toBeLessThanOrEqual(1e-15 * Math.abs(want) + 1e-300);
        }
      }
    });
  }
});

describe("the optimiser steps with the scheduled lr", () => {
  it("StepLR halves the SGD step every 2 epochs", () => {
    const x = tensor([1], { requiresGrad: true });
    const opt = new optim.SGD([x], { lr: 0.1 });
    const sched = new optim.StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const moves: number[] = [];
    for (let epoch = 0; epoch < 6; epoch++) {
      const before = x.data[0];
      x.grad = tensor([1]);
      opt.step();
      moves.push(before - x.data[0]);
      sched.step();
    }
    const want = [0.1, 0.1, 0.05, 0.05, 0.025, 0.025];
    moves.forEach((m, i) => expect(m).toBeCloseTo(want[i], 14));
  });

  it("a scheduler's state round-trips", () => {
    const a = twoGroups([0.1, 0.05]);
    const s = new optim.CosineAnnealingLR(a, { tMax: 10 });
    for (let e = 0; e < 4; e++) s.step();
    const b = twoGroups([0.1, 0.05]);
    b.loadStateDict(a.stateDict());
    const t = new optim.CosineAnnealingLR(b, { tMax: 10 });
    t.loadStateDict(JSON.parse(JSON.stringify(s.stateDict())));
    for (let e = 0; e < 5; e++) {
      s.step();
      t.step();
    }
    expect(t.getLastLr()).toEqual(s.getLastLr());
  });

  it("warns, as PyTorch does, when scheduler.step() comes before any optimizer.step()", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const opt = twoGroups([0.1]);
      const sched = new optim.StepLR(opt, { stepSize: 1 });
      sched.step();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/StepLR\.step\(\) was called before optimizer\.step\(\)/);
      const ok = twoGroups([0.1]);
      const sched2 = new optim.StepLR(ok, { stepSize: 1 });
      ok.step();
      sched2.step();
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it("bad options fail clearly", () => {
    expect(() => new optim.StepLR(twoGroups([0.1]), { stepSize: 0 })).toThrow(/StepLR: stepSize must be a whole number of epochs ≥ 1 \(got 0\)/);
    expect(() => new optim.CosineAnnealingLR(twoGroups([0.1]), { tMax: 2.5 })).toThrow(/CosineAnnealingLR: tMax must be a whole number/);
    expect(() => new optim.ExponentialLR(twoGroups([0.1]), { gamma: -1 })).toThrow(/ExponentialLR: gamma must be a number ≥ 0/);
  });
});
