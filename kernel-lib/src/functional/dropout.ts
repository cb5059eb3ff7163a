/**
 * Inverted dropout (PyTorch's F.dropout): in training each element is zeroed with probability p
 * and the survivors are scaled by 1/(1 − p), so the expected value is unchanged and evaluation
 * needs no rescaling (the identity). The mask is drawn from the seeded generator.
 * Backward: the same mask times the incoming gradient.
 */
import { allocate } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";
import { defaultGenerator, type Generator } from "../tensor/random";

export function dropout(input: Tensor, p: number = 0.5, training: boolean = true, generator: Generator = defaultGenerator): Tensor {
  const x = asTensor("dropout", input);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: p must be a probability in [0, 1], got ${p}.`);
  if (!training || p === 0) return x;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocate(x.dtype, x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.random() < p ? 0 : scale;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i] * mask[i];
  return result("Dropout", out, x.shape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    for (let i = 0; i < gx.length; i++) gx[i] = g[i] * mask[i];
    return [gx];
  });
}
