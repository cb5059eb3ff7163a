/**
 * SGD, SGDM (momentum) and NAG (Nesterov): the article's sections 1, 2 and 6, which describe them
 * in words only. The textbook forms notebook 05 shows (θ parameters, η learning rate,
 * g_t = ∇C(θ_t), β momentum):
 *
 *   SGD    θ_{t+1} = θ_t − η·g_t
 *   SGDM   v_t = β·v_{t−1} + (1 − β)·g_t          (the article's "exponentially weighted average")
 *          θ_{t+1} = θ_t − η·v_t
 *   NAG    v_t = β·v_{t−1} + ∇C(θ_t − η·β·v_{t−1})  (the gradient at the look-ahead point;
 *          θ_{t+1} = θ_t − η·v_t                   Sutskever et al. 2013, Lee's slides)
 *
 * What PyTorch computes (torch.optim.SGD, and so this file), with λ = weightDecay, τ = dampening:
 *
 *   g ← g + λ·θ                                   coupled L2: the gradient of λ/2·‖θ‖²
 *   b ← g                       at the first step  (no dampening then)
 *   b ← β·b + (1 − τ)·g         afterwards
 *   g ← g + β·b  if nesterov,   else g ← b
 *   θ ← θ − η·g
 *
 * Where PyTorch departs from the textbook SGDM: the buffer starts at the first gradient instead of at 0,
 * and τ = 0 by default, so b = Σ β^k·g is a sum, not an average (τ = 1 − β gives the article's
 * average from step 2 on). η multiplies after the momentum (Sutskever et al. fold it in:
 * v = β·v + η·g; θ ← θ − v); for a constant η both give the same trajectory. PyTorch's NAG is
 * the reformulation that needs the gradient at the stored point only: it stores the look-ahead
 * point φ_t = θ_t − η·β·v_{t−1} instead of θ_t, so the same algorithm follows a different recorded
 * path (from (−5, −2) on 0.1·x₁² + 2·x₂² with η = 0.3, β = 0.5, the first step lands at (−4.55, 1.6),
 * not the look-ahead formula's (−4.7, 0.4)).
 */
import type { FloatArray } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import { SGD_DECAY, SGD_FIRST, SGD_MAXIMIZE, SGD_MOMENTUM, SGD_NESTEROV, sgdStepWasm } from "../kernels/sgd-wasm";
import { Optimizer, type ParamsInput, allocLike, checkBoolean, checkNumber, definedOnly, rounding } from "./optimizer";
import { round } from "./round";

export interface SGDHyper {
  /** η: required, as in PyTorch 1.x (there is no good default). */
  lr: number;
  /** β: 0 turns momentum off. */
  momentum: number;
  /** τ: the fraction of the new gradient held back from the buffer. */
  dampening: number;
  /** λ: adds λ·θ to the gradient (the gradient of λ/2·‖θ‖²). */
  weightDecay: number;
  nesterov: boolean;
  /** Climb instead of descend (g ← −g). */
  maximize: boolean;
}

export type SGDOptions = Partial<SGDHyper>;

