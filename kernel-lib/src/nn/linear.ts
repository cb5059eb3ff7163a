/** Linear(in, out): y = x·Wᵀ + b with W [out, in] (each row is one neuron's incoming weights). */
import type { Tensor } from "../tensor/tensor";
import { zeros, type TensorOptions } from "../tensor/create";
import { linear } from "../functional/linear";
import { Module, parameter } from "./module";
import { defaultInit } from "./init";

export interface LinearOptions {
  bias?: boolean;
  dtype?: TensorOptions["dtype"];
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [k, v] of [
      ["inFeatures", inFeatures],
      ["outFeatures", outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Linear: ${k} must be a positive integer, got ${v}.`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = parameter(zeros([outFeatures, inFeatures], { dtype: options.dtype }));
    this.bias = options.bias === false ? null : parameter(zeros([outFeatures], { dtype: options.dtype }));
    this.resetParameters();
  }

  /** PyTorch's default: W and b ~ U(−1/√in, 1/√in), from the seeded generator. */
  resetParameters(): void {
    defaultInit(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}
