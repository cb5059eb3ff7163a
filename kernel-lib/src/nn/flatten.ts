/** Flatten: [N, C, H, W] → [N, C·H·W] (dims startDim…endDim merged; PyTorch's defaults 1 and −1). */
import type { Tensor } from "../tensor/tensor";
import { flatten } from "../ops/view";
import { Module } from "./module";

export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim: number = 1, endDim: number = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
