/**
 * maxout (Goodfellow et al. 2013): the maximum over consecutive groups of `pieces` values along the
 * last dimension, unit j taking z[j·pieces … j·pieces + pieces − 1]. The gradient goes to each
 * group's maximum only (like max pooling over the features).
 */
import { allocate } from "../tensor/dtype";
import { fmtShape, ShapeError } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";

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
