/**
 * Binary element-wise ops with NumPy/PyTorch broadcasting. Each op's backward sits right below its
 * forward and returns gradients in the broadcast shape; the backward driver sums them down.
 */
import { type FloatArray, allocate, allocateOutput } from "../tensor/dtype";
import { broadcastIndex } from "../tensor/broadcast";
import { broadcastShapes, sameShape } from "../tensor/shape";
import type { Tensor, TensorLike } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor, operands } from "./operands";

/** Both operands laid out over the broadcast shape: `ia[i]` is the element of `a` at output `i`. */
interface Zip {
  a: Tensor;
  b: Tensor;
  shape: number[];
  n: number;
  ia: Int32Array | null;
  ib: Int32Array | null;
}

function zip(op: string, x: TensorLike, y: TensorLike): Zip {
  const [a, b] = operands(op, x, y);
  const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(op, a.shape, b.shape);
  const n = shape.reduce((p, d) => p * d, 1);
  return { a, b, shape, n, ia: broadcastIndex(shape, a.shape), ib: broadcastIndex(shape, b.shape) };
}

function map2(z: Zip, f: (x: number, y: number) => number): FloatArray {
  const out = allocate(z.a.dtype, z.n);
  const ad = z.a.data;
  const bd = z.b.data;
  const { ia, ib } = z;
  if (ia === null && ib === null) for (let i = 0; i < z.n; i++) out[i] = f(ad[i], bd[i]);
  else if (ia === null) for (let i = 0; i < z.n; i++) out[i] = f(ad[i], bd[ib![i]]);
  else if (ib === null) for (let i = 0; i < z.n; i++) out[i] = f(ad[ia[i]], bd[i]);
  else for (let i = 0; i < z.n; i++) out[i] = f(ad[ia[i]], bd[ib[i]]);
  return out;
}

/** `b` read at every output position (materialised only in backward, where it is needed). */
function expanded(t: Tensor, idx: Int32Array | null, n: number): FloatArray {
  if (idx === null) return t.data;
  const out = allocate(t.dtype, n);
  for (let i = 0; i < n; i++) out[i] = t.data[idx[i]];
  return out;
}

function scaled(g: FloatArray, f: (gi: number, i: number) => number): FloatArray {
  const out = allocate(g instanceof Float32Array ? "float32" : "float64", g.length);
  for (let i = 0; i < g.length; i++) out[i] = f(g[i], i);
  return out;
}

/*
 * add, sub and mul make up most of a small model's ops (a bias, a residual, a scaled penalty), and
 * at a few hundred elements their cost is bookkeeping, not arithmetic. So they take the two layouts
 * that cover nearly every call without index maps, per-element callbacks or a constant tensor made
 * for a number: operands of one shape, and one side a single value (a number, a one-element
 * tensor). Anything else broadcasts through `zip`. A number is read as a constant of the tensor's
 * dtype (rounded to float32 for a float32 tensor, as a float32 scalar tensor would hold it), and is
 * not a parent in the graph: it has no gradient.
 */

/** Same shape, or one side a single value: the layouts with loops of their own. */
interface Pair {
  /** The tensor operands; null for a number. */
  a: Tensor | null;
  b: Tensor | null;
  /** The value of a single-valued side (ignored for a side of full size). */
  ca: number;
  cb: number;
  /** Which side is the single value: "a", "b", or "" when both have the result's shape. */
  one: "a" | "b" | "";
  /** Result shape (an operand's own array, which the result adopts) and the operand whose dtype and size the result has. */
  shape: number[];
  like: Tensor;
}

