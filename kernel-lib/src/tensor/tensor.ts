/**
 * Tensor: an n-dimensional array of float64 (default) or float32 in a typed array, row-major and
 * contiguous, plus what reverse-mode autograd needs (micrograd's Value, vectorised): the tensors it
 * was computed from (`_parents`), the op's backward (`_backward`, written beside its forward in
 * src/ops and src/functional), and `grad`.
 *
 * Methods are thin: each calls the op function of the same name, so `a.add(b)` and `add(a, b)` are
 * the same thing and an op's whole story lives in one file.
 */
import { inspectCustom, jupyterDisplay } from "./symbols";
import { type DType, type FloatArray, dtypeOf } from "./dtype";
import { fmtShape, sizeOf, stridesOf } from "./shape";
import { formatTensor } from "./format";
import { noteAdopted, noteDisowned, releaseBuffer } from "./buffer-pool";
import { tensorMark } from "./is-tensor";
import * as ew from "../ops/elementwise";
import * as un from "../ops/unary";
import * as red from "../ops/reduce";
import * as mm from "../ops/matmul";
import * as vw from "../ops/view";
import { sigmoid } from "../functional/activations/sigmoid";
import { tanh } from "../functional/activations/tanh";
import { relu } from "../functional/activations/relu";
import { leakyRelu } from "../functional/activations/leaky-relu";
import { softmax, logSoftmax } from "../functional/softmax";
import { backward as runBackward } from "../autograd/backward";

export type TensorLike = Tensor | number;
export type NestedArray = number | NestedArray[];

/**
 * The local backward of one op: given ∂C/∂out (out's shape), return ∂C/∂parent for each parent,
 * either in the parent's shape or in out's (broadcast) shape: the driver sums it down. `null` for a
 * parent that needs no gradient. `spare` true: the backward driver owns gradOut and reads it no
 * more, so an element-wise op may write one parent's gradient over it and return it (for that
 * parent only), instead of allocating one.
 */
export type BackwardFn = (gradOut: FloatArray, spare?: boolean) => (FloatArray | null)[];

const noParents: readonly Tensor[] = Object.freeze([]);

/** Tensors made so far: each one's `_seq`. A double, exact far beyond any program's count. */
let made = 0;

/** Passed by `Tensor.adopt` and `Tensor.share` (module-private): construct without copying the shape. */
const taken = Symbol("taken");

export class Tensor {
  // `declare`: assigned in the constructor only. A plain field declaration would first define each
  // of them as undefined (ES2022 class fields) and then assign it: two stores per tensor made.
  /** The values, row-major. Writing to it changes the tensor (optimisers do, under noGrad). */
  declare data: FloatArray;
  declare readonly shape: number[];
  declare requiresGrad: boolean;
  /**
   * ∂C/∂this after backward(): accumulated (+=) across calls until zeroGrad(). A plain field: a
   * gradient is yours once you read it, and zeroGrad only forgets it (its values stay).
   */
  grad: Tensor | null = null;
  /** A readable name (parameters get theirs from the module that owns them). */
  name: string | null = null;
  /** @internal shared empty list for leaves: one array fewer per tensor made. */
  _parents: readonly Tensor[] = noParents;
  /** @internal */ _backward: BackwardFn | null = null;
  /** @internal */ _op: string = "";
  /** @internal */ _retainGrad: boolean = false;
  /** @internal set once backward() has freed this node's graph. */
  _freed: boolean = false;
  /** @internal the backward() walk that last visited this node (replaces a per-walk Set). */
  _walk: number = 0;
  /** @internal ∂C/∂this gathered so far by walk `_walk` (replaces a per-walk Map). */
  _pending: FloatArray | null = null;
  /**
   * @internal When this tensor was made: larger than the number of every tensor it was computed
   * from, which is the order backward() follows (autograd/backward.ts).
   */
  declare _seq: number;

