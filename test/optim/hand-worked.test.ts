/**
 * Two steps of each optimiser worked by hand, with a constant gradient g = (1, 2) from θ = (1, −2):
 * the update rules at the top of each kernel-lib/src/optim file, checked on numbers a reader can
 * follow. (The PyTorch fixtures check the same rules to 1e-9 over 100 steps: parity.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { tensor } from "../../kernel-lib/src/index";
import { type OptimizerName, makeOptimizer } from "./helpers";

function twoSteps(name: OptimizerName, options: Record<string, unknown>): number[][] {
  const theta = tensor([1, -2], { requiresGrad: true });
  const opt = makeOptimizer(name, [theta], options);
  const path: number[][] = [];
  for (let s = 0; s < 2; s++) {
    theta.grad = tensor([1, 2]);
    opt.step();
    path.push(Array.from(theta.data));
  }
  return path;
}

function expectPath(got: number[][], want: number[][]): void {
  got.forEach((p, s) => p.forEach((v, i) => expect(v, `step ${s + 1}, θ${i + 1}`).toBeCloseTo(want[s][i], 6)));
}

describe("two steps by hand", () => {
  it("SGD with momentum: the buffer starts at g, then b = 0.9·b + g", () => {
    // b₁ = g = (1, 2);            θ₁ = θ₀ − 0.1·b₁ = (0.9, −2.2)
    // b₂ = 0.9·b₁ + g = (1.9, 3.8); θ₂ = θ₁ − 0.1·b₂ = (0.71, −2.58)
    expectPath(twoSteps("SGD", { lr: 0.1, momentum: 0.9 }), [
      [0.9, -2.2],
      [0.71, -2.58],
    ]);
  });

  it("SGD with Nesterov: step along g + 0.9·b", () => {
    // b₁ = g;        θ₁ = θ₀ − 0.1·(g + 0.9·g) = θ₀ − 0.19·g = (0.81, −2.38)
    // b₂ = 1.9·g;    θ₂ = θ₁ − 0.1·(g + 0.9·1.9·g) = θ₁ − 0.271·g = (0.539, −2.922)
    expectPath(twoSteps("SGD", { lr: 0.1, momentum: 0.9, nesterov: true }), [
      [0.81, -2.38],
      [0.539, -2.922],
    ]);
  });

  it("SGD with dampening: (1 − τ) applies from the second step only", () => {
    // b₁ = g;  b₂ = 0.9·g + 0.5·g = 1.4·g;  θ₁ = θ₀ − 0.1·g = (0.9, −2.2);  θ₂ = θ₁ − 0.14·g = (0.76, −2.48)
    expectPath(twoSteps("SGD", { lr: 0.1, momentum: 0.9, dampening: 0.5 }), [
      [0.9, -2.2],
      [0.76, -2.48],
    ]);
  });

  it("Adagrad: G sums g², each coordinate moves by η·g/√G", () => {
    // G₁ = (1, 4):  η·g/√G = 0.1·(1/1, 2/2) = (0.1, 0.1)           → θ₁ = (0.9, −2.1)
    // G₂ = (2, 8):  η·g/√G = 0.1·(1/√2, 2/√8) = (0.070711, 0.070711) → θ₂ = (0.829289, −2.170711)
    expectPath(twoSteps("Adagrad", { lr: 0.1 }), [
      [0.9, -2.1],
      [0.829289, -2.170711],
    ]);
  });

  it("RMSprop: v = 0.99·v + 0.01·g², no bias correction, so the first step is 10·η", () => {
    // v₁ = 0.01·g² = (0.01, 0.04); g/√v₁ = (10, 10)           → θ₁ = θ₀ − 0.01·10 = (0.9, −2.1)
    // v₂ = 0.99·v₁ + 0.01·g² = (0.0199, 0.0796); g/√v₂ = 7.088812 → θ₂ = (0.829112, −2.170888)
    expectPath(twoSteps("RMSprop", { lr: 0.01 }), [
      [0.9, -2.1],
      [0.829112, -2.170888],
    ]);
  });

  it("Adam: with a constant g the corrected m̂/√v̂ is 1, so each step is η", () => {
    // m₁ = 0.1·g, v₁ = 0.001·g²; m̂₁ = g, v̂₁ = g²; θ₁ = θ₀ − 0.1·g/|g| = (0.9, −2.1)
    // m₂ = 0.19·g, v₂ = 0.001999·g²; m̂₂ = g, v̂₂ = g²;             θ₂ = (0.8, −2.2)
    expectPath(twoSteps("Adam", { lr: 0.1 }), [
      [0.9, -2.1],
      [0.8, -2.2],
    ]);
  });

  it("AdamW: shrink θ by (1 − η·λ) first, then Adam's step", () => {
    // θ₀·0.99 = (0.99, −1.98) → − 0.1 = (0.89, −2.08)
    // θ₁·0.99 = (0.8811, −2.0592) → − 0.1 = (0.7811, −2.1592)
    expectPath(twoSteps("AdamW", { lr: 0.1, weightDecay: 0.1 }), [
      [0.89, -2.08],
      [0.7811, -2.1592],
    ]);
  });

  it("Adam's weightDecay is coupled: λ·θ joins g before the moments (unlike AdamW)", () => {
    // g' = g + 0.1·θ₀ = (1.1, 1.8): still one η-step per coordinate on the first step, (0.9, −2.1);
    // AdamW's first step gave (0.89, −2.08) instead.
    expectPath(twoSteps("Adam", { lr: 0.1, weightDecay: 0.1 }).slice(0, 1), [[0.9, -2.1]]);
  });
});
