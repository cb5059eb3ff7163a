/**
 * Values as they travel from the kernel to the grader: JSON only. Numeric data (numbers, nested
 * arrays, typed arrays, tensors duck-typed as `{shape, data}` or with `toArray()`) becomes
 * `{shape, data}`; non-finite numbers become the strings "NaN", "Infinity", "-Infinity".
 */
import { arrayFrom, isArray, isFiniteNumber, isNaNNumber, objectKeys, StringCtor } from "./intrinsics";

export interface NumericValue {
  shape: number[];
  data: (number | string)[];
}
export type Reported = NumericValue | string | boolean | null | { json: unknown };

export function encodeNumber(x: number): number | string {
  if (isFiniteNumber(x)) return x;
  return isNaNNumber(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}
export function decodeNumber(x: unknown): number {
  if (typeof x === "number") return x;
  if (x === "NaN") return NaN;
  if (x === "Infinity") return Infinity;
  if (x === "-Infinity") return -Infinity;
  return NaN;
}

function isTypedArray(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** Shape and flat data of nested numeric arrays; undefined when ragged or not numeric. */
function flattenNested(x: unknown): NumericValue | undefined {
  if (typeof x === "number") return { shape: [], data: [encodeNumber(x)] };
  if (isTypedArray(x)) return { shape: [x.length], data: arrayFrom(x).map((v) => encodeNumber(v as number)) };
  if (!isArray(x)) return undefined;
  if (x.length === 0) return { shape: [0], data: [] };
  const parts: NumericValue[] = [];
  for (const item of x) {
    const p = flattenNested(item);
    if (!p) return undefined;
    parts.push(p);
  }
  const inner = parts[0].shape;
  for (const p of parts) {
    if (p.shape.length !== inner.length || p.shape.some((d, i) => d !== inner[i])) return undefined;
  }
  return { shape: [x.length, ...inner], data: parts.flatMap((p) => p.data) };
}

/** Duck-typed tensor: `{shape, data}` with array-like data, or anything with `toArray()`. */
function fromTensorLike(x: object): NumericValue | undefined {
  const t = x as { shape?: unknown; data?: unknown; toArray?: unknown };
  if (isArray(t.shape) && t.shape.every((d) => typeof d === "number") && t.data !== undefined) {
    const data = isTypedArray(t.data) || isArray(t.data) ? arrayFrom(t.data as ArrayLike<unknown>) : undefined;
    if (data?.every((v) => typeof v === "number")) {
      return { shape: [...(t.shape as number[])], data: data.map((v) => encodeNumber(v as number)) };
    }
  }
  if (typeof t.toArray === "function") return flattenNested((t.toArray as () => unknown)());
  return undefined;
}

export function toReported(value: unknown): Reported {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  const nested = flattenNested(value);
  if (nested) return nested;
  if (typeof value === "object") {
    const t = fromTensorLike(value);
    if (t) return t;
  }
  try {
    return { json: JSON.parse(JSON.stringify(value)) as unknown };
  } catch {
    return { json: StringCtor(value) };
  }
}

export function isNumericValue(x: unknown): x is NumericValue {
  if (typeof x !== "object" || x === null) return false;
  const keys = objectKeys(x);
  const v = x as NumericValue;
  return keys.includes("shape") && keys.includes("data") && isArray(v.shape) && isArray(v.data);
}
