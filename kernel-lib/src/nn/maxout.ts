/**
 * Maxout (Goodfellow et al. 2013; the training-tips article's "learnable activation"): a linear
 * layer computes `pieces` candidate values per output unit and the unit keeps their maximum.
 * ReLU is the special case of two pieces where one is fixed at 0.
 *
 * Layout: the linear layer's outputs are grouped consecutively, unit j takes z[j·pieces … j·pieces + pieces − 1].
 */
import { allocate } from "../tensor/dtype";
import { fmtShape, ShapeError } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";
import { Module } from "./module";
import { Linear, type LinearOptions } from "./linear";

/** max over consecutive groups of `pieces` along the last dimension: [..., C·pieces] → [..., C]. Gradient flows to each group's maximum. */
export function maxout(input: Tensor, pieces: number): Tensor {
  const x = asTensor("maxout", input);
  const last = x.shape[x.ndim - 1];
  if (!Number.isInteger(pieces) || pieces < 1 || x.ndim === 0 || last % pieces !== 0) {
    throw new ShapeError(`maxout: the last dimension of ${fmtShape(x.shape)} must be a multiple of pieces = ${pieces}.`);
  }
  const groups = x.size / pieces;
  const out = allocate(x.dtype, groups);
  const arg = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    let best = g * pieces;
    for (let j = 1; j < pieces; j++) if (x.data[g * pieces + j] > x.data[best]) best = g * pieces + j;
    arg[g] = best;
    out[g] = x.data[best];
  }
  return result("Maxout", out, [...x.shape.slice(0, -1), last / pieces], [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    for (let i = 0; i < groups; i++) gx[arg[i]] += g[i];
    return [gx];
  });
}

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
