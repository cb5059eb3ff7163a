/** The two floating-point types a Tensor can hold. float64 is the default: the articles' numbers
 * are checked against PyTorch to 1e-9, which float32 cannot carry. */
import { newBuffer, takeFreeBuffer } from "./buffer-pool";

export type DType = "float64" | "float32";

/** The storage behind a Tensor. */
export type FloatArray = Float64Array | Float32Array;

export const defaultDType: DType = "float64";

/** A zero-filled array: reused from the free list when one of that length is free. */
export function allocate(dtype: DType, n: number): FloatArray {
  const f32 = dtype === "float32";
  const reused = takeFreeBuffer(f32, n);
  if (reused !== null) return reused;
  return newBuffer(f32, n);
}

/**
 * Like allocate, for an output its caller writes in full before anything reads it (a matrix
 * product's result, a layout change): an array from the free list comes back as it was instead of zeroed, one
 * memset fewer per large array (several per CNN batch).
 */
export function allocateOutput(dtype: DType, n: number): FloatArray {
  const f32 = dtype === "float32";
  const reused = takeFreeBuffer(f32, n, false);
  if (reused !== null) return reused;
  return newBuffer(f32, n);
}

export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float32Array ? "float32" : "float64";
}

export function checkDType(d: unknown): DType {
  if (d === "float64" || d === "float32") return d;
  throw new TypeError(`Unknown dtype ${JSON.stringify(d)}: use "float64" (the default) or "float32".`);
}
