/**
 * Adagrad: the article's section 4 (which describes it in words only). Each coordinate's step
 * shrinks with the squared gradients it has seen, so steep directions slow down and shallow ones
 * keep moving.
 *
 * The textbook rule (Duchi et al. 2011; Lee's slides write it without ε; notebook 05 shows this form)
 * with θ parameters, η learning rate, g_t the gradient, ε a small number:
 *
 *   G_t = Σ_{i≤t} g_i²                      (element-wise)
 *   θ_{t+1} = θ_t − η / (√G_t + ε) · g_t     (ε outside the root, as PyTorch's docs write it)
 *
 * What PyTorch computes (torch.optim.Adagrad, and so this file), with λ = weightDecay, d = lrDecay,
 * G_0 = initialAccumulatorValue:
 *
 *   t ← t + 1
 *   g ← g + λ·θ
 *   η_t = η / (1 + (t − 1)·d)
 *   G ← G + g²
 *   θ ← θ − η_t · g / (√G + ε)
 *
 * Where PyTorch goes beyond the textbook rule: ε defaults to 1e-10 (d2l writes √(G + 1e-6),
 * TensorFlow.js puts 1e-7 inside the root and starts G at 0.1); G may start above zero; η may decay.
 */
import type { FloatArray } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import { Optimizer, type ParamsInput, allocLike, checkBoolean, checkNumber, definedOnly, rounding } from "./optimizer";

export interface AdagradHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

export type AdagradOptions = Partial<AdagradHyper>;

export const adagradDefaults: AdagradHyper = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

export interface AdagradState {
  [k: string]: FloatArray | number | null;
  step: number;
  /** G: the running sum of squared gradients (PyTorch's `sum`). */
  sum: FloatArray;
}

/** One Adagrad update of one parameter, in place (PyTorch's `_single_tensor_adagrad`). */
export function adagradStep(p: FloatArray, g: FloatArray, state: AdagradState, h: AdagradHyper): void {
  const r = rounding(p);
  state.step += 1;
  const clr = h.lr / (1 + (state.step - 1) * h.lrDecay);
  const negClr = r(-clr);
  const wd = r(h.weightDecay);
  const eps = r(h.eps);
  const G = state.sum;
  for (let i = 0; i < p.length; i++) {
    let d = h.maximize ? -g[i] : g[i];
    if (h.weightDecay !== 0) d = r(d + wd * p[i]);
    G[i] = G[i] + d * d;
    const std = r(r(Math.sqrt(G[i])) + eps);
    p[i] = p[i] + r(r(negClr * d) / std);
  }
}

/** Adagrad: `new Adagrad(params, { lr: 0.4 })`. */
export class Adagrad extends Optimizer<AdagradHyper, AdagradState> {
  constructor(params: ParamsInput<AdagradHyper>, options: AdagradOptions = {}) {
    super("Adagrad", params, { ...adagradDefaults, ...definedOnly(options) });
  }

  protected validate(h: AdagradHyper): void {
    checkNumber("Adagrad", "lr", h.lr, 0);
    checkNumber("Adagrad", "lrDecay", h.lrDecay, 0);
    checkNumber("Adagrad", "weightDecay", h.weightDecay, 0);
    checkNumber("Adagrad", "initialAccumulatorValue", h.initialAccumulatorValue, 0);
    checkNumber("Adagrad", "eps", h.eps, 0);
    checkBoolean("Adagrad", "maximize", h.maximize);
  }

  protected initState(p: Tensor, h: AdagradHyper): AdagradState {
    return { step: 0, sum: allocLike(p.data, h.initialAccumulatorValue) };
  }

  protected update(p: FloatArray, g: FloatArray, state: AdagradState, h: AdagradHyper): void {
    adagradStep(p, g, state, h);
  }
}
