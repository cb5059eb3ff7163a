/**
 * The backward driver: topological order, then each op's local backward in reverse, with
 * broadcasting undone here once (tinygrad's rule) so no op has to.
 *
 * Gradients add up (`+=`): a tensor used twice receives one contribution per use (the multivariate
 * chain rule; the article's "C对a的偏导等于分别对这两个神经元求偏导并求和").
 */
import { type FloatArray, allocate } from "../tensor/dtype";
import { fmtShape, sameShape } from "../tensor/shape";
import { sumToShape } from "../tensor/broadcast";
import { Tensor } from "../tensor/tensor";

export function backward(root: Tensor, grad: Tensor | number | undefined, retainGraph: boolean): void {
  if (!root.requiresGrad) {
    throw new Error(
      `backward(): this tensor (shape ${fmtShape(root.shape)}) does not require grad: none of the tensors it was computed from ` +
        "has requiresGrad: true (or it was computed inside noGrad).",
    );
  }
  let seed: FloatArray;
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward(): the tensor has shape ${fmtShape(root.shape)}; without an argument backward() needs a scalar (one element). ` +
          "Reduce it first (e.g. loss.mean()) or pass the gradient: t.backward(gradTensor).",
      );
    }
    seed = allocate(root.dtype, 1).fill(1);
  } else if (typeof grad === "number") {
    seed = allocate(root.dtype, root.size).fill(grad);
  } else {
    if (!sameShape(grad.shape, root.shape) && grad.size !== root.size) {
      throw new Error(`backward(grad): grad has shape ${fmtShape(grad.shape)} but the tensor has shape ${fmtShape(root.shape)}.`);
    }
    seed = grad.data;
  }

  const order = topoSort(root);
  const grads = new Map<Tensor, FloatArray>();
  const owned = new Set<FloatArray>(); // arrays this walk may add into in place
  grads.set(root, seed);

  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const g = grads.get(node);
    if (g === undefined) continue;
    grads.delete(node);
    if (node._freed) {
      throw new Error(
        `backward(): trying to go back through the graph a second time (the ${node._op} that made a tensor of shape ${fmtShape(node.shape)} ` +
          "has already been freed). Recompute the forward pass, or pass { retainGraph: true } to the first backward().",
      );
    }
    if (node._backward === null || node._retainGrad) accumulateInto(node, g);
    if (node._backward === null) continue;
    const local = node._backward(g);
    const parents = node._parents;
    for (let p = 0; p < parents.length; p++) {
      const parent = parents[p];
      let lg = local[p];
      if (lg === null || lg === undefined || !parent.requiresGrad) continue;
      if (lg.length !== parent.size) lg = sumToShape(lg, node.shape, parent.shape);
      const prev = grads.get(parent);
      if (prev === undefined) {
        if (lg === g || owned.has(lg)) lg = lg.slice();
        owned.add(lg);
        grads.set(parent, lg);
      } else {
        for (let k = 0; k < prev.length; k++) prev[k] += lg[k];
      }
    }
    if (!retainGraph) {
      // Free the graph as PyTorch does: intermediate buffers go as soon as they are used.
      node._backward = null;
      node._parents = [];
      node._freed = true;
    }
  }
}

function accumulateInto(t: Tensor, g: FloatArray): void {
  if (t.grad === null) {
    t.grad = new Tensor(g.slice(), t.shape);
  } else {
    const d = t.grad.data;
    for (let k = 0; k < d.length; k++) d[k] += g[k];
  }
}

/** Iterative depth-first post-order (a recursive one overflows the stack on long chains). */
function topoSort(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [node, next] = top;
    if (next < node._parents.length) {
      top[1]++;
      const child = node._parents[next];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}
