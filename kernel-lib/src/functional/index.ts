/** The `F` namespace (PyTorch's torch.nn.functional): activations and losses as functions. */
export { sigmoid, tanh, relu, leakyRelu, softmax, logSoftmax, softplus, sigmoidScalar, derivative } from "./activations";
export { mseLoss, binaryCrossEntropy, bceWithLogits, crossEntropy, nllLoss } from "./losses";
export type { Reduction, NllOptions, CrossEntropyOptions } from "./losses";
export { linear } from "./linear";
export { conv1d, conv2d } from "./conv";
export { maxPool2d, avgPool2d } from "./pool";
export { dropout } from "./dropout";
export { maxout } from "./maxout";
