/** The identity σ(z) = z: a layer with no activation (a regression output, the article's linear unit). */
import type { Tensor } from "../../tensor/tensor";
import { Module as Layer } from "../../nn/module";

export function f(z: number): number {
  return z;
}

export function derivative(): number {
  return 1;
}

export function op(t: Tensor): Tensor {
  return t;
}

/** The identity (a placeholder layer, as nn.Identity). */
export class Identity extends Layer {
  forward(x: Tensor): Tensor {
    return x;
  }
}

export function gain(): number {
  return 1;
}

export { Identity as Module };
