/** Reductions over all elements or over chosen dims, with PyTorch's `dim`/`keepdim`. */
import { type FloatArray, allocate, allocateOutput } from "../tensor/dtype";
import { broadcastIndex } from "../tensor/broadcast";
import { normDim, sizeOf, fmtShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "./operands";
import { gradMap } from "./unary";
import { fillWith, sumAll } from "./loops";

interface Plan {
  /** Shape with reduced dims kept as 1 (used for the index map and keepdim). */
  kept: number[];
  /** Shape of the result. */
  out: number[];
  /** For each input element, the output element it reduces into. */
  map: Int32Array | null;
  /** Elements reduced into each output. */
  count: number;
}

function plan(op: string, x: Tensor, dim: number | number[] | null | undefined, keepdim: boolean): Plan {
  const nd = x.ndim;
  if ((dim === null || dim === undefined) && !keepdim) {
    // Everything into one number (a loss): the common case, without building the dims lists.
    return { kept: new Array<number>(nd).fill(1), out: [], map: x.size === 1 ? null : broadcastIndex(x.shape, []), count: x.size };
  }
  const dims = dim === null || dim === undefined ? [...Array(nd).keys()] : (Array.isArray(dim) ? dim : [dim]).map((d) => normDim(op, d, nd));
  if (new Set(dims).size !== dims.length) throw new RangeError(`${op}: dim ${JSON.stringify(dim)} names a dimension twice.`);
  const kept = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const out = keepdim ? kept.slice() : x.shape.filter((_, i) => !dims.includes(i));
  let count = 1;
  for (const d of dims) count *= x.shape[d];
  // broadcastIndex(x.shape, kept) gives, for each input position, where `kept` is read: the output slot.
  const map = sizeOf(kept) === x.size ? null : (broadcastIndex(x.shape, kept) ?? null);
  return { kept, out, map, count };
}

/** Σ x over `dim` (all elements when omitted). */
export function sum(t: Tensor, dim?: number | number[] | null, keepdim: boolean = false): Tensor {
  const x = asTensor("sum", t);
  if ((dim === null || dim === undefined) && !keepdim) return total("Sum", x, 1);
  const p = plan("sum", x, dim, keepdim);
  const out = allocate(x.dtype, sizeOf(p.out));
  sumInto(x.data, p, out);
  // Every input element contributed once: its gradient is the output's gradient, spread back.
  return result("Sum", out, p.out, [x], (g) => [spread(g, p, x.size)]);
}

function sumInto(d: FloatArray, p: Plan, out: FloatArray): void {
  if (p.map === null) out.set(d);
  else if (out.length === 1) {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i];
    out[0] = s;
  } else for (let i = 0; i < d.length; i++) out[p.map[i]] += d[i];
}

/**
 * Σx / divisor over every element into a 0-d tensor: the loss and penalty case (sum(), mean()),
 * with no plan or index map. Its gradient is g / divisor at every element.
 */
function total(name: string, x: Tensor, divisor: number): Tensor {
  const n = x.data.length;
  const out = allocate(x.dtype, 1);
  // PyTorch's own sum adds in yet another order.
  out[0] = sumAll(x.data) / divisor;
  return result(name, out, [], [x], (g) => {
    const gx = allocateOutput(x.dtype, n);
    fillWith(gx, g[0] / divisor);
    return [gx];
  });
}

/** Mean of x over `dim` (all elements when omitted). */
export function mean(t: Tensor, dim?: number | number[] | null, keepdim: boolean = false): Tensor {
  const x = asTensor("mean", t);
  if (x.size === 0) throw new RangeError(`mean: the tensor of shape ${fmtShape(x.shape)} is empty.`);
  if ((dim === null || dim === undefined) && !keepdim) return total("Mean", x, x.size);
  const p = plan("mean", x, dim, keepdim);
  const out = allocate(x.dtype, sizeOf(p.out));
  sumInto(x.data, p, out);
  for (let i = 0; i < out.length; i++) out[i] /= p.count;
  return result("Mean", out, p.out, [x], (g) => [gradMap(spread(g, p, x.size), (gi) => gi / p.count)]);
}

