/**
 * softmax and log-softmax as layers. The element-wise activations' layers (Sigmoid, Tanh, ReLU,
 * LeakyReLU, Identity) live beside their functions in functional/activations/.
 */
import type { Tensor } from "../tensor/tensor";
import { softmax, logSoftmax } from "../functional/softmax";
import { Module } from "./module";

/** softmax along `dim` (default the last, i.e. the classes of a [N, C] batch). */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim: number = -1) {
    super();
    this.dim = dim;
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(dim: number = -1) {
    super();
    this.dim = dim;
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
