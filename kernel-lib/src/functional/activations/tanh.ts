/** The hyperbolic tangent, a sigmoid rescaled to (−1, 1): tanh(z) = 2σ(2z) − 1. */
import type { Tensor } from "../../tensor/tensor";
import { result } from "../../autograd/graph";
import { asTensor } from "../../ops/operands";
import { gradMap, map1 } from "../../ops/unary";
import { Module as Layer } from "../../nn/module";

export function f(z: number): number {
  return Math.tanh(z);
}

/** tanh′ through the output y = tanh(z): 1 − y². The op's backward has y already. */
function slopeAt(y: number): number {
  return 1 - y * y;
}

export function derivative(z: number): number {
  return slopeAt(Math.tanh(z));
}

/** tanh(z) element-wise; tanh′(z) = 1 − tanh²(z). */
export function tanh(t: Tensor): Tensor {
  const x = asTensor("tanh", t);
  const y = map1(x, Math.tanh);
  return result("Tanh", y, x.shape, [x], (g) => [gradMap(g, (gi, i) => gi * slopeAt(y[i]))]);
}

export class Tanh extends Layer {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

export function gain(): number {
  return 5 / 3;
}

export { tanh as op, Tanh as Module };
