/** Regularisation: weight penalties and early stopping (weight decay lives in the optimisers). */
export { l2Penalty, l1Penalty, penalizedParameters } from "./penalty";
export type { PenaltyOptions } from "./penalty";
export { EarlyStopping } from "./early-stopping";
export type { EarlyStoppingOptions } from "./early-stopping";
