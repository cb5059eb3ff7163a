/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
 * Regularization"). Adam's weight decay adds λ·θ to g, which then gets divided by √v̂ like any
 * gradient, so weights with large gradients are barely regularised. AdamW shrinks θ directly:
 *
 *   θ ← θ − η·λ·θ                              (before, and apart from, the Adam step)
 *   m ← β₁·m + (1 − β₁)·g ;  v ← β₂·v + (1 − β₂)·g²      (g without λ·θ)
 *   θ ← θ − η·m̂ / (√v̂ + ε)                    (exactly Adam's update: adam.ts)
 *
 * PyTorch's decay is η·λ (the paper has a separate schedule multiplier); λ defaults to 1e-2,
 * the other defaults are Adam's.
 */
import type { FloatArray } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import { Optimizer, type ParamsInput, definedOnly } from "./optimizer";
import { type AdamHyper, type AdamState, adamDefaults, adamState, adamStep, validateAdam } from "./adam";

export type AdamWHyper = AdamHyper;
export type AdamWOptions = Partial<AdamWHyper>;

export const adamwDefaults: AdamWHyper = { ...adamDefaults, weightDecay: 1e-2 };

/** AdamW: `new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 1e-2 })`. */
export class AdamW extends Optimizer<AdamWHyper, AdamState> {
  constructor(params: ParamsInput<AdamWHyper>, options: AdamWOptions = {}) {
    super("AdamW", params, { ...adamwDefaults, ...definedOnly(options) });
  }

  protected validate(h: AdamWHyper): void {
    validateAdam("AdamW", h);
  }

  protected initState(p: Tensor, h: AdamWHyper): AdamState {
    return adamState(p, h);
  }

  protected update(p: FloatArray, g: FloatArray, state: AdamState, h: AdamWHyper): void {
    adamStep(p, g, state, h, true);
  }
}
