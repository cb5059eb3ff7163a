/**
 * Datasets: something with a length that hands out samples. `get(i)` returns one sample as a list
 * of tensors (usually [input, target]); `batch(indices)` the stacked samples, when the dataset can do
 * that faster than stacking get(i) (TensorDataset can).
 */
import type { Tensor } from "../tensor/tensor";
import { fmtShape } from "../tensor/shape";
import { noGrad } from "../autograd/mode";
import { indexSelect, stack } from "../ops/view";

export interface Dataset {
  readonly length: number;
  get(index: number): Tensor[];
  batch?(indices: ArrayLike<number>): Tensor[];
}

/** Samples are the rows (first dimension) of the given tensors: `new TensorDataset(x, y)`. */
export class TensorDataset implements Dataset {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error("TensorDataset: give at least one tensor, e.g. new TensorDataset(x, y).");
    const n = tensors[0].shape[0];
    for (const [i, t] of tensors.entries()) {
      if (t.ndim === 0 || t.shape[0] !== n) {
        throw new Error(
          `TensorDataset: every tensor needs the same number of rows (samples); tensor 0 has shape ${fmtShape(tensors[0].shape)} ` +
            `but tensor ${i} has ${fmtShape(t.shape)}.`,
        );
      }
    }
    this.tensors = tensors.map((t) => t.detach());
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(index: number): Tensor[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`TensorDataset.get(${index}): the dataset has ${this.length} samples (0…${this.length - 1}).`);
    }
    return noGrad(() => this.tensors.map((t) => t.get(index)));
  }

  batch(indices: ArrayLike<number>): Tensor[] {
    return noGrad(() => this.tensors.map((t) => indexSelect(t, 0, indices)));
  }
}

/** Stack samples fetched one by one (for datasets without batch()). */
export function collate(dataset: Dataset, indices: ArrayLike<number>): Tensor[] {
  if (dataset.batch) return dataset.batch(indices);
  const samples: Tensor[][] = [];
  for (let i = 0; i < indices.length; i++) samples.push(dataset.get(indices[i]));
  return noGrad(() =>
    samples[0].map((_, k) =>
      stack(
        samples.map((s) => s[k]),
        0,
      ),
    ),
  );
}