/** The fast layout of x op y, or null when it must broadcast through `zip`. */
function pair(op: string, x: TensorLike, y: TensorLike): Pair | null {
  if (typeof x === "number" && typeof y === "number") return null; // operands names the mistake
  if (typeof y === "number") {
    const a = asTensor(op, x);
    return { a, b: null, ca: 0, cb: constantOf(a, y), one: "b", shape: a.shape, like: a };
  }
  if (typeof x === "number") {
    const b = asTensor(op, y);
    return { a: null, b, ca: constantOf(b, x), cb: 0, one: "a", shape: b.shape, like: b };
  }
  const a = asTensor(op, x);
  const b = asTensor(op, y);
  if (a.dtype !== b.dtype) return null; // zip names the mismatch
  if (sameShape(a.shape, b.shape)) return { a, b, ca: 0, cb: 0, one: "", shape: a.shape, like: a };
  // A single value against a tensor of at least as many dims: the result has the larger's shape.
  if (b.size === 1 && b.ndim <= a.ndim) return { a, b, ca: 0, cb: b.data[0], one: "b", shape: a.shape, like: a };
  if (a.size === 1 && a.ndim <= b.ndim) return { a, b, ca: a.data[0], cb: 0, one: "a", shape: b.shape, like: b };
  return null;
}

function constantOf(t: Tensor, v: number): number {
  return t.data instanceof Float32Array ? Math.fround(v) : v;
}

function parentsOf(p: Pair): Tensor[] {
  return p.a === null ? [p.b as Tensor] : p.b === null ? [p.a] : [p.a, p.b];
}

/** The backward's gradients in parentsOf's order. */
function gradsOf(p: Pair, ga: FloatArray | null, gb: FloatArray | null): (FloatArray | null)[] {
  return p.a === null ? [gb] : p.b === null ? [ga] : [ga, gb];
}

function wants(t: Tensor | null): boolean {
  return t?.requiresGrad ?? false;
}

/** The value of a single-valued side as backward reads it: a tensor's current value, like `expanded`. */
function single(t: Tensor | null, c: number): number {
  return t === null ? c : t.data[0];
}

/**
 * ±Σ g·s: the gradient of a single-valued operand that was spread over the whole result, summed
 * in a double in element order (the backward driver's sum would round every partial sum to float32).
 */
function sumOf(g: FloatArray, scale: FloatArray | null, sign: 1 | -1 = 1): FloatArray {
  const out = allocate(g instanceof Float32Array ? "float32" : "float64", 1);
  let s = 0;
  if (scale === null) for (let i = 0; i < g.length; i++) s += g[i];
  else for (let i = 0; i < g.length; i++) s += g[i] * scale[i];
  out[0] = sign * s;
  return out;
}

/** c·g */
function timesConstant(g: FloatArray, c: number, over: boolean = false): FloatArray {
  const out = over ? g : allocateOutput(g instanceof Float32Array ? "float32" : "float64", g.length);
  for (let i = 0; i < g.length; i++) out[i] = c * g[i];
  return out;
}

/** a + b */
export function add(x: TensorLike, y: TensorLike): Tensor {
  const p = pair("add", x, y);
  if (p === null) {
    const z = zip("add", x, y);
    return result(
      "Add",
      map2(z, (u, v) => u + v),
      z.shape,
      [z.a, z.b],
      (g) => [g, g],
    );
  }
  const n = p.like.size;
  const out = allocateOutput(p.like.dtype, n);
  if (p.one === "") {
    const ad = (p.a as Tensor).data;
    const bd = (p.b as Tensor).data;
    for (let i = 0; i < n; i++) out[i] = ad[i] + bd[i];
  } else if (p.one === "b") {
    const ad = (p.a as Tensor).data;
    const c = p.cb;
    for (let i = 0; i < n; i++) out[i] = ad[i] + c;
  } else {
    const bd = (p.b as Tensor).data;
    const c = p.ca;
    for (let i = 0; i < n; i++) out[i] = c + bd[i];
  }
  // ∂(a+b)/∂a = ∂(a+b)/∂b = 1; a single value received every element's gradient: their sum.
  return result("Add", out, p.shape, parentsOf(p), (g) =>
    gradsOf(p, !wants(p.a) ? null : p.one === "a" ? sumOf(g, null) : g, !wants(p.b) ? null : p.one === "b" ? sumOf(g, null) : g),
  );
}

