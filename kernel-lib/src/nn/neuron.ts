/**
 * Neuron: one unit in the article's notation. Weights w (one per input) and a bias b give
 * z = w·x + b = w₁x₁ + … + wₙxₙ + b, and the output is a = σ(z). After each forward pass the neuron
 * keeps that z and a, so a notebook can print them.
 */
import type { Tensor } from "../tensor/tensor";
import { zeros } from "../tensor/create";
import { fmtShape, ShapeError } from "../tensor/shape";
import { type ActivationName, activation, activationNames, isActivationName } from "../functional/activations/registry";
import { Module, parameter } from "./module";
import { uniform_ } from "./init";

/** A name from the activation registry (functional/activations/), or any function of a Tensor. */
export type ActivationSpec = ActivationName | ((z: Tensor) => Tensor);

export function activationFn(spec: ActivationSpec): (z: Tensor) => Tensor {
  if (typeof spec === "function") return spec;
  if (!isActivationName(spec)) {
    const names = activationNames.map((n) => JSON.stringify(n)).join(", ");
    throw new Error(`activation: unknown ${JSON.stringify(spec)}; use ${names} or a function of a Tensor.`);
  }
  const { op } = activation(spec);
  return (z) => op(z);
}

export class Neuron extends Module {
  readonly nIn: number;
  readonly activation: ActivationSpec;
  /** Incoming weights [nIn]. */
  w: Tensor;
  /** Bias (a 0-d tensor). */
  b: Tensor;
  private _z: Tensor | null = null;
  private _a: Tensor | null = null;
  private readonly _sigma: (z: Tensor) => Tensor;

  /** Weights start U(−1/√nIn, 1/√nIn) like Linear's; set them with `neuron.w.data.set([...])`. */
  constructor(nIn: number, activation: ActivationSpec = "sigmoid") {
    super();
    if (!Number.isInteger(nIn) || nIn < 1) throw new RangeError(`Neuron: nIn must be a positive integer, got ${nIn}.`);
    this.nIn = nIn;
    this.activation = activation;
    this._sigma = activationFn(activation);
    const bound = 1 / Math.sqrt(nIn);
    this.w = parameter(uniform_(zeros([nIn]), -bound, bound));
    this.b = parameter(uniform_(zeros([]), -bound, bound));
  }

  /** x [nIn] (one input) or [N, nIn] (a batch) → a [] or [N]. */
  forward(x: Tensor): Tensor {
    if (x.shape[x.ndim - 1] !== this.nIn || x.ndim > 2) {
      throw new ShapeError(
        `Neuron.forward: input ${fmtShape(x.shape)} does not fit a neuron with ${this.nIn} inputs (expected [${this.nIn}] or [N, ${this.nIn}]).`,
      );
    }
    this._z = x.matmul(this.w).add(this.b);
    this._a = this._sigma(this._z);
    return this._a;
  }

  /** z = w·x + b of the last forward pass. */
  get z(): Tensor | null {
    return this._z;
  }
  /** a = σ(z) of the last forward pass. */
  get a(): Tensor | null {
    return this._a;
  }

  override extraRepr(): string {
    const act = typeof this.activation === "function" ? this.activation.name || "custom" : this.activation;
    return `n_in=${this.nIn}, activation=${act}`;
  }
}
