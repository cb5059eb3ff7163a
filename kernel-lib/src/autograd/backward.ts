/**
 * The backward driver: each op's local backward, latest op first, with broadcasting undone here
 * once (tinygrad's rule) so no op has to.
 *
 * The order: a tensor is made after every tensor it is computed from, so its creation number
 * (`_seq`) is larger than theirs. Taking the waiting tensor with the largest number each time
 * therefore reaches a tensor only after every op that used it has handed back its gradient (each
 * of them lies on a path from the root, and a path's tensors all have larger numbers). One pass
 * over the graph, without a topological sort first: that sort was ~5 % of a small training step.
 *
 * Gradients add up (`+=`): a tensor used twice receives one contribution per use (the multivariate
 * chain rule; the article's "C对a的偏导等于分别对这两个神经元求偏导并求和").
 */
import { type FloatArray, allocate } from "../tensor/dtype";
import { fmtShape, sameShape } from "../tensor/shape";
import { sumToShape } from "../tensor/broadcast";
import { releaseBuffer } from "../tensor/buffer-pool";
import { Tensor } from "../tensor/tensor";
import { fillWith } from "../ops/loops";

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
    seed = fillWith(allocate(root.dtype, 1), 1);
  } else if (typeof grad === "number") {
    seed = fillWith(allocate(root.dtype, root.size), grad);
  } else {
    if (!sameShape(grad.shape, root.shape) && grad.size !== root.size) {
      throw new Error(`backward(grad): grad has shape ${fmtShape(grad.shape)} but the tensor has shape ${fmtShape(root.shape)}.`);
    }
    seed = grad.data;
  }

  const walk = ++walks;
  root._walk = walk;
  root._pending = seed;
  // Who owns which array. The walk owns every gradient array it made or was handed by an op's
  // backward, and adds into it in place; it owns neither the user's seed nor any tensor's storage.
  // An owned array has exactly one fate: it becomes one parent's pending gradient, or a leaf's
  // .grad (adopted), or, once added into another and read by nobody after, it goes back to the
  // free list (releaseBuffer, which throws if it is released twice).
  const userSeed = grad instanceof Tensor ? seed : null;
  // The tensors that have received a gradient and wait for their op's backward, by `_seq`. A new
  // list each walk: a list kept between walks lives in the old generation, where storing each
  // young tensor took the write barrier's slow path (~3 % of a weight-decay step, measured).
  walkBack([root], walk, userSeed, retainGraph);
}

function walkBack(waiting: Tensor[], walk: number, userSeed: FloatArray | null, retainGraph: boolean): void {
  while (waiting.length > 0) {
    const node = waiting.pop() as Tensor;
    const g = node._pending as FloatArray;
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
    // g may be handed on to one parent as is (add and reshape pass it through, square and a
    // product with a constant may write over a g the walk owns); a second taker copies.
    let gOwned = g !== userSeed;
    const local = node._backward(g, gOwned);
    const parents = node._parents;
    for (let p = 0; p < parents.length; p++) {
      const parent = parents[p];
      const lg0 = local[p];
      if (lg0 === null || lg0 === undefined || !parent.requiresGrad) continue;
      if (parent._walk !== walk) {
        // Its first gradient in this walk (a walk that threw may have left an old one behind).
        parent._walk = walk;
        parent._pending = null;
        wait(waiting, parent);
      }
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

/** Puts `t` into `waiting`, which stays sorted by `_seq` (the largest last, taken first by pop). */
function wait(waiting: Tensor[], t: Tensor): void {
  const seq = t._seq;
  let i = waiting.length;
  waiting.push(t);
  while (i > 0 && waiting[i - 1]._seq > seq) {
    waiting[i] = waiting[i - 1];
    i--;
  }
  waiting[i] = t;
}