/** a − b */
export function sub(x: TensorLike, y: TensorLike): Tensor {
  const p = pair("sub", x, y);
  if (p === null) {
    const z = zip("sub", x, y);
    return result(
      "Sub",
      map2(z, (u, v) => u - v),
      z.shape,
      [z.a, z.b],
      (g) => [g, z.b.requiresGrad ? timesConstant(g, -1) : null],
    );
  }
  const n = p.like.size;
  const out = allocateOutput(p.like.dtype, n);
  if (p.one === "") {
    const ad = (p.a as Tensor).data;
    const bd = (p.b as Tensor).data;
    for (let i = 0; i < n; i++) out[i] = ad[i] - bd[i];
  } else if (p.one === "b") {
    const ad = (p.a as Tensor).data;
    const c = p.cb;
    for (let i = 0; i < n; i++) out[i] = ad[i] - c;
  } else {
    const bd = (p.b as Tensor).data;
    const c = p.ca;
    for (let i = 0; i < n; i++) out[i] = c - bd[i];
  }
  // ∂(a−b)/∂a = 1, ∂(a−b)/∂b = −1
  return result("Sub", out, p.shape, parentsOf(p), (g) => {
    const ga = !wants(p.a) ? null : p.one === "a" ? sumOf(g, null) : g;
    const gb = !wants(p.b) ? null : p.one === "b" ? sumOf(g, null, -1) : timesConstant(g, -1);
    return gradsOf(p, ga, gb);
  });
}

/** a · b (element-wise) */
export function mul(x: TensorLike, y: TensorLike): Tensor {
  const p = pair("mul", x, y);
  if (p === null) {
    const z = zip("mul", x, y);
    return result(
      "Mul",
      map2(z, (u, v) => u * v),
      z.shape,
      [z.a, z.b],
      (g) => {
        // ∂(ab)/∂a = b, ∂(ab)/∂b = a
        const ga = z.a.requiresGrad ? mulArrays(g, expanded(z.b, z.ib, z.n)) : null;
        const gb = z.b.requiresGrad ? mulArrays(g, expanded(z.a, z.ia, z.n)) : null;
        return [ga, gb];
      },
    );
  }
  const n = p.like.size;
  const out = allocateOutput(p.like.dtype, n);
  if (p.one === "") {
    const ad = (p.a as Tensor).data;
    const bd = (p.b as Tensor).data;
    for (let i = 0; i < n; i++) out[i] = ad[i] * bd[i];
  } else if (p.one === "b") {
    const ad = (p.a as Tensor).data;
    const c = p.cb;
    for (let i = 0; i < n; i++) out[i] = ad[i] * c;
  } else {
    const bd = (p.b as Tensor).data;
    const c = p.ca;
    for (let i = 0; i < n; i++) out[i] = c * bd[i];
  }
  // ∂(ab)/∂a = b, ∂(ab)/∂b = a; a single value's gradient sums over the elements it multiplied.
  return result("Mul", out, p.shape, parentsOf(p), (g, spare) => {
    let ga: FloatArray | null = null;
    let gb: FloatArray | null = null;
    const wa = wants(p.a);
    const wb = wants(p.b);
    // c·g written over a spare g when the other side does not read g.
    if (wa) {
      if (p.one === "") ga = mulArrays(g, (p.b as Tensor).data);
      else if (p.one === "b") ga = timesConstant(g, single(p.b, p.cb), spare === true && !wb);
      else ga = sumOf(g, (p.b as Tensor).data);
    }
    if (wb) {
      if (p.one === "") gb = mulArrays(g, (p.a as Tensor).data);
      else if (p.one === "a") gb = timesConstant(g, single(p.a, p.ca), spare === true && !wa);
      else gb = sumOf(g, (p.a as Tensor).data);
    }
    return gradsOf(p, ga, gb);
  });
}

/** a / b */
export function div(x: TensorLike, y: TensorLike): Tensor {
  const z = zip("div", x, y);
  return result(
    "Div",
    map2(z, (p, q) => p / q),
    z.shape,
    [z.a, z.b],
    (g) => {
      const bv = expanded(z.b, z.ib, z.n);
      // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²
      const ga = z.a.requiresGrad ? scaled(g, (gi, i) => gi / bv[i]) : null;
      let gb: FloatArray | null = null;
      if (z.b.requiresGrad) {
        const av = expanded(z.a, z.ia, z.n);
        gb = scaled(g, (gi, i) => (-gi * av[i]) / (bv[i] * bv[i]));
      }
      return [ga, gb];
    },
  );
}

