/** Conv1d and Conv2d layers: weight [out, in, k…] and bias [out], PyTorch's default init (U(±1/√(in·k…))). */
import type { Tensor } from "../tensor/tensor";
import { zeros, type TensorOptions } from "../tensor/create";
import { conv1d, conv2d } from "../functional/conv";
import { Module, parameter } from "./module";
import { defaultInit } from "./init";

export interface ConvLayerOptions {
  stride?: number;
  padding?: number;
  bias?: boolean;
  dtype?: TensorOptions["dtype"];
}

function squareSize(op: string, k: number | [number, number]): [number, number] {
  const [kh, kw] = typeof k === "number" ? [k, k] : k;
  for (const v of [kh, kw])
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${op}: kernelSize must be positive integers, got ${JSON.stringify(k)}.`);
  return [kh, kw];
}

export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: number;
  readonly padding: number;
  weight: Tensor;
  bias: Tensor | null;

  /** kernelSize: a number (square) or [kh, kw]; stride and padding apply to both axes. */
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], options: ConvLayerOptions = {}) {
    super();
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = squareSize("Conv2d", kernelSize);
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.weight = parameter(zeros([outChannels, inChannels, ...this.kernelSize], { dtype: options.dtype }));
    this.bias = options.bias === false ? null : parameter(zeros([outChannels], { dtype: options.dtype }));
    defaultInit(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  override extraRepr(): string {
    const [kh, kw] = this.kernelSize;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=(${kh}, ${kw}), stride=(${this.stride}, ${this.stride})`;
    if (this.padding) s += `, padding=(${this.padding}, ${this.padding})`;
    if (!this.bias) s += ", bias=False";
    return s;
  }
}

export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: ConvLayerOptions = {}) {
    super();
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.weight = parameter(zeros([outChannels, inChannels, kernelSize], { dtype: options.dtype }));
    this.bias = options.bias === false ? null : parameter(zeros([outChannels], { dtype: options.dtype }));
    defaultInit(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize},), stride=(${this.stride},)`;
    if (this.padding) s += `, padding=(${this.padding},)`;
    if (!this.bias) s += ", bias=False";
    return s;
  }
}
