/**
 * RMSProp: the article's section 5 (which describes it in words only). Adagrad's sum of squared
 * gradients becomes a moving average, so old gradients are forgotten and the step does not shrink
 * forever.
 *
 * The textbook rule (Hinton's Coursera lecture 6e, Lee's slides; notebook 05 shows this form) with
 * θ parameters, η learning rate, g_t the gradient, α the decay, ε small:
 *
 *   v_t = α·v_{t−1} + (1 − α)·g_t²
 *   θ_{t+1} = θ_t − η / (√v_t + ε) · g_t     (ε outside the root, as PyTorch's docs write it)
 *
 * What PyTorch computes (torch.optim.RMSprop, and so this file), with λ = weightDecay, μ = momentum:
 *
 *   g ← g + λ·θ
 *   v ← α·v + (1 − α)·g²
 *   centered:  m ← α·m + (1 − α)·g ;  s = √(v − m²) + ε      (divide by the variance, not the raw 2nd moment)
 *   else:      s = √v + ε
 *   μ > 0:     b ← μ·b + g / s ;  θ ← θ − η·b
 *   else:      θ ← θ − η·g / s
 *
 * Where PyTorch's defaults differ from other write-ups: ε = 1e-8 (d2l and TensorFlow.js put ε
 * inside the root); α defaults to
 * 0.99 (Hinton's slides and TensorFlow.js use 0.9); v starts at 0 and there is no bias correction,
 * so the first steps are large (v_1 = (1 − α)·g², a step of η/√(1 − α) = 10·η).
 */
import type { FloatArray } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import { Optimizer, type ParamsInput, allocLike, checkBoolean, checkNumber, definedOnly, rounding } from "./optimizer";

export interface RMSpropHyper {
  lr: number;
  /** α: the decay of the moving averages. */
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export type RMSpropOptions = Partial<RMSpropHyper>;

export const rmspropDefaults: RMSpropHyper = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

export interface RMSpropState {
  [k: string]: FloatArray | number | null;
  step: number;
  /** v: the moving average of g². */
  squareAvg: FloatArray;
  /** b: only with momentum > 0. */
  momentumBuffer: FloatArray | null;
  /** m: the moving average of g, only when centered. */
  gradAvg: FloatArray | null;
}

/** One RMSprop update of one parameter, in place (PyTorch's `_single_tensor_rmsprop`). */
export function rmspropStep(p: FloatArray, g: FloatArray, state: RMSpropState, h: RMSpropHyper): void {
  const r = rounding(p);
  state.step += 1;
  const wd = r(h.weightDecay);
  const alpha = r(h.alpha);
  const rest = r(1 - h.alpha);
  const eps = r(h.eps);
  const mom = r(h.momentum);
  const negLr = r(-h.lr);
  // Buffers follow the group's current settings (a scheduler or the user may change them).
  if (h.centered && state.gradAvg === null) state.gradAvg = allocLike(p);
  if (h.momentum > 0 && state.momentumBuffer === null) state.momentumBuffer = allocLike(p);
  const v = state.squareAvg;
  const m = h.centered ? state.gradAvg : null;
  const b = h.momentum > 0 ? state.momentumBuffer : null;
  for (let i = 0; i < p.length; i++) {
    let d = h.maximize ? -g[i] : g[i];
    if (h.weightDecay !== 0) d = r(d + wd * p[i]);
    v[i] = r(v[i] * alpha) + r(rest * d) * d;
    let s: number;
    if (m !== null) {
      m[i] = r(m[i] * alpha) + rest * d;
      s = r(Math.sqrt(r(v[i] - m[i] * m[i])));
    } else {
      s = r(Math.sqrt(v[i]));
    }
    s = r(s + eps);
    if (b !== null) {
      b[i] = r(b[i] * mom) + r(d / s);
      p[i] = p[i] + negLr * b[i];
    } else {
      p[i] = p[i] + r(r(negLr * d) / s);
    }
  }
}

/** RMSprop: `new RMSprop(params, { lr: 0.01, alpha: 0.9 })`. */
export class RMSprop extends Optimizer<RMSpropHyper, RMSpropState> {
  constructor(params: ParamsInput<RMSpropHyper>, options: RMSpropOptions = {}) {
    super("RMSprop", params, { ...rmspropDefaults, ...definedOnly(options) });
  }

  protected validate(h: RMSpropHyper): void {
    checkNumber("RMSprop", "lr", h.lr, 0);
    checkNumber("RMSprop", "alpha", h.alpha, 0, true, 1, true);
    checkNumber("RMSprop", "eps", h.eps, 0);
    checkNumber("RMSprop", "weightDecay", h.weightDecay, 0);
    checkNumber("RMSprop", "momentum", h.momentum, 0);
    checkBoolean("RMSprop", "centered", h.centered);
    checkBoolean("RMSprop", "maximize", h.maximize);
  }

  protected initState(p: Tensor, h: RMSpropHyper): RMSpropState {
    return {
      step: 0,
      squareAvg: allocLike(p.data),
      momentumBuffer: h.momentum > 0 ? allocLike(p.data) : null,
      gradAvg: h.centered ? allocLike(p.data) : null,
    };
  }

  protected update(p: FloatArray, g: FloatArray, state: RMSpropState, h: RMSpropHyper): void {
    rmspropStep(p, g, state, h);
  }
}
