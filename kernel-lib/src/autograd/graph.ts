/** Creating an op's result and wiring it into the graph: the one place that decides whether an
 * op records its backward (grad mode on and some input requires a gradient). */
import type { FloatArray } from "../tensor/dtype";
import { Tensor, shareShape, type BackwardFn } from "../tensor/tensor";
import { isGradEnabled } from "./mode";

export function result(op: string, data: FloatArray, shape: readonly number[], parents: Tensor[], backward: BackwardFn): Tensor {
  // An operand's own shape array (element-wise ops, activations) is shared, not copied.
  for (let i = 0; i < parents.length; i++) {
    if (parents[i].shape === shape && data.length === parents[i].data.length) {
      shareShape();
      break;
    }
  }
  const out = new Tensor(data, shape);
  if (!isGradEnabled()) return out;
  for (const p of parents) {
    if (p.requiresGrad) {
      out.requiresGrad = true;
      out._parents = parents;
      out._backward = backward;
      out._op = op;
      return out;
    }
  }
  return out;
}

/** True when the backward of `t` will be asked for a gradient (saves work in forward passes). */
export function needsGrad(t: Tensor): boolean {
  return t.requiresGrad && isGradEnabled();
}