function spread(g: FloatArray, p: Plan, n: number): FloatArray {
  if (p.map === null) return g;
  const out = allocate(g instanceof Float32Array ? "float32" : "float64", n);
  const map = p.map;
  for (let i = 0; i < n; i++) out[i] = g[map[i]];
  return out;
}

/** Position (flat index into x) of the winner for each output slot; first occurrence wins ties. NaN wins, as in PyTorch. */
function winners(x: Tensor, p: Plan, better: (a: number, b: number) => boolean): Int32Array {
  const n = sizeOf(p.out);
  const best = new Int32Array(n).fill(-1);
  const d = x.data;
  for (let i = 0; i < d.length; i++) {
    const o = p.map === null ? i : p.map[i];
    const cur = best[o];
    if (cur < 0 || (!Number.isNaN(d[cur]) && (Number.isNaN(d[i]) || better(d[i], d[cur])))) best[o] = i;
  }
  return best;
}

function extreme(
  op: string,
  name: string,
  t: Tensor,
  dim: number | null | undefined,
  keepdim: boolean,
  better: (a: number, b: number) => boolean,
): Tensor {
  const x = asTensor(op, t);
  if (x.size === 0) throw new RangeError(`${op}: the tensor of shape ${fmtShape(x.shape)} is empty.`);
  const p = plan(op, x, dim, keepdim);
  const win = winners(x, p, better);
  const out = allocate(x.dtype, win.length);
  for (let o = 0; o < win.length; o++) out[o] = x.data[win[o]];
  const whole = dim === null || dim === undefined;
  return result(name, out, p.out, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    if (whole) {
      // max() of everything: PyTorch shares the gradient evenly among tied maxima.
      let ties = 0;
      for (let i = 0; i < x.size; i++) if (x.data[i] === out[0]) ties++;
      for (let i = 0; i < x.size; i++) if (x.data[i] === out[0]) gx[i] = g[0] / ties;
    } else for (let o = 0; o < win.length; o++) gx[win[o]] += g[o];
    return [gx];
  });
}

export function max(t: Tensor, dim?: number | null, keepdim: boolean = false): Tensor {
  return extreme("max", "Max", t, dim, keepdim, (a, b) => a > b);
}

export function min(t: Tensor, dim?: number | null, keepdim: boolean = false): Tensor {
  return extreme("min", "Min", t, dim, keepdim, (a, b) => a < b);
}

function argExtreme(op: string, t: Tensor, dim: number | null | undefined, keepdim: boolean, better: (a: number, b: number) => boolean): Tensor {
  const x = asTensor(op, t);
  if (x.size === 0) throw new RangeError(`${op}: the tensor of shape ${fmtShape(x.shape)} is empty.`);
  const whole = dim === null || dim === undefined;
  const p = plan(op, x, dim, keepdim);
  const win = winners(x, p, better);
  const out = allocate(x.dtype, win.length);
  if (whole) out[0] = win[0];
  else {
    // Convert the flat winner position into its index along `dim`.
    const dd = normDim(op, dim, x.ndim);
    const inner = sizeOf(x.shape.slice(dd + 1));
    for (let o = 0; o < win.length; o++) out[o] = Math.floor(win[o] / inner) % x.shape[dd];
  }
  return new Tensor(out, whole && !keepdim ? [] : p.out);
}

/** Index of the largest value (over everything, or along `dim`), as a tensor of integers. */
export function argmax(t: Tensor, dim?: number | null, keepdim: boolean = false): Tensor {
  return argExtreme("argmax", t, dim, keepdim, (a, b) => a > b);
}

export function argmin(t: Tensor, dim?: number | null, keepdim: boolean = false): Tensor {
  return argExtreme("argmin", t, dim, keepdim, (a, b) => a < b);
}

/** ‖x‖₂ over all elements. The gradient x/‖x‖ is taken as 0 at x = 0 (PyTorch's choice). */
export function norm(t: Tensor): Tensor {
  const x = asTensor("norm", t);
  let s = 0;
  for (let i = 0; i < x.size; i++) s += x.data[i] * x.data[i];
  const out = allocate(x.dtype, 1);
  out[0] = Math.sqrt(s);
  return result("Norm", out, [], [x], (g) => [gradMap(x.data, (xi) => (out[0] === 0 ? 0 : (g[0] * xi) / out[0]))]);
}
