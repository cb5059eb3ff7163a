/** Turning op arguments into tensors and checking they can meet: numbers become constants of the
 * other operand's dtype; two tensors must share a dtype (PyTorch would promote; we refuse, so that
 * float32 never sneaks into a float64 parity check unnoticed). */
import { allocate } from "../tensor/dtype";
import { Tensor, type TensorLike } from "../tensor/tensor";

export function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === "number" && typeof b === "number") {
    throw new TypeError(`${op}: both operands are plain numbers; at least one must be a Tensor.`);
  }
  const ta = typeof a === "number" ? scalarLike(a, b as Tensor) : asTensor(op, a);
  const tb = typeof b === "number" ? scalarLike(b, ta) : asTensor(op, b);
  if (ta.dtype !== tb.dtype) {
    throw new TypeError(
      `${op}: mixed dtypes ${ta.dtype} (shape [${ta.shape}]) and ${tb.dtype} (shape [${tb.shape}]). Convert one first, e.g. x.to("${ta.dtype}").`,
    );
  }
  return [ta, tb];
}

export function scalarLike(v: number, like: Tensor): Tensor {
  const d = allocate(like.dtype, 1);
  d[0] = v;
  return new Tensor(d, []);
}

export function asTensor(op: string, x: unknown): Tensor {
  if (x instanceof Tensor) return x;
  throw new TypeError(`${op}: expected a Tensor or a number, got ${describe(x)}. Make one with tensor(...).`);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  return typeof x === "object" ? (x.constructor?.name ?? "an object") : typeof x;
}
