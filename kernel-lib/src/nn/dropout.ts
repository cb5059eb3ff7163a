/** Dropout(p): inverted dropout in training mode (zero with probability p, scale the rest by 1/(1 − p)), identity after eval(). */
import type { Tensor } from "../tensor/tensor";
import { dropout } from "../functional/dropout";
import { Module } from "./module";

export class Dropout extends Module {
  readonly p: number;
  constructor(p: number = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: p must be a probability in [0, 1], got ${p}.`);
    this.p = p;
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}