  /**
   * A tensor on `data` (not copied). `shape` is copied and checked against the length; see
   * `Tensor.adopt` for the version an op uses on a buffer it has just sized.
   * @param how leave it out (Tensor.adopt and Tensor.share pass a module-private token).
   */
  constructor(data: FloatArray, shape: readonly number[], requiresGrad: boolean = false, how?: unknown) {
    if (how === taken) {
      this.data = data;
      this.shape = shape as number[];
      this.requiresGrad = requiresGrad;
      this._seq = ++made;
      return;
    }
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor: ${data.length} values cannot have shape ${fmtShape(shape)} (which holds ${sizeOf(shape)}).`);
    }
    this.data = data;
    this.shape = shape.slice();
    this.requiresGrad = requiresGrad;
    this._seq = ++made;
  }

  /**
   * A new tensor that takes `data` and `shape` as its own: no copy of either and no size check.
   * For code that has just made `data` for it (an op's result, a gradient the backward driver
   * made): the caller promises that `data.length` fits `shape`, that nothing else holds `data`,
   * and that nobody changes `shape` in place (no code does: a reshape makes a new tensor). Adopting
   * a buffer that waits in the free list throws; in checked mode (`checkBuffers(true)`), so does
   * adopting one twice (see tensor/buffer-pool.ts).
   */
  static adopt(data: FloatArray, shape: readonly number[]): Tensor {
    noteAdopted(data, shape);
    return new Tensor(data, shape, false, taken);
  }

  /**
   * A new tensor on another tensor's buffer (a view: a reshape), taking `shape` as its own. The
   * buffer keeps its one owner (in checked mode, releasing it while that owner lives throws).
   */
  static share(data: FloatArray, shape: readonly number[]): Tensor {
    return new Tensor(data, shape, false, taken);
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }
  get ndim(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }
  numel(): number {
    return this.data.length;
  }
  get strides(): number[] {
    return stridesOf(this.shape);
  }
  /** Leaf = made by the user (not by an op); only leaves keep `.grad` unless retainGrad() was called. */
  get isLeaf(): boolean {
    return this._backward === null && !this._freed;
  }
  /** The transpose of a 2-D tensor. */
  get T(): Tensor {
    return vw.transpose(this, 0, 1);
  }

  // ----- conversion -------------------------------------------------------------------------
  item(): number {
    if (this.data.length !== 1) {
      throw new RangeError(
        `item(): the tensor has shape ${fmtShape(this.shape)} (${this.data.length} elements); item() needs exactly one. Index it first, e.g. t.get(0).`,
      );
    }
    return this.data[0];
  }
  /** Nested plain arrays, like PyTorch's tolist(). A 0-d tensor gives a number. */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      const out: NestedArray[] = new Array(n);
      if (dim === this.shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = this.data[offset + i];
        return out;
      }
      const stride = sizeOf(this.shape.slice(dim + 1));
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }
  tolist(): NestedArray {
    return this.toArray();
  }
  /** A plain number[] of all values, row-major. */
  toFlatArray(): number[] {
    return Array.from(this.data);
  }
  /** Copy with another dtype (the copy is part of the graph). */
  to(dtype: DType): Tensor {
    return un.cast(this, dtype);
  }
  float(): Tensor {
    return this.to("float32");
  }
  double(): Tensor {
    return this.to("float64");
  }
  clone(): Tensor {
    return un.cast(this, this.dtype);
  }
  /** Same values, cut from the graph (shares storage, like PyTorch). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  // ----- autograd -------------------------------------------------------------------------
  /** Compute ∂this/∂leaf for every leaf with requiresGrad; `grad` defaults to 1 for a scalar. */
  backward(grad?: Tensor | number, options?: { retainGraph?: boolean }): void {
    runBackward(this, grad, options?.retainGraph ?? false);
  }
  /** Forget the gradient (PyTorch's `t.grad = None`); a gradient you kept keeps its values. */
  zeroGrad(): void {
    this.grad = null;
  }
  /** Keep `.grad` on this non-leaf tensor too (the article's δ = ∂C/∂z of a hidden layer). */
  retainGrad(): this {
    this._retainGrad = true;
    return this;
  }
  requiresGrad_(on: boolean = true): this {
    if (!this.isLeaf && !on)
      throw new Error("requiresGrad_(false): only leaf tensors can stop requiring gradients; use detach() for a computed one.");
    this.requiresGrad = on;
    return this;
  }

  // ----- element-wise ---------------------------------------------------------------------
  add(other: TensorLike): Tensor {
    return ew.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return ew.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return ew.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return ew.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return ew.pow(this, exponent);
  }
  maximum(other: TensorLike): Tensor {
    return ew.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return ew.minimum(this, other);
  }
  eq(other: TensorLike): Tensor {
    return ew.eq(this, other);
  }
  ne(other: TensorLike): Tensor {
    return ew.ne(this, other);
  }
  lt(other: TensorLike): Tensor {
    return ew.lt(this, other);
  }
  le(other: TensorLike): Tensor {
    return ew.le(this, other);
  }
  gt(other: TensorLike): Tensor {
    return ew.gt(this, other);
  }
  ge(other: TensorLike): Tensor {
    return ew.ge(this, other);
  }
  neg(): Tensor {
    return un.neg(this);
  }
  exp(): Tensor {
    return un.exp(this);
  }
  log(): Tensor {
    return un.log(this);
  }
  sqrt(): Tensor {
    return un.sqrt(this);
  }
  abs(): Tensor {
    return un.abs(this);
  }
  square(): Tensor {
    return un.square(this);
  }
  sign(): Tensor {
    return un.sign(this);
  }
  clamp(min: number | null, max: number | null = null): Tensor {
    return un.clamp(this, min, max);
  }
  sigmoid(): Tensor {
    return sigmoid(this);
  }
  tanh(): Tensor {
    return tanh(this);
  }
  relu(): Tensor {
    return relu(this);
  }
  leakyRelu(slope: number = 0.01): Tensor {
    return leakyRelu(this, slope);
  }
  softmax(dim: number = -1): Tensor {
    return softmax(this, dim);
  }
  logSoftmax(dim: number = -1): Tensor {
    return logSoftmax(this, dim);
  }

  // ----- reductions -----------------------------------------------------------------------
  sum(dim?: number | number[] | null, keepdim: boolean = false): Tensor {
    return red.sum(this, dim, keepdim);
  }
  mean(dim?: number | number[] | null, keepdim: boolean = false): Tensor {
    return red.mean(this, dim, keepdim);
  }
  max(dim?: number | null, keepdim: boolean = false): Tensor {
    return red.max(this, dim, keepdim);
  }
  min(dim?: number | null, keepdim: boolean = false): Tensor {
    return red.min(this, dim, keepdim);
  }
  argmax(dim?: number | null, keepdim: boolean = false): Tensor {
    return red.argmax(this, dim, keepdim);
  }
  argmin(dim?: number | null, keepdim: boolean = false): Tensor {
    return red.argmin(this, dim, keepdim);
  }
  /** Euclidean (Frobenius) norm of all elements, ‖x‖₂. */
  norm(): Tensor {
    return red.norm(this);
  }

  // ----- linear algebra -------------------------------------------------------------------
  matmul(other: Tensor): Tensor {
    return mm.matmul(this, other);
  }
  dot(other: Tensor): Tensor {
    return mm.dot(this, other);
  }
  outer(other: Tensor): Tensor {
    return mm.outer(this, other);
  }

  // ----- shape ----------------------------------------------------------------------------
  reshape(...shape: (number | number[])[]): Tensor {
    return vw.reshape(this, flattenArgs(shape));
  }
  view(...shape: (number | number[])[]): Tensor {
    return vw.reshape(this, flattenArgs(shape));
  }
  transpose(dim0: number = 0, dim1: number = 1): Tensor {
    return vw.transpose(this, dim0, dim1);
  }
  permute(...dims: (number | number[])[]): Tensor {
    return vw.permute(this, flattenArgs(dims));
  }
  squeeze(dim?: number): Tensor {
    return vw.squeeze(this, dim);
  }
  unsqueeze(dim: number): Tensor {
    return vw.unsqueeze(this, dim);
  }
  flatten(startDim: number = 0, endDim: number = -1): Tensor {
    return vw.flatten(this, startDim, endDim);
  }
  /** Row `i` along dim 0 (negative counts from the end), like `t[i]`. */
  get(i: number): Tensor {
    return vw.select(this, 0, i);
  }
  select(dim: number, index: number): Tensor {
    return vw.select(this, dim, index);
  }
  /** Elements start…end-1 (step) along `dim`, like `t[start:end:step]`. */
  slice(dim: number, start?: number | null, end?: number | null, step: number = 1): Tensor {
    return vw.slice(this, dim, start ?? null, end ?? null, step);
  }
  /** Rows picked by integer indices along `dim` (gather of whole slices), like `t[[2, 0, 1]]`. */
  indexSelect(dim: number, indices: ArrayLike<number> | Tensor): Tensor {
    return vw.indexSelect(this, dim, indices);
  }

  // ----- display --------------------------------------------------------------------------
  toString(): string {
    const extras: string[] = [];
    if (this._backward !== null || this._freed) extras.push(`grad_fn=<${this._op}Backward>`);
    else if (this.requiresGrad) extras.push("requires_grad=True");
    return formatTensor(this.data, this.shape, this.dtype, extras);
  }
  toJSON(): { shape: number[]; dtype: DType; data: number[] } {
    return { shape: this.shape.slice(), dtype: this.dtype, data: Array.from(this.data) };
  }
}

function flattenArgs(args: (number | number[])[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? args[0].slice() : (args as number[]);
}

// The display hooks are keyed by symbols, which isolatedDeclarations cannot take as computed class
// members: declare them on the interface merged with the class, and define them on the prototype.
export interface Tensor {
  /** How node's util.inspect (tslab's last-value printer, console.log) shows a tensor. */
  [inspectCustom](): string;
  /** Jupyter display convention (Deno's kernel, nnlab's kernel): a mime bundle. */
  [jupyterDisplay](): Record<string, string>;
}
Object.defineProperty(Tensor.prototype, tensorMark, { value: true });
Object.defineProperty(Tensor.prototype, inspectCustom, {
  value(this: Tensor): string {
    return this.toString();
  },
});
Object.defineProperty(Tensor.prototype, jupyterDisplay, {
  value(this: Tensor): Record<string, string> {
    return { "text/plain": this.toString() };
  },
});

/**
 * What a released tensor holds instead of its buffer: every read of it (an element, its length, a
 * copy, an op on the tensor, printing it) throws, rather than showing values that the buffer's
 * next user has written. One object for all of them, so releasing allocates nothing.
 */
const releasedStorage = new Proxy(new Float64Array(0), {
  get(): never {
    throw new Error(
      "This tensor's buffer was released (optimizer.releaseGrads() releases the gradients) and has been reused since; " +
        "its values are gone. Keep a copy before releasing: const g = p.grad.clone().",
    );
  },
}) as FloatArray;

/**
 * @internal Give `t`'s buffer back to the free list, for the next op to reuse, and make `t` throw
 * on every read. For an owner that knows it is done with `t` (Optimizer.releaseGrads, for the
 * gradients). A view of `t` made before (a reshape shares the buffer) is not caught: the caller's
 * promise covers it.
 */
export function releaseStorage(t: Tensor, what: string): void {
  const data = t.data;
  if (data === releasedStorage) return;
  if (t.requiresGrad) throw new Error(`${what}: cannot release a tensor that requires grad (a graph may still read it in backward).`);
  t.data = releasedStorage;
  noteDisowned(data);
  releaseBuffer(data, what);
}
