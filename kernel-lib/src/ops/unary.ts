/** One-input element-wise ops, each with its backward beside it. */
import { type DType, type FloatArray, allocate, allocateOutput } from "../tensor/dtype";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "./operands";
import { squareInto, twiceProductInto } from "./loops";

/** Apply `f` to every element into a fresh array of the same dtype. */
export function map1(x: Tensor, f: (v: number) => number): FloatArray {
  const d = x.data;
  const out = allocate(x.dtype, d.length);
  for (let i = 0; i < d.length; i++) out[i] = f(d[i]);
  return out;
}

/** g ⊙ h(i) for the backward passes below. */
export function gradMap(g: FloatArray, f: (gi: number, i: number) => number): FloatArray {
  const out = allocate(g instanceof Float32Array ? "float32" : "float64", g.length);
  for (let i = 0; i < g.length; i++) out[i] = f(g[i], i);
  return out;
}

/** −x */
export function neg(t: Tensor): Tensor {
  const x = asTensor("neg", t);
  return result(
    "Neg",
    map1(x, (v) => -v),
    x.shape,
    [x],
    (g) => [gradMap(g, (gi) => -gi)],
  );
}

/** eˣ; its derivative is itself, so the backward reuses the output. */
export function exp(t: Tensor): Tensor {
  const x = asTensor("exp", t);
  const out = map1(x, Math.exp);
  return result("Exp", out, x.shape, [x], (g) => [gradMap(g, (gi, i) => gi * out[i])]);
}

/** ln x (−inf at 0, NaN below, like PyTorch). */
export function log(t: Tensor): Tensor {
  const x = asTensor("log", t);
  const d = x.data;
  return result("Log", map1(x, Math.log), x.shape, [x], (g) => [gradMap(g, (gi, i) => gi / d[i])]);
}

/** √x */
export function sqrt(t: Tensor): Tensor {
  const x = asTensor("sqrt", t);
  const out = map1(x, Math.sqrt);
  return result("Sqrt", out, x.shape, [x], (g) => [gradMap(g, (gi, i) => gi / (2 * out[i]))]);
}

/** |x|; PyTorch's subgradient at 0 is 0 (sign(0) = 0). */
export function abs(t: Tensor): Tensor {
  const x = asTensor("abs", t);
  const d = x.data;
  return result("Abs", map1(x, Math.abs), x.shape, [x], (g) => [gradMap(g, (gi, i) => gi * Math.sign(d[i]))]);
}

/** x²: its own loops (ops/loops.ts) rather than map1/gradMap, whose shared callback call sites cost more
 * than the arithmetic at the sizes of a penalty term or a loss (‖w‖², (ŷ − y)²). */
export function square(t: Tensor): Tensor {
  const x = asTensor("square", t);
  const d = x.data;
  const out = allocateOutput(x.dtype, d.length);
  squareInto(d, out);
  return result("Square", out, x.shape, [x], (g, spare) => {
    // ∂x²/∂x = 2x, written over a spare g (element by element: each g[i] is read before it is written)
    const gx = spare === true && g.length === d.length ? g : allocateOutput(x.dtype, d.length);
    twiceProductInto(g, d, gx);
    return [gx];
  });
}

/** sign(x) ∈ {−1, 0, 1}; gradient 0 everywhere. */
export function sign(t: Tensor): Tensor {
  const x = asTensor("sign", t);
  return result("Sign", map1(x, Math.sign), x.shape, [x], (g) => [gradMap(g, () => 0)]);
}

/** Clamp into [min, max] (either may be null). Gradient passes where the value was inside, bounds included (PyTorch). */
export function clamp(t: Tensor, min: number | null, max: number | null = null): Tensor {
  const x = asTensor("clamp", t);
  if (min === null && max === null) throw new TypeError("clamp: give at least one of min and max.");
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (lo > hi) throw new RangeError(`clamp: min (${lo}) is greater than max (${hi}).`);
  const d = x.data;
  const out = map1(x, (v) => (v < lo ? lo : Math.min(v, hi)));
  return result("Clamp", out, x.shape, [x], (g) => [gradMap(g, (gi, i) => (d[i] >= lo && d[i] <= hi ? gi : 0))]);
}

/** Copy into another dtype; the gradient is cast back. */
export function cast(t: Tensor, dtype: DType): Tensor {
  const x = asTensor("to", t);
  const out = allocate(dtype, x.size);
  out.set(x.data);
  return result("To", out, x.shape, [x], (g) => {
    const back = allocate(x.dtype, g.length);
    back.set(g);
    return [back];
  });
}