export const sgdDefaults: Omit<SGDHyper, "lr"> = { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

export interface SGDState {
  [k: string]: FloatArray | number | null;
  /** b: null until the first step with momentum. */
  momentumBuffer: FloatArray | null;
}

/** One SGD update of one parameter, in place (PyTorch's `_single_tensor_sgd` for one tensor). */
export function sgdStep(p: FloatArray, g: FloatArray, state: SGDState, h: SGDHyper): void {
  // Everything the loop reads is hoisted into constants, and float32 rounding is a branch on a
  // constant rather than a call through `rounding(p)`: the loop runs once per weight per step
  // (~100k weights in the MLP benchmark) and was several times slower with the lookups inside.
  const f32 = p instanceof Float32Array;
  const r = rounding(p);
  const wd = r(h.weightDecay);
  const mom = r(h.momentum);
  const keep = r(1 - h.dampening);
  const negLr = r(-h.lr);
  const maximize = h.maximize;
  const decay = h.weightDecay !== 0;
  const nesterov = h.nesterov;
  const useMomentum = h.momentum !== 0;
  const first = useMomentum && state.momentumBuffer === null;
  if (first) state.momentumBuffer = allocLike(p);
  const buf = state.momentumBuffer as FloatArray;
  // Plain SGD: the JavaScript loop below beats the copies into WebAssembly at every size measured
  // in float64, and in float32 up to PLAIN32_MAX weights (bench/NOTES.md).
  if (!useMomentum && !decay && !maximize && (!f32 || (p.length <= PLAIN32_MAX && g instanceof Float32Array))) {
    plainStep(p, g, negLr);
    return;
  }
  // A parameter of SGD_WASM_MIN weights or more: the same loop in WebAssembly.
  const flags =
    (first ? SGD_FIRST : 0) |
    (useMomentum ? SGD_MOMENTUM : 0) |
    (decay ? SGD_DECAY : 0) |
    (nesterov ? SGD_NESTEROV : 0) |
    (maximize ? SGD_MAXIMIZE : 0);
  if (sgdStepWasm(p, g, useMomentum ? buf : null, mom, keep, negLr, wd, flags)) return;
  for (let i = 0; i < p.length; i++) {
    let d = maximize ? -g[i] : g[i];
    if (decay) d = round(f32, d + wd * p[i]);
    if (useMomentum) {
      buf[i] = first ? d : round(f32, buf[i] * mom) + keep * d;
      d = nesterov ? round(f32, d + mom * buf[i]) : buf[i];
    }
    p[i] = p[i] + negLr * d;
  }
}

/**
 * θ ← θ − η·g, the loop below without momentum, decay or maximize. In float32, θ + η·g is computed
 * in a double and rounded once to float32 by the store, as the WebAssembly loop does: bit-identical. Four elements are loaded before
 * any is stored: after a store to a typed array the engine reloads the arrays' lengths and data
 * pointers, so a store per element cost more than the arithmetic (twice the time for a 200-weight
 * parameter: bench/NOTES.md).
 */
function plainStep(p: FloatArray, g: FloatArray, negLr: number): void {
  const n = p.length;
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    const x0 = p[i] + negLr * g[i];
    const x1 = p[i + 1] + negLr * g[i + 1];
    const x2 = p[i + 2] + negLr * g[i + 2];
    const x3 = p[i + 3] + negLr * g[i + 3];
    p[i] = x0;
    p[i + 1] = x1;
    p[i + 2] = x2;
    p[i + 3] = x3;
  }
  for (; i < n; i++) p[i] = p[i] + negLr * g[i];
}

/** Float32 plainStep's limit: above it the WebAssembly loop's speed per weight outweighs its copies. */
const PLAIN32_MAX = 1024;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay:
 * `new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`.
 */
export class SGD extends Optimizer<SGDHyper, SGDState> {
  constructor(params: ParamsInput<SGDHyper>, options: SGDOptions = {}) {
    super("SGD", params, { ...sgdDefaults, ...definedOnly(options) });
  }

  protected validate(h: SGDHyper): void {
    checkNumber("SGD", "lr", h.lr, 0);
    checkNumber("SGD", "momentum", h.momentum, 0);
    checkNumber("SGD", "dampening", h.dampening, 0, true, 1, true);
    checkNumber("SGD", "weightDecay", h.weightDecay, 0);
    checkBoolean("SGD", "nesterov", h.nesterov);
    checkBoolean("SGD", "maximize", h.maximize);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw new RangeError(`SGD: nesterov requires momentum > 0 and dampening = 0 (got momentum ${h.momentum}, dampening ${h.dampening}).`);
    }
  }

  protected initState(_p: Tensor, _h: SGDHyper): SGDState {
    return { momentumBuffer: null };
  }

  protected update(p: FloatArray, g: FloatArray, state: SGDState, h: SGDHyper): void {
    sgdStep(p, g, state, h);
  }
}
