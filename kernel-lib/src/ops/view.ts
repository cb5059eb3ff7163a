/** Shape ops: reshape, transpose/permute, squeeze/unsqueeze, flatten, indexing, slicing, cat, stack. */
import { type FloatArray, allocate } from "../tensor/dtype";
import { fmtShape, normDim, ShapeError, sizeOf, stridesOf } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { result, viewResult } from "../autograd/graph";
import { asTensor } from "./operands";

/** Same data in a new shape (one dimension may be −1: inferred). Shares storage, like PyTorch's view. */
export function reshape(t: Tensor, shape: number[]): Tensor {
  const x = asTensor("reshape", t);
  const s = shape.slice();
  const unknown = s.indexOf(-1);
  if (unknown !== s.lastIndexOf(-1)) throw new ShapeError(`reshape: only one dimension can be -1, got ${fmtShape(shape)}.`);
  if (unknown >= 0) {
    const known = sizeOf(s.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape a tensor of shape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}.`);
    }
    s[unknown] = x.size / known;
  }
  if (s.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(s) !== x.size) {
    throw new ShapeError(
      `reshape: cannot reshape a tensor of shape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)} (${sizeOf(s)} elements).`,
    );
  }
  // Row-major layout is unchanged by a reshape, so the gradient is the upstream one as is.
  return viewResult("Reshape", x, s, (g) => [g]);
}

/** Reorder dimensions (a copy: our tensors are always contiguous). */
export function permute(t: Tensor, dims: number[]): Tensor {
  const x = asTensor("permute", t);
  if (dims.length !== x.ndim) {
    throw new ShapeError(
      `permute: got ${dims.length} dims ${JSON.stringify(dims)} for a tensor with ${x.ndim} dimensions (shape ${fmtShape(x.shape)}).`,
    );
  }
  const p = dims.map((d) => normDim("permute", d, x.ndim));
  if (new Set(p).size !== p.length) throw new ShapeError(`permute: dims ${JSON.stringify(dims)} repeat a dimension.`);
  const shape = p.map((d) => x.shape[d]);
  const inverse = new Array<number>(p.length);
  p.forEach((d, i) => (inverse[d] = i));
  return result("Permute", permuteData(x.data, x.shape, p), shape, [x], (g) => [permuteData(g, shape, inverse)]);
}

function permuteData(d: FloatArray, shape: readonly number[], p: readonly number[]): FloatArray {
  const nd = shape.length;
  const outShape = p.map((i) => shape[i]);
  const inStrides = stridesOf(shape);
  const st = p.map((i) => inStrides[i]); // input stride of each output dimension
  const out = allocate(d instanceof Float32Array ? "float32" : "float64", d.length);
  if (d.length === 0) return out;
  if (nd === 2) {
    const [r, c] = outShape;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i * c + j] = d[i * st[0] + j * st[1]];
    return out;
  }
  const counter = new Array<number>(nd).fill(0);
  let src = 0;
  for (let i = 0; i < d.length; i++) {
    out[i] = d[src];
    for (let k = nd - 1; k >= 0; k--) {
      counter[k]++;
      src += st[k];
      if (counter[k] < outShape[k]) break;
      src -= st[k] * counter[k];
      counter[k] = 0;
    }
  }
  return out;
}

/** Swap two dimensions. */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const x = asTensor("transpose", t);
  if (x.ndim < 2) return x;
  const p = [...Array(x.ndim).keys()];
  const a = normDim("transpose", dim0, x.ndim);
  const b = normDim("transpose", dim1, x.ndim);
  [p[a], p[b]] = [p[b], p[a]];
  return permute(x, p);
}

/** Drop size-1 dimensions (all of them, or just `dim`). */
export function squeeze(t: Tensor, dim?: number): Tensor {
  const x = asTensor("squeeze", t);
  if (dim === undefined)
    return reshape(
      x,
      x.shape.filter((s) => s !== 1),
    );
  const d = normDim("squeeze", dim, x.ndim);
  return x.shape[d] === 1
    ? reshape(
        x,
        x.shape.filter((_, i) => i !== d),
      )
    : x;
}

/** Insert a size-1 dimension at `dim`. */
export function unsqueeze(t: Tensor, dim: number): Tensor {
  const x = asTensor("unsqueeze", t);
  const d = normDim("unsqueeze", dim, x.ndim + 1);
  const s = x.shape.slice();
  s.splice(d, 0, 1);
  return reshape(x, s);
}

/** Merge dims startDim…endDim into one. */
export function flatten(t: Tensor, startDim: number = 0, endDim: number = -1): Tensor {
  const x = asTensor("flatten", t);
  if (x.ndim === 0) return reshape(x, [1]);
  const a = normDim("flatten", startDim, x.ndim);
  const b = normDim("flatten", endDim, x.ndim);
  if (a > b) throw new ShapeError(`flatten: startDim (${startDim}) comes after endDim (${endDim}).`);
  return reshape(x, [...x.shape.slice(0, a), sizeOf(x.shape.slice(a, b + 1)), ...x.shape.slice(b + 1)]);
}

/** Pick `count` consecutive… the general gather behind select/slice/indexSelect: for each outer
 * block, copy the chosen positions along `dim` (each a block of `inner` elements). */
function gatherAlong(x: Tensor, d: number, positions: ArrayLike<number>, op: string, outShape: number[]): Tensor {
  const outer = sizeOf(x.shape.slice(0, d));
  const inner = sizeOf(x.shape.slice(d + 1));
  const len = x.shape[d];
  const k = positions.length;
  const out = allocate(x.dtype, outer * k * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const src = (o * len + positions[j]) * inner;
      out.set(x.data.subarray(src, src + inner), (o * k + j) * inner);
    }
  }
  return result(op, out, outShape, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < k; j++) {
        const dst = (o * len + positions[j]) * inner;
        const src = (o * k + j) * inner;
        for (let i = 0; i < inner; i++) gx[dst + i] += g[src + i]; // += : an index may repeat
      }
    }
    return [gx];
  });
}

/** The slice at `index` along `dim`, that dimension removed (t[i] for dim 0). */
export function select(t: Tensor, dim: number, index: number): Tensor {
  const x = asTensor("select", t);
  const d = normDim("select", dim, x.ndim);
  const len = x.shape[d];
  const i = index < 0 ? index + len : index;
  if (!Number.isInteger(i) || i < 0 || i >= len) {
    throw new RangeError(`select: index ${index} is out of range for dimension ${dim} of size ${len} (tensor shape ${fmtShape(x.shape)}).`);
  }
  return gatherAlong(
    x,
    d,
    [i],
    "Select",
    x.shape.filter((_, j) => j !== d),
  );
}

/** Elements start…end-1 by `step` along `dim` (Python slice semantics, negatives from the end). */
export function slice(t: Tensor, dim: number, start: number | null, end: number | null, step: number = 1): Tensor {
  const x = asTensor("slice", t);
  const d = normDim("slice", dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}.`);
  const len = x.shape[d];
  const clampIdx = (v: number): number => Math.min(Math.max(v < 0 ? v + len : v, 0), len);
  const s = start === null ? 0 : clampIdx(start);
  const e = end === null ? len : clampIdx(end);
  const positions: number[] = [];
  for (let i = s; i < e; i += step) positions.push(i);
  const shape = x.shape.slice();
  shape[d] = positions.length;
  return gatherAlong(x, d, positions, "Slice", shape);
}

