/** softplus, the smooth ReLU ln(1 + eᶻ), whose derivative is σ: the stable core of bceWithLogits. */
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";
import { gradMap, map1 } from "../ops/unary";
import { sigmoidScalar } from "./activations/sigmoid";

/** ln(1 + eᶻ) without overflow: softplus(z) = max(z, 0) + log1p(e^{−|z|}). Derivative σ(z). */
export function softplus(t: Tensor): Tensor {
  const x = asTensor("softplus", t);
  const d = x.data;
  return result("Softplus", map1(x, softplusScalar), x.shape, [x], (g) => [gradMap(g, (gi, i) => gi * sigmoidScalar(d[i]))]);
}

export function softplusScalar(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}
