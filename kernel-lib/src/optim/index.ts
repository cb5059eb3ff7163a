/**
 * Optimisers equal to PyTorch's step for step, one file each with its update rule at the top, and
 * learning-rate schedulers. `new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`.
 */
export { Optimizer } from "./optimizer";
import type { BaseHyper, Optimizer as OptimizerBase, StateValue } from "./optimizer";
/** Any of the optimisers, e.g. for a table of them: `Record<string, (p: Tensor[]) => optim.AnyOptimizer>`. */
export type AnyOptimizer = OptimizerBase<BaseHyper, { [k: string]: StateValue }>;
export type { BaseHyper, ParamGroup, ParamGroupInput, ParamsInput, OptimizerStateDict, StateValue, Closure } from "./optimizer";
export { SGD, sgdStep, sgdDefaults } from "./sgd";
export type { SGDHyper, SGDOptions, SGDState } from "./sgd";
export { Adagrad, adagradStep, adagradDefaults } from "./adagrad";
export type { AdagradHyper, AdagradOptions, AdagradState } from "./adagrad";
export { RMSprop, rmspropStep, rmspropDefaults } from "./rmsprop";
export type { RMSpropHyper, RMSpropOptions, RMSpropState } from "./rmsprop";
export { Adam, adamStep, adamDefaults } from "./adam";
export type { AdamHyper, AdamOptions, AdamState } from "./adam";
export { AdamW, adamwDefaults } from "./adamw";
export type { AdamWHyper, AdamWOptions } from "./adamw";
export { LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR } from "./lr-scheduler";
export type { LRSchedulerStateDict } from "./lr-scheduler";
