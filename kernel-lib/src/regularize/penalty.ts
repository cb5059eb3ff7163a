/**
 * Weight penalties added to the loss (the training-tips and weight-decay articles).
 *
 *   l2Penalty = Σ w²        (PyTorch/TensorFlow style; its gradient is 2w)
 *   l2Penalty({half: true}) = ½ Σ w²   (d2l's λ/2·‖w‖², whose gradient λw is exactly what SGD's
 *                                       weightDecay = λ adds: the two training runs are equal)
 *   l1Penalty = Σ |w|       (gradient sign(w), 0 at 0)
 *
 * Multiply by λ yourself: `loss = F.mseLoss(out, y).add(l2Penalty(model, {half: true}).mul(lambda))`.
 *
 * Which tensors: given a Module, every parameter except biases (names ending in "bias", or a
 * Neuron's "b"), unless `includeBias`; given an array of tensors, all of them (you chose them).
 */
import { Tensor } from "../tensor/tensor";
import { zeros } from "../tensor/create";
import { Module } from "../nn/module";

export interface PenaltyOptions {
  /** Penalise biases too (default false: only weights). Ignored for an array of tensors. */
  includeBias?: boolean;
}

function isBiasName(name: string): boolean {
  const last = name.split(".").pop() ?? name;
  return last === "bias" || last === "b";
}

/** The tensors a penalty applies to, with the rule above. */
export function penalizedParameters(source: Module | Tensor[], options: PenaltyOptions = {}): Tensor[] {
  if (source instanceof Module) {
    return source
      .namedParameters()
      .filter(([n]) => options.includeBias || !isBiasName(n))
      .map(([, p]) => p);
  }
  if (!Array.isArray(source) || !source.every((t) => t instanceof Tensor)) {
    throw new TypeError("penalty: pass a Module or an array of Tensors (e.g. model.parameters() or [w]).");
  }
  return source;
}

function total(params: Tensor[], term: (p: Tensor) => Tensor): Tensor {
  if (params.length === 0) return zeros([]);
  let s = term(params[0]);
  for (let i = 1; i < params.length; i++) s = s.add(term(params[i]));
  return s;
}

/** Σ w² over the weights (½ Σ w² with `half: true`, d2l's convention). A 0-d tensor in the graph. */
export function l2Penalty(source: Module | Tensor[], options: PenaltyOptions & { half?: boolean } = {}): Tensor {
  const s = total(penalizedParameters(source, options), (p) => p.square().sum());
  return options.half ? s.mul(0.5) : s;
}

/** Σ |w| over the weights. A 0-d tensor in the graph. */
export function l1Penalty(source: Module | Tensor[], options: PenaltyOptions = {}): Tensor {
  return total(penalizedParameters(source, options), (p) => p.abs().sum());
}