/** a ** b. A constant integer exponent (the common case, x²) gets PyTorch's exact x·x. */
export function pow(x: TensorLike, y: TensorLike): Tensor {
  const z = zip("pow", x, y);
  const powf = (p: number, q: number): number => (q === 2 ? p * p : q === 1 ? p : p ** q);
  const out = map2(z, powf);
  return result("Pow", out, z.shape, [z.a, z.b], (g) => {
    const av = expanded(z.a, z.ia, z.n);
    const bv = expanded(z.b, z.ib, z.n);
    // ∂(a^b)/∂a = b·a^(b−1); where b = 0 the derivative is 0 (PyTorch masks it, avoiding 0·inf).
    const ga = z.a.requiresGrad ? scaled(g, (gi, i) => (bv[i] === 0 ? 0 : gi * bv[i] * powf(av[i], bv[i] - 1))) : null;
    // ∂(a^b)/∂b = a^b·ln a; PyTorch defines it as 0 where a = 0 and b ≥ 0.
    const gb = z.b.requiresGrad ? scaled(g, (gi, i) => (av[i] === 0 && bv[i] >= 0 ? 0 : gi * out[i] * Math.log(av[i]))) : null;
    return [ga, gb];
  });
}

/** Element-wise larger value. Ties send half the gradient to each side, as PyTorch does. */
export function maximum(x: TensorLike, y: TensorLike): Tensor {
  return extremum("maximum", "Maximum", x, y, 1);
}

/** Element-wise smaller value. */
export function minimum(x: TensorLike, y: TensorLike): Tensor {
  return extremum("minimum", "Minimum", x, y, -1);
}

function extremum(op: string, name: string, x: TensorLike, y: TensorLike, sign: 1 | -1): Tensor {
  const z = zip(op, x, y);
  const pick =
    sign > 0 ? (p: number, q: number) => (p >= q || Number.isNaN(p) ? p : q) : (p: number, q: number) => (p <= q || Number.isNaN(p) ? p : q);
  return result(name, map2(z, pick), z.shape, [z.a, z.b], (g) => {
    const av = expanded(z.a, z.ia, z.n);
    const bv = expanded(z.b, z.ib, z.n);
    const share = (mine: number, other: number, gi: number): number => (mine === other ? gi / 2 : sign * (mine - other) > 0 ? gi : 0);
    return [
      z.a.requiresGrad ? scaled(g, (gi, i) => share(av[i], bv[i], gi)) : null,
      z.b.requiresGrad ? scaled(g, (gi, i) => share(bv[i], av[i], gi)) : null,
    ];
  });
}

function mulArrays(g: FloatArray, v: FloatArray): FloatArray {
  const out = allocateOutput(g instanceof Float32Array ? "float32" : "float64", g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i] * v[i];
  return out;
}

// Comparisons give 1 where true and 0 where false, in the operands' dtype; they are not differentiable.
function compare(op: string, x: TensorLike, y: TensorLike, f: (p: number, q: number) => boolean): Tensor {
  const z = zip(op, x, y);
  return result(
    op,
    map2(z, (p, q) => (f(p, q) ? 1 : 0)),
    z.shape,
    [],
    () => [],
  );
}
export function eq(x: TensorLike, y: TensorLike): Tensor {
  return compare("eq", x, y, (p, q) => p === q);
}
export function ne(x: TensorLike, y: TensorLike): Tensor {
  return compare("ne", x, y, (p, q) => p !== q);
}
export function lt(x: TensorLike, y: TensorLike): Tensor {
  return compare("lt", x, y, (p, q) => p < q);
}
export function le(x: TensorLike, y: TensorLike): Tensor {
  return compare("le", x, y, (p, q) => p <= q);
}
export function gt(x: TensorLike, y: TensorLike): Tensor {
  return compare("gt", x, y, (p, q) => p > q);
}
export function ge(x: TensorLike, y: TensorLike): Tensor {
  return compare("ge", x, y, (p, q) => p >= q);
}