/** Whole slices along `dim` picked by integer indices (repeats allowed). */
export function indexSelect(t: Tensor, dim: number, indices: ArrayLike<number> | Tensor): Tensor {
  const x = asTensor("indexSelect", t);
  const d = normDim("indexSelect", dim, x.ndim);
  const idx = indices instanceof Tensor ? indices.data : indices;
  const len = x.shape[d];
  const positions = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    const v = idx[j] < 0 ? idx[j] + len : idx[j];
    if (!Number.isInteger(v) || v < 0 || v >= len) {
      throw new RangeError(
        `indexSelect: index ${idx[j]} (position ${j}) is out of range for dimension ${dim} of size ${len} (tensor shape ${fmtShape(x.shape)}).`,
      );
    }
    positions[j] = v;
  }
  const shape = x.shape.slice();
  shape[d] = positions.length;
  return gatherAlong(x, d, positions, "IndexSelect", shape);
}

/** Join tensors along an existing dimension. */
export function cat(tensors: Tensor[], dim: number = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("cat: needs at least one tensor.");
  const first = asTensor("cat", tensors[0]);
  const d = normDim("cat", dim, first.ndim);
  for (const [i, t] of tensors.entries()) {
    asTensor("cat", t);
    if (t.dtype !== first.dtype) throw new TypeError(`cat: tensor ${i} is ${t.dtype} but tensor 0 is ${first.dtype}.`);
    if (t.ndim !== first.ndim || t.shape.some((s, j) => j !== d && s !== first.shape[j])) {
      throw new ShapeError(
        `cat: tensor ${i} has shape ${fmtShape(t.shape)}, which does not match tensor 0's ${fmtShape(first.shape)} outside dim ${dim}.`,
      );
    }
  }
  const outer = sizeOf(first.shape.slice(0, d));
  const inner = sizeOf(first.shape.slice(d + 1));
  const lens = tensors.map((t) => t.shape[d]);
  const total = lens.reduce((p, q) => p + q, 0);
  const out = allocate(first.dtype, outer * total * inner);
  let offset = 0;
  const offsets: number[] = [];
  for (const [i, t] of tensors.entries()) {
    offsets.push(offset);
    const block = lens[i] * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * block, (o + 1) * block), (o * total + offset) * inner);
    offset += lens[i];
  }
  const shape = first.shape.slice();
  shape[d] = total;
  return result("Cat", out, shape, tensors, (g) =>
    tensors.map((t, i) => {
      if (!t.requiresGrad) return null;
      const block = lens[i] * inner;
      const gt = allocate(t.dtype, t.size);
      for (let o = 0; o < outer; o++) gt.set(g.subarray((o * total + offsets[i]) * inner, (o * total + offsets[i]) * inner + block), o * block);
      return gt;
    }),
  );
}

/** Join tensors of one shape along a new dimension. */
export function stack(tensors: Tensor[], dim: number = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("stack: needs at least one tensor.");
  const first = asTensor("stack", tensors[0]);
  for (const [i, t] of tensors.entries()) {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new ShapeError(`stack: tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has ${fmtShape(first.shape)}; stack needs equal shapes.`);
    }
  }
  const d = normDim("stack", dim, first.ndim + 1);
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
