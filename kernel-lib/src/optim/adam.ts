/**
 * Adam: the article's section 3 (which describes it in words only). Momentum (a moving average of g)
 * divided by RMSProp's scale (a moving average of g²), both corrected for starting at zero.
 *
 * The paper's rule (Kingma & Ba 2015, Algorithm 1; notebook 05 shows this form) with θ parameters,
 * η learning rate, g_t the gradient, β₁ β₂ decays, ε small (outside the root):
 *
 *   m_t = β₁·m_{t−1} + (1 − β₁)·g_t
 *   v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
 *   m̂_t = m_t / (1 − β₁^t),   v̂_t = v_t / (1 − β₂^t)
 *   θ_{t+1} = θ_t − η·m̂_t / (√v̂_t + ε)
 *
 * What PyTorch computes (torch.optim.Adam, and so this file), with λ = weightDecay:
 *
 *   t ← t + 1
 *   g ← g + λ·θ                                coupled L2 (AdamW decouples it: adamw.ts)
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   amsgrad:  v_max ← max(v_max, v), and v_max replaces v below
 *   θ ← θ − (η / (1 − β₁^t)) · m / (√v / √(1 − β₂^t) + ε)
 *
 * This is the paper's algorithm; PyTorch only regroups it (the correction of m folded into the step
 * size, ε added after dividing √v by √(1 − β₂^t), which is √v̂ + ε). TensorFlow.js's default ε is 1e-7.
 */
import type { FloatArray } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import { Optimizer, type ParamsInput, allocLike, checkBoolean, checkNumber, definedOnly, rounding } from "./optimizer";
import { round } from "./round";

export interface AdamHyper {
  lr: number;
  /** [β₁, β₂]. */
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export type AdamOptions = Partial<AdamHyper>;

export const adamDefaults: AdamHyper = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

export interface AdamState {
  [k: string]: FloatArray | number | null;
  step: number;
  /** m. */
  expAvg: FloatArray;
  /** v. */
  expAvgSq: FloatArray;
  /** v_max, only with amsgrad. */
  maxExpAvgSq: FloatArray | null;
}

/**
 * One Adam update of one parameter, in place (PyTorch's `_single_tensor_adam`). With
 * `decoupled`, weight decay shrinks θ directly before the update (AdamW) instead of adding λ·θ to g.
 */
export function adamStep(p: FloatArray, g: FloatArray, state: AdamState, h: AdamHyper, decoupled: boolean = false): void {
  const r = rounding(p);
  const [beta1, beta2] = h.betas;
  state.step += 1;
  const t = state.step;
  const b1 = r(beta1);
  const b2 = r(beta2);
  const rest1 = r(1 - beta1);
  const rest2 = r(1 - beta2);
  const wd = r(h.weightDecay);
  const shrink = r(1 - h.lr * h.weightDecay);
  const eps = r(h.eps);
  const stepSize = h.lr / (1 - beta1 ** t);
  const negStep = r(-stepSize);
  const bc2Sqrt = r(Math.sqrt(1 - beta2 ** t));
  if (h.amsgrad && state.maxExpAvgSq === null) state.maxExpAvgSq = allocLike(p);
  const m = state.expAvg;
  const v = state.expAvgSq;
  const vMax = h.amsgrad ? state.maxExpAvgSq : null;
  const f32 = p instanceof Float32Array;
  const maximize = h.maximize;
  const decay = h.weightDecay !== 0;
  for (let i = 0; i < p.length; i++) {
    let d = maximize ? -g[i] : g[i];
    if (decoupled) p[i] = round(f32, p[i] * shrink);
    else if (decay) d = round(f32, d + wd * p[i]);
    m[i] = round(f32, m[i] * b1) + rest1 * d;
    v[i] = round(f32, v[i] * b2) + round(f32, rest2 * d) * d;
    let second = v[i];
    if (vMax !== null) {
      if (v[i] > vMax[i] || Number.isNaN(v[i])) vMax[i] = v[i];
      second = vMax[i];
    }
    const denom = round(f32, round(f32, round(f32, Math.sqrt(second)) / bc2Sqrt) + eps);
    p[i] = p[i] + round(f32, round(f32, negStep * m[i]) / denom);
  }
}

export function validateAdam(name: string, h: AdamHyper): void {
  checkNumber(name, "lr", h.lr, 0);
  if (!Array.isArray(h.betas) || h.betas.length !== 2) {
    throw new TypeError(`${name}: betas must be a pair [β₁, β₂] (got ${JSON.stringify(h.betas)}).`);
  }
  checkNumber(name, "betas[0]", h.betas[0], 0, true, 1);
  checkNumber(name, "betas[1]", h.betas[1], 0, true, 1);
  checkNumber(name, "eps", h.eps, 0);
  checkNumber(name, "weightDecay", h.weightDecay, 0);
  checkBoolean(name, "amsgrad", h.amsgrad);
  checkBoolean(name, "maximize", h.maximize);
}

export function adamState(p: Tensor, h: AdamHyper): AdamState {
  return { step: 0, expAvg: allocLike(p.data), expAvgSq: allocLike(p.data), maxExpAvgSq: h.amsgrad ? allocLike(p.data) : null };
}

/** Adam: `new Adam(model.parameters(), { lr: 1e-3 })`. */
export class Adam extends Optimizer<AdamHyper, AdamState> {
  constructor(params: ParamsInput<AdamHyper>, options: AdamOptions = {}) {
    super("Adam", params, { ...adamDefaults, ...definedOnly(options) });
  }

  protected validate(h: AdamHyper): void {
    validateAdam("Adam", h);
  }

  protected initState(p: Tensor, h: AdamHyper): AdamState {
    return adamState(p, h);
  }

  protected update(p: FloatArray, g: FloatArray, state: AdamState, h: AdamHyper): void {
    adamStep(p, g, state, h, false);
  }
}
