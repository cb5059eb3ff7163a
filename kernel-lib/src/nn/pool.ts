/** MaxPool2d and AvgPool2d layers (square windows; stride defaults to the window size, as in PyTorch). */
import type { Tensor } from "../tensor/tensor";
import { maxPool2d, avgPool2d, type PoolOptions } from "../functional/pool";
import { Module } from "./module";

export class MaxPool2d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  constructor(kernelSize: number, options: PoolOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, dilation=1, ceil_mode=False`;
  }
}

export class AvgPool2d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly countIncludePad: boolean;
  constructor(kernelSize: number, options: PoolOptions & { countIncludePad?: boolean | undefined } = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.countIncludePad = options.countIncludePad ?? true;
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad });
  }
  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}`;
  }
}
