/**
 * What the library needs to know of an element-wise activation σ, in one place: each file in this
 * folder exports these names, and activations/index.ts lists the files. Neuron (its `activation`
 * names), backprop by hand (σ(z) and σ′(z) layer by layer), init (the gain) and the layers all read
 * them from there, so a new activation is one new file and one line in index.ts.
 */
import type { Tensor } from "../../tensor/tensor";
import type { Module } from "../../nn/module";

export interface Activation {
  /** σ(z) for one number; `param` is the activation's parameter where it has one (leakyRelu's slope). */
  f(z: number, param?: number): number;
  /** σ′(z) for one number, for plots and for the article's backprop by hand. */
  derivative(z: number, param?: number): number;
  /** σ on a tensor, with its backward (autograd). */
  op(t: Tensor, param?: number): Tensor;
  /** The layer (`new Module(param?)`), as Sequential holds it. */
  Module: new (
    param?: number,
  ) => Module;
  /** The parameter a layer was made with (leakyRelu only), for backprop's layer-by-layer view. */
  paramOf?(layer: Module): number;
  /** The gain an initialiser scales by for this σ (PyTorch's calculate_gain). */
  gain(param?: number): number;
}
