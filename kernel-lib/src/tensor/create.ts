/** Making tensors: from nested arrays, filled, ranges, identity, random (all draws from the seeded generator). */
import { type DType, type FloatArray, allocate, checkDType, defaultDType } from "./dtype";
import { fmtShape, sizeOf } from "./shape";
import { defaultGenerator, type Generator } from "./random";
import { Tensor, type NestedArray } from "./tensor";

export interface TensorOptions {
  dtype?: DType | undefined;
  requiresGrad?: boolean | undefined;
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

function make(data: FloatArray, shape: number[], o: TensorOptions): Tensor {
  return new Tensor(data, shape, o.requiresGrad ?? false);
}

function shapeArg(op: string, shape: number | number[]): number[] {
  const s = typeof shape === "number" ? [shape] : shape.slice();
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: shape ${fmtShape(s)} must hold non-negative integers.`);
  }
  return s;
}

/**
 * A tensor from a number, nested arrays (rectangular), a typed array (1-D) or another tensor (copied).
 * `tensor([[1, 2], [3, 4]])` has shape [2, 2] and dtype float64 unless `{dtype: "float32"}`.
 */
export function tensor(data: NestedArray | ArrayLike<number> | Tensor, options: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) {
    const d = allocate(options.dtype ? checkDType(options.dtype) : data.dtype, data.size);
    d.set(data.data);
    return make(d, data.shape, options);
  }
  const dtype = checkDType(options.dtype ?? defaultDType);
  if (typeof data === "number") {
    const d = allocate(dtype, 1);
    d[0] = data;
    return make(d, [], options);
  }
  if (ArrayBuffer.isView(data)) {
    const src = data as unknown as ArrayLike<number>;
    const d = allocate(dtype, src.length);
    for (let i = 0; i < src.length; i++) d[i] = src[i];
    return make(d, [src.length], options);
  }
  const shape = inferShape(data as NestedArray);
  const out = allocate(dtype, sizeOf(shape));
  let k = 0;
  const fill = (x: NestedArray | ArrayLike<number>, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof x !== "number")
        throw new TypeError(`tensor: element at ${pathStr(path)} is ${typeof x}, expected a number (the array is not rectangular?).`);
      out[k++] = x;
      return;
    }
    const arr = x as ArrayLike<NestedArray>;
    if (typeof x === "number" || arr.length !== shape[depth]) {
      throw new RangeError(
        `tensor: ragged nested array: the entry at ${pathStr(path)} has ${typeof x === "number" ? "no" : arr.length} element(s), but ` +
          `${shape[depth]} were expected from the first row (inferred shape ${fmtShape(shape)}). Every row must have the same length.`,
      );
    }
    for (let i = 0; i < arr.length; i++) fill(arr[i], depth + 1, [...path, i]);
  };
  fill(data as NestedArray, 0, []);
  return make(out, shape, options);
}

function pathStr(path: number[]): string {
  return path.length ? path.map((i) => `[${i}]`).join("") : "the top level";
}

function inferShape(data: NestedArray | ArrayLike<number>): number[] {
  const shape: number[] = [];
  let x: unknown = data;
  while (Array.isArray(x) || ArrayBuffer.isView(x)) {
    const arr = x as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    x = arr[0];
  }
  return shape;
}

/** A tensor of `shape` over an existing flat array (copied into the dtype's storage). */
export function fromArray(values: ArrayLike<number>, shape?: number[], options: TensorOptions = {}): Tensor {
  const s = shape ?? [values.length];
  if (sizeOf(s) !== values.length) {
    throw new RangeError(`fromArray: ${values.length} values cannot fill shape ${fmtShape(s)} (${sizeOf(s)} elements).`);
  }
  const d = allocate(checkDType(options.dtype ?? defaultDType), values.length);
  for (let i = 0; i < values.length; i++) d[i] = values[i];
  return make(d, s, options);
}

export function full(shape: number | number[], value: number, options: TensorOptions = {}): Tensor {
  const s = shapeArg("full", shape);
  return make(allocate(checkDType(options.dtype ?? defaultDType), sizeOf(s)).fill(value), s, options);
}
export function zeros(shape: number | number[], options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}
export function ones(shape: number | number[], options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

/** start, start+step, … up to (not including) end. `arange(5)` = [0, 1, 2, 3, 4]. */
export function arange(start: number, end?: number, step: number = 1, options: TensorOptions = {}): Tensor {
  const [a, b] = end === undefined ? [0, start] : [start, end];
  if (step === 0) throw new RangeError("arange: step must not be 0.");
  const n = Math.max(0, Math.ceil((b - a) / step));
  const d = allocate(checkDType(options.dtype ?? defaultDType), n);
  for (let i = 0; i < n; i++) d[i] = a + i * step;
  return make(d, [n], options);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}.`);
  const d = allocate(checkDType(options.dtype ?? defaultDType), steps);
  const h = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends like PyTorch, so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) d[i] = i < half ? start + i * h : end - (steps - 1 - i) * h;
  return make(d, [steps], options);
}

/** n×m identity (m defaults to n). */
export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  const d = allocate(checkDType(options.dtype ?? defaultDType), n * m);
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  return make(d, [n, m], options);
}

/** Uniform on [0, 1). */
export function rand(shape: number | number[], options: RandomOptions = {}): Tensor {
  const s = shapeArg("rand", shape);
  const g = options.generator ?? defaultGenerator;
  const d = allocate(checkDType(options.dtype ?? defaultDType), sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = g.random();
  return make(d, s, options);
}

/** Standard normal N(0, 1). */
export function randn(shape: number | number[], options: RandomOptions = {}): Tensor {
  const s = shapeArg("randn", shape);
  const g = options.generator ?? defaultGenerator;
  const d = allocate(checkDType(options.dtype ?? defaultDType), sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = g.normal();
  return make(d, s, options);
}

/** Integers uniform in [low, high), stored as floats. */
export function randint(low: number, high: number, shape: number | number[], options: RandomOptions = {}): Tensor {
  const s = shapeArg("randint", shape);
  const g = options.generator ?? defaultGenerator;
  const d = allocate(checkDType(options.dtype ?? defaultDType), sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = g.int(low, high);
  return make(d, s, options);
}
