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
import { releaseBuffer } from "../tensor/buffer-pool";
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
  // Who owns which array. The walk owns every gradient array it made or was handed by an op's
  // backward, and adds into it in place; it owns neither the user's seed nor any tensor's storage.
  // An owned array has exactly one fate: it becomes one parent's pending gradient, or a leaf's
  // .grad (adopted), or, once added into another and read by nobody after, it goes back to the
  // free list (releaseBuffer, which throws if it is released twice).
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
      // A leaf: nothing reads g after this, so an owned g becomes .grad without a copy.
      accumulateInto(node, g, g !== userSeed);
      continue;
    }
    if (node._retainGrad) accumulateInto(node, g, false);
    const local = node._backward(g);
    const parents = node._parents;
    // g may be handed on to one parent as is (add and reshape pass it through); a second taker copies.
    let gOwned = g !== userSeed;
    for (let p = 0; p < parents.length; p++) {
      const parent = parents[p];
      const lg0 = local[p];
      if (lg0 === null || lg0 === undefined || !parent.requiresGrad || parent._walk !== walk) continue;
      let lg = lg0;
      let owned: boolean;
      if (lg.length !== parent.size) {
        lg = sumToShape(lg, node.shape, parent.shape); // a new array
        owned = true;
      } else if (lg === g) {
        owned = gOwned;
        gOwned = false;
      } else {
        // A new array from the op, unless it is a tensor's storage (an op may pass one through)
        // or was returned for an earlier parent too (then that parent owns it).
        owned = lg !== parent.data && lg !== node.data && !returnedBefore(local, lg, p);
      }
      const prev = parent._pending;
      if (prev === null) parent._pending = owned ? lg : lg.slice();
      else {
        addInto(prev, lg);
        // Read by nobody after: not g (the loop still reads g) and not returned for a later parent.
        if (owned && lg !== g && (lg !== lg0 || !returnedAfter(local, lg, p))) releaseBuffer(lg, "backward");
        else if (owned && lg === g) gOwned = true; // added in, not handed on: still the walk's to release
      }
    }
    // Consumed and not handed on: nothing refers to g any more, so the next op may reuse it.
    if (gOwned) releaseBuffer(g, "backward");
    if (!retainGraph) {
      // Free the graph as PyTorch does: intermediate buffers go as soon as they are used.
      node._backward = null;
      node._parents = freedParents;
      node._freed = true;
    }
  }
}

/**
 * Whether `local` holds `lg` before (or after) index p. Loops of their own rather than indexOf and
 * lastIndexOf: an op has one or two parents, and the builtin's call cost more than the search.
 */
function returnedBefore(local: readonly (FloatArray | null)[], lg: FloatArray, p: number): boolean {
  for (let q = 0; q < p; q++) if (local[q] === lg) return true;
  return false;
}
function returnedAfter(local: readonly (FloatArray | null)[], lg: FloatArray, p: number): boolean {
  for (let q = p + 1; q < local.length; q++) if (local[q] === lg) return true;
  return false;
}

/** t.grad += g; an `owned` g (the walk's, read by nobody after this) is adopted or released. */
function accumulateInto(t: Tensor, g: FloatArray, owned: boolean): void {
  const grad = t.grad;
  if (grad === null) t.grad = owned ? Tensor.adopt(g, t.shape) : new Tensor(g.slice(), t.shape);
  else {
    addInto(grad.data, g);
    if (owned) releaseBuffer(g, "backward");
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
