/**
 * nnlab: tensors with reverse-mode autograd, layers, optimisers equal to PyTorch's, plots.
 * `import * as nn from "nnlab"` in a notebook, or pick names: `import { tensor, F } from "nnlab"`.
 */
export const version: string = "0.1.0";

export { Tensor } from "./tensor/tensor";
export type { TensorLike, NestedArray, BackwardFn } from "./tensor/tensor";
export type { DType, FloatArray } from "./tensor/dtype";
export { ShapeError } from "./tensor/shape";
export { checkBuffers, clearFreeList } from "./tensor/buffer-pool";
export { tensor, fromArray, zeros, ones, full, zerosLike, onesLike, arange, linspace, eye, rand, randn, randint } from "./tensor/create";
export type { TensorOptions, RandomOptions } from "./tensor/create";
export { seed, Generator, defaultGenerator } from "./tensor/random";

export { add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge } from "./ops/elementwise";
export { neg, exp, log, sqrt, abs, square, sign, clamp } from "./ops/unary";
export { sum, mean, max, min, argmax, argmin, norm } from "./ops/reduce";
export { matmul, dot, outer } from "./ops/matmul";
export { reshape, permute, transpose, squeeze, unsqueeze, flatten, select, slice, indexSelect, cat, stack } from "./ops/view";

export { noGrad, isGradEnabled, setGradEnabled } from "./autograd/mode";
export { getNumThreads, setNumThreads } from "./kernels/gemm";
export { setBackend, backendInfo } from "./kernels/backend";
export type { Backend, BackendChoice, BackendInfo } from "./kernels/backend";
export { gradcheck } from "./autograd/gradcheck";
export type { GradcheckOptions, GradcheckReport } from "./autograd/gradcheck";

export * as F from "./functional/index";
export { sigmoid } from "./functional/activations/sigmoid";
export { tanh } from "./functional/activations/tanh";
export { relu } from "./functional/activations/relu";
export { leakyRelu } from "./functional/activations/leaky-relu";
export { softmax, logSoftmax } from "./functional/softmax";

export { display, newDisplay, inKernel, displayBundle, clearOutput } from "./display/index";
export type { LiveDisplay, MimeBundle } from "./display/index";
export { jupyterDisplaySymbol, toMimeBundle } from "./display/index";
export type { DisplayBundleOptions, Displayable } from "./display/index";
export * as plot from "./plot/index";
export * as widgets from "./widgets/index";

export * as nn from "./nn/index";
export * as data from "./data/index";
export * as train from "./train/index";
export * as regularize from "./regularize/index";
export {
  Module,
  parameter,
  Sequential,
  Linear,
  Neuron,
  Conv1d,
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  Flatten,
  Dropout,
  Sigmoid,
  Tanh,
  ReLU,
  LeakyReLU,
  Softmax,
  Maxout,
} from "./nn/index";
export { DataLoader, TensorDataset, mnist } from "./data/index";
export { fit, fitSync, evaluate, History, TrainingDivergedError, accuracy } from "./train/index";
export type { Callback, FitOptions } from "./train/index";
export { l1Penalty, l2Penalty, EarlyStopping } from "./regularize/index";

export { verify, verifyTrue, VerifyError } from "./verify";
export type { VerifyOptions, Verifiable } from "./verify";

export * as optim from "./optim/index";
export { SGD, Adagrad, RMSprop, Adam, AdamW, StepLR, CosineAnnealingLR, ExponentialLR } from "./optim/index";
