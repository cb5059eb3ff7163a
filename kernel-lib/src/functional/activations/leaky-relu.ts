/** Leaky ReLU: z for z > 0, slope·z otherwise (PyTorch's default slope 0.01), so that a unit never stops learning. */
import type { Tensor } from "../../tensor/tensor";
import { result } from "../../autograd/graph";
import { asTensor } from "../../ops/operands";
import { gradMap, map1 } from "../../ops/unary";
import { Module as Layer } from "../../nn/module";

export function f(z: number, slope: number = 0.01): number {
  return z > 0 ? z : slope * z;
}

export function derivative(z: number, slope: number = 0.01): number {
  return z > 0 ? 1 : slope;
}

export function leakyRelu(t: Tensor, slope: number = 0.01): Tensor {
  const x = asTensor("leakyRelu", t);
  const d = x.data;
  return result(
    "LeakyRelu",
    map1(x, (v) => f(v, slope)),
    x.shape,
    [x],
    (g) => [gradMap(g, (gi, i) => gi * derivative(d[i], slope))],
  );
}

export class LeakyReLU extends Layer {
  readonly negativeSlope: number;
  constructor(negativeSlope: number = 0.01) {
    super();
    this.negativeSlope = negativeSlope;
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}

export function paramOf(layer: Layer): number {
  return (layer as LeakyReLU).negativeSlope;
}

/** √(2/(1 + slope²)), as PyTorch's calculate_gain("leaky_relu", slope). */
export function gain(slope: number = 0.01): number {
  return Math.sqrt(2 / (1 + slope * slope));
}

export { leakyRelu as op, LeakyReLU as Module };
