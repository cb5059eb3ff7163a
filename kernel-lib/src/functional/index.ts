/** The `F` namespace (PyTorch's torch.nn.functional): activations and losses as functions. */
export { sigmoid, sigmoidScalar } from "./activations/sigmoid";
export { tanh } from "./activations/tanh";
export { relu } from "./activations/relu";
export { leakyRelu } from "./activations/leaky-relu";
export { derivative } from "./activations/registry";
export { softmax, logSoftmax } from "./softmax";
export { softplus } from "./softplus";
export { mseLoss, binaryCrossEntropy, bceWithLogits, crossEntropy, nllLoss } from "./losses";
export type { Reduction, NllOptions, CrossEntropyOptions } from "./losses";
export { linear } from "./linear";
export { conv1d, conv2d } from "./conv";
export { maxPool2d, avgPool2d } from "./pool";
export { dropout } from "./dropout";
export { maxout } from "./maxout";
