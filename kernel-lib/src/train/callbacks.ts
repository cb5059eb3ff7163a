/**
 * Callbacks: code that fit() calls at fixed points of training (Keras's hooks). Epochs and steps
 * count from 1. Set `ctx.stopTraining = true` to end training after the current epoch.
 */
import type { Module } from "../nn/module";
import type { History } from "./history";

/** The values of one epoch: "loss", "val_loss", and each metric with and without "val_". */
export type EpochLogs = Record<string, number>;

export interface TrainContext {
  model: Module;
  epochs: number;
  /** Steps (batches) per epoch. */
  steps: number;
  history: History;
  stopTraining: boolean;
}

export interface StepLogs {
  epoch: number;
  step: number;
  loss: number;
  batchSize: number;
}

export interface Callback {
  onTrainBegin?(ctx: TrainContext): void;
  onEpochBegin?(epoch: number, ctx: TrainContext): void;
  onBatchEnd?(logs: StepLogs, ctx: TrainContext): void;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainContext): void;
  onTrainEnd?(ctx: TrainContext): void;
}
