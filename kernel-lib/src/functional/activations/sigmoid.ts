/** The logistic sigmoid σ(z) = 1/(1+e^{−z}), the article's activation. */
import type { Tensor } from "../../tensor/tensor";
import { result } from "../../autograd/graph";
import { asTensor } from "../../ops/operands";
import { gradMap, map1 } from "../../ops/unary";
import { Module as Layer } from "../../nn/module";

/**
 * σ(z), evaluated on the side where the exponential cannot overflow (the article's 1/(1+e^{−z})
 * computed naively overflows e^{1000}).
 */
export function sigmoidScalar(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** σ′ through σ's output s = σ(z): σ′(z) = s(1 − s). The op's backward has s already. */
function slopeAt(s: number): number {
  return s * (1 - s);
}

export function derivative(z: number): number {
  return slopeAt(sigmoidScalar(z));
}

/** σ(z) element-wise; σ′(z) = σ(z)(1 − σ(z)). */
export function sigmoid(t: Tensor): Tensor {
  const x = asTensor("sigmoid", t);
  const s = map1(x, sigmoidScalar);
  return result("Sigmoid", s, x.shape, [x], (g) => [gradMap(g, (gi, i) => gi * slopeAt(s[i]))]);
}

export class Sigmoid extends Layer {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

export function gain(): number {
  return 1;
}

export { sigmoidScalar as f, sigmoid as op, Sigmoid as Module };
