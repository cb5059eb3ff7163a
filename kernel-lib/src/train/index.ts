/** Training: fit (async, live progress in a notebook), fitSync, evaluate, History, callbacks, metrics. */
export { fit, fitSync, evaluate, TrainingDivergedError } from "./fit";
export type { FitOptions, EvaluateOptions, LossFn, LossName, OptimizerLike, DataSource } from "./fit";
export { History } from "./history";
export type { Callback, TrainContext, EpochLogs, StepLogs } from "./callbacks";
export { accuracy, metricsByName } from "./metrics";
export type { MetricFn } from "./metrics";
