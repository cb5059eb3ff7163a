/**
 * DataLoader: mini-batches over a dataset, PyTorch's semantics. `for (const [x, y] of loader)`.
 * With `shuffle`, each pass (each `for…of`) draws a new order from the seeded generator, so after
 * `seed(n)` the sequence of batches is the same on every run. `dropLast` skips a final batch
 * smaller than batchSize.
 */
import type { Tensor } from "../tensor/tensor";
import { defaultGenerator, type Generator } from "../tensor/random";
import { collate, type Dataset, TensorDataset } from "./dataset";

export interface DataLoaderOptions {
  /** Default 1, as in PyTorch. */
  batchSize?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  generator?: Generator;
}

export class DataLoader implements Iterable<Tensor[]> {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator;

  /** `dataset` may also be a list of tensors sharing their first dimension (wrapped in a TensorDataset). */
  constructor(dataset: Dataset | Tensor[], options: DataLoaderOptions = {}) {
    this.dataset = Array.isArray(dataset) ? new TensorDataset(...dataset) : dataset;
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${this.batchSize}.`);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ?? defaultGenerator;
  }

  /** Number of batches per pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of one pass (a fresh permutation when shuffling). */
  order(): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return this.generator.permutation(n);
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    return idx;
  }

  *[Symbol.iterator](): Iterator<Tensor[]> {
    const idx = this.order();
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      yield collate(this.dataset, idx.subarray(b * this.batchSize, Math.min(idx.length, (b + 1) * this.batchSize)));
    }
  }
}
