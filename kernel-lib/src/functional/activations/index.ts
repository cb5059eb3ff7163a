/**
 * The activation registry: one line per file in this folder. Neuron, backprop by hand, init and
 * F.derivative read it; an activation added here is known to all of them (see activation.ts).
 */

export * as sigmoid from "./sigmoid";
export * as tanh from "./tanh";
export * as relu from "./relu";
export * as leakyRelu from "./leaky-relu";
export * as linear from "./linear";
