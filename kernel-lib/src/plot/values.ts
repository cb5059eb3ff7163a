/**
 * What the builders accept where a list of numbers is expected: plain arrays, typed arrays,
 * an nnlab Tensor (anything with `toArray()`), or a raw `{data, shape}` view.
 */
export type NumericLike = ArrayLike<number> | { toArray(): unknown } | { data: ArrayLike<number>; shape: readonly number[] };

/** A 2-D matrix in any accepted form: nested arrays, or a tensor-like with a 2-D shape. */
export type MatrixLike = ArrayLike<ArrayLike<number>> | { toArray(): unknown } | { data: ArrayLike<number>; shape: readonly number[] };

function hasToArray(x: unknown): x is { toArray(): unknown } {
  return typeof x === "object" && x !== null && typeof (x as { toArray?: unknown }).toArray === "function";
}

function isDataShape(x: unknown): x is { data: ArrayLike<number>; shape: readonly number[] } {
  return (
    typeof x === "object" &&
    x !== null &&
    Array.isArray((x as { shape?: unknown }).shape) &&
    typeof (x as { data?: { length?: unknown } }).data?.length === "number"
  );
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x !== "object") return typeof x;
  const ctor = (x as object).constructor?.name ?? "object";
  const shape = (x as { shape?: unknown }).shape;
  return Array.isArray(shape) ? `${ctor} of shape [${shape.join(", ")}]` : ctor;
}

/** Nested plain arrays from any accepted form (tensors via `toArray()`, `{data, shape}` unflattened). */
export function toNested(x: unknown): unknown {
  if (hasToArray(x) && !ArrayBuffer.isView(x)) return toNested(x.toArray());
  if (isDataShape(x)) return unflatten(x.data, x.shape);
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.map((v) => (typeof v === "number" ? v : toNested(v)));
  return x;
}

function unflatten(data: ArrayLike<number>, shape: readonly number[]): unknown {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new Error(
      `plot: a {data, shape} value has ${data.length} elements but shape [${shape.join(", ")}] ` +
        `needs ${size}; pass a contiguous tensor or call .toArray() first`,
    );
  }
  if (shape.length === 0) return data[0];
  let offset = 0;
  const build = (dim: number): unknown[] => {
    const out: unknown[] = [];
    for (let i = 0; i < shape[dim]!; i++) {
      if (dim === shape.length - 1) out.push(data[offset++]);
      else out.push(build(dim + 1));
    }
    return out;
  };
  return build(0);
}

/**
 * A flat `number[]` for a series. A `[n, 1]` or `[1, n]` tensor is accepted too (a column of
 * losses); anything else with more than one non-trivial dimension is an error naming `what`.
 */
export function toNumbers(x: NumericLike, what: string): number[] {
  const nested = toNested(x);
  if (typeof nested === "number") return [nested];
  if (!Array.isArray(nested)) {
    throw new Error(`${what}: expected numbers (array, typed array or tensor), got ${describe(x)}`);
  }
  let flat: unknown[] = nested;
  if (nested.length === 1 && Array.isArray(nested[0])) flat = nested[0] as unknown[];
  else if (nested.every((v) => Array.isArray(v) && v.length === 1)) flat = nested.map((v) => (v as unknown[])[0]);
  if (flat.some((v) => typeof v === "object" && v !== null)) {
    throw new Error(`${what}: expected a 1-D series, got ${describe(x)}; pick one row or column first`);
  }
  return flat.map((v) => (v === null ? Number.NaN : Number(v)));
}

/** A `number[][]` (rows) for a 2-D value; errors name `what` and the shape received. */
export function toMatrix(x: MatrixLike, what: string): number[][] {
  const nested = toNested(x);
  if (!Array.isArray(nested) || !nested.every((row) => Array.isArray(row) || ArrayBuffer.isView(row))) {
    throw new Error(`${what}: expected a 2-D matrix (rows of numbers or a 2-D tensor), got ${describe(x)}`);
  }
  const rows = nested.map((row) => Array.from(row as ArrayLike<unknown>));
  for (const [i, row] of rows.entries()) {
    if (row.some((v) => Array.isArray(v))) {
      throw new Error(`${what}: row ${i} is not flat: expected a 2-D matrix, got ${describe(x)}; select one channel first`);
    }
  }
  return rows as number[][];
}

/** `steps` evenly spaced points from `lo` to `hi`, both included. */
export function linspace(lo: number, hi: number, steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 2) {
    throw new Error(`plot: steps must be an integer ≥ 2, got ${steps}`);
  }
  const out: number[] = new Array<number>(steps);
  for (let i = 0; i < steps; i++) out[i] = lo + ((hi - lo) * i) / (steps - 1);
  return out;
}

/** Checks a `[lo, hi]` range option. */
export function checkRange(range: readonly [number, number] | undefined, what: string): [number, number] {
  if (range?.length !== 2 || !(Number.isFinite(range[0]) && Number.isFinite(range[1])) || range[0] >= range[1]) {
    throw new Error(`${what}: expected [lo, hi] with finite lo < hi, got ${JSON.stringify(range)}`);
  }
  return [range[0], range[1]];
}
