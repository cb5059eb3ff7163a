/**
 * Telling a Tensor from other values without importing the class. nn/module.ts needs it: the
 * activation layers (functional/activations/) extend Module and are loaded by the tensor core, so
 * a run-time import of tensor.ts from module.ts would be a cycle in which, loaded first, module.ts
 * would not yet have defined Module when the layers extend it.
 */
import type { Tensor } from "./tensor";

/** Set to true on Tensor.prototype (tensor.ts). */
export const tensorMark: unique symbol = Symbol("nnlab.Tensor") as never;

export function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && (v as { [tensorMark]?: boolean })[tensorMark] === true;
}
