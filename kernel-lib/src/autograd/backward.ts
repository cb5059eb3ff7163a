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
import { recycle } from "../tensor/pool";
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

  const nodes = topoSort(root);
  const walk = walks;
  root._pending = seed;
  // Arrays handed on are owned by the walk and added into in place; the user's seed is not ours.
  const userSeed = grad instanceof Tensor ? seed : null;

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const g = node._pending;
    if (g === null) continue;
    node._pending = null;
    if (node._freed) {
      throw new Error(
        `backward(): trying to go back through the graph a second time (the ${node._op} that made a tensor of shape ${fmtShape(node.shape)} ` +
          "has already been freed). Recompute the forward pass, or pass { retainGraph: true } to the first backward().",
      );
    }
    if (node._backward === null) {
      // A leaf: nothing reads g after this, so a walk-owned g becomes .grad without a copy.
      accumulateInto(node, g, g !== userSeed);
      continue;
    }
    if (node._retainGrad) accumulateInto(node, g, false);
    const local = node._backward(g);
    const parents = node._parents;
    // g itself may be handed on once (add and reshape pass it through); a second taker copies.
    let gFree = g !== userSeed;
    for (let p = 0; p < parents.length; p++) {
      const parent = parents[p];
      let lg = local[p];
      if (lg === null || lg === undefined || !parent.requiresGrad || parent._walk !== walk) continue;
      if (lg.length !== parent.size) lg = sumToShape(lg, node.shape, parent.shape);
      const prev = parent._pending;
      if (prev === null) {
        if (lg === g) {
          if (gFree) gFree = false;
          else lg = lg.slice();
        } else if (local.indexOf(lg) < p) lg = lg.slice(); // one fresh array returned for two parents
        parent._pending = lg;
      } else {
        addInto(prev, lg);
        // Added in and read by nobody after: a fresh array (sumToShape's, or the op's when it is
        // not g and not given to another parent too) goes back to the pool like a consumed g.
        if (lg !== local[p] || (lg !== g && local.indexOf(lg) === p && local.lastIndexOf(lg) === p)) recycle(lg);
      }
    }
    // Consumed and not handed on: nothing refers to g any more, so the next op may reuse it.
    if (gFree) recycle(g);
    if (!retainGraph) {
      // Free the graph as PyTorch does: intermediate buffers go as soon as they are used.
      node._backward = null;
      node._parents = freedParents;
      node._freed = true;
    }
  }
}

/** t.grad += g; an `owned` g (the walk's, read by nobody after this) is taken or recycled. */
function accumulateInto(t: Tensor, g: FloatArray, owned: boolean): void {
  // Through _grad, not the grad property: a gradient made here is the library's own until a
  // user reads it (see Tensor._gradSeen).
  const grad = t._grad;
  if (grad === null) {
    t._grad = new Tensor(owned ? g : g.slice(), t.shape);
    t._gradSeen = false;
  } else {
    addInto(grad.data, g);
    if (owned) recycle(g);
  }
}

/**
 * acc += g, four loads before four stores: after a store to a typed array the engine reloads the
 * arrays' lengths and data pointers, so one store per element cost twice the additions.
 */
function addInto(acc: FloatArray, g: FloatArray): void {
  const n = acc.length;
  const n4 = n - (n % 4);
  let k = 0;
  for (; k < n4; k += 4) {
    const s0 = acc[k] + g[k];
    const s1 = acc[k + 1] + g[k + 1];
    const s2 = acc[k + 2] + g[k + 2];
    const s3 = acc[k + 3] + g[k + 3];
    acc[k] = s0;
    acc[k + 1] = s1;
    acc[k + 2] = s2;
    acc[k + 3] = s3;
  }
  for (; k < n; k++) acc[k] += g[k];
}

/** What a freed node points back to: one shared empty list, not a new array per node. */
const freedParents: readonly Tensor[] = Object.freeze([]);

let walks = 0;
/** The depth-first stacks, kept between walks (one walk never runs inside another's topoSort). */
const stack: Tensor[] = [];
const next: number[] = [];

/**
 * Iterative depth-first post-order (a recursive one overflows the stack on long chains). Visited
 * nodes are stamped with this walk's number (`walks`) instead of kept in a Set, and their pending
 * gradient cleared (a walk that threw may have left one behind).
 */
function topoSort(root: Tensor): Tensor[] {
  const walk = ++walks;
  const order: Tensor[] = [];
  // Every walk pops what it pushed, so they start empty (setting length would drop their storage).
  stack.push(root);
  next.push(0);
  root._walk = walk;
  root._pending = null;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top];
    const i = next[top];
    if (i < node._parents.length) {
      next[top] = i + 1;
      const child = node._parents[i];
      if (child.requiresGrad && child._walk !== walk) {
        child._walk = walk;
        child._pending = null;
        stack.push(child);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(node);
    }
  }
  return order;
}
