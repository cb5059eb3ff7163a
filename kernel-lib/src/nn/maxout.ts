/**
 * Maxout (Goodfellow et al. 2013; the training-tips article's "learnable activation"): a linear
 * layer computes `pieces` candidate values per output unit and the unit keeps their maximum.
 * ReLU is the special case of two pieces where one is fixed at 0.
 *
 * Layout: the linear layer's outputs are grouped consecutively, unit j takes z[j·pieces … j·pieces + pieces − 1].
 */
import type { Tensor } from "../tensor/tensor";
import { maxout } from "../functional/maxout";
import { Module } from "./module";
import { Linear, type LinearOptions } from "./linear";

export class Maxout extends Module {
  readonly pieces: number;
  linear: Linear;
  constructor(inFeatures: number, outFeatures: number, pieces: number = 2, options: LinearOptions = {}) {
    super();
    this.pieces = pieces;
    this.linear = new Linear(inFeatures, outFeatures * pieces, options);
  }
  forward(x: Tensor): Tensor {
    return maxout(this.linear.forward(x), this.pieces);
  }
  override extraRepr(): string {
    return `pieces=${this.pieces}`;
  }
}
