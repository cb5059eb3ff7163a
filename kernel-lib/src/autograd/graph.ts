/** Creating an op's result and wiring it into the graph: the one place that decides whether an
 * op records its backward (grad mode on and some input requires a gradient). */
import type { FloatArray } from "../tensor/dtype";
import { Tensor, type BackwardFn } from "../tensor/tensor";
import { isGradEnabled } from "./mode";

/**
 * The op's output: a new tensor that adopts `data`, which the op has just made and sized for
 * `shape` (see Tensor.adopt). `shape` may be an operand's own shape array (element-wise ops,
 * activations): shapes are never changed in place, so sharing it saves a copy.
 */
export function result(op: string, data: FloatArray, shape: readonly number[], parents: Tensor[], backward: BackwardFn): Tensor {
  return record(Tensor.adopt(data, shape), op, parents, backward);
}

/** A view's output: a new tensor on its operand's buffer (a reshape), which it does not own. */
export function viewResult(op: string, x: Tensor, shape: readonly number[], backward: BackwardFn): Tensor {
  return record(Tensor.share(x.data, shape), op, [x], backward);
}

function record(out: Tensor, op: string, parents: Tensor[], backward: BackwardFn): Tensor {
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
