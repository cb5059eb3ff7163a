/**
 * EarlyStopping: stop when the monitored value (validation loss by default) has not improved for
 * `patience` epochs, and optionally put back the weights of the best epoch.
 *
 * Rule (Keras's): an epoch improves when value < best − minDelta (mode "min") or
 * value > best + minDelta ("max"); otherwise `wait` grows, and training stops once wait ≥ patience
 * (patience 0 stops at the first epoch that does not improve). Mode "auto" is "max" for names
 * containing "acc", else "min".
 *
 * restoreBest: the best epoch's parameters are copied aside when it happens, and loaded back into
 * the model when training ends, whether it stopped early or ran all its epochs. (TensorFlow.js
 * accepts `restoreBestWeights` but throws "not supported yet".)
 *
 * Works as a fit() callback, or by hand in your own loop:
 *   if (stopper.update(epoch, valLoss, model)) break;   ...   stopper.restore(model);
 */
import type { Module, StateDict } from "../nn/module";
import type { Callback, TrainContext, EpochLogs } from "../train/callbacks";

export interface EarlyStoppingOptions {
  monitor?: string;
  patience?: number;
  minDelta?: number;
  mode?: "min" | "max" | "auto";
  restoreBest?: boolean;
  /** Print a line when stopping or restoring (default false). */
  verbose?: boolean;
}

export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: "min" | "max";
  readonly restoreBest: boolean;
  readonly verbose: boolean;
  /** Best value seen and the (1-based) epoch it was seen at. */
  best: number = NaN;
  bestEpoch: number = 0;
  /** Epochs since the last improvement. */
  wait: number = 0;
  /** The epoch at which it asked to stop (0: it did not). */
  stoppedEpoch: number = 0;
  /** The epoch whose weights were put back (0: none). */
  restoredEpoch: number = 0;
  private bestState: StateDict | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? "val_loss";
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    const mode = options.mode ?? "auto";
    if (mode !== "min" && mode !== "max" && mode !== "auto")
      throw new Error(`EarlyStopping: mode must be "min", "max" or "auto", got ${JSON.stringify(mode)}.`);
    this.mode = mode === "auto" ? (this.monitor.includes("acc") ? "max" : "min") : mode;
    this.restoreBest = options.restoreBest ?? false;
    this.verbose = options.verbose ?? false;
    if (!Number.isInteger(this.patience) || this.patience < 0)
      throw new RangeError(`EarlyStopping: patience must be a non-negative integer, got ${this.patience}.`);
    this.reset();
  }

  reset(): void {
    this.best = this.mode === "min" ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.restoredEpoch = 0;
    this.bestState = null;
  }

  private improves(value: number): boolean {
    return this.mode === "min" ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  /** Record one epoch's value; returns true when training should stop. */
  update(epoch: number, value: number, model?: Module): boolean {
    if (this.improves(value)) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBest && model) this.bestState = model.stateDict();
      return false;
    }
    this.wait += 1;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      return true;
    }
    return false;
  }

  /** Load the best epoch's weights back into `model` (if restoreBest saw one). Returns that epoch or 0. */
  restore(model: Module): number {
    if (!this.bestState) return 0;
    model.loadStateDict(this.bestState);
    this.restoredEpoch = this.bestEpoch;
    if (this.verbose) console.log(`EarlyStopping: restored the weights of epoch ${this.bestEpoch} (${this.monitor} = ${this.best}).`);
    return this.bestEpoch;
  }

  onTrainBegin(_ctx: TrainContext): void {
    this.reset();
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new Error(
        `EarlyStopping: monitor "${this.monitor}" is not among this epoch's logs (${Object.keys(logs).join(", ")}). ` +
          (this.monitor.startsWith("val_") ? 'Pass validation data to fit ({ val: ... }) or monitor "loss".' : "Check the metric's name."),
      );
    }
    if (this.update(epoch, value, ctx.model)) {
      ctx.stopTraining = true;
      if (this.verbose) console.log(`EarlyStopping: stopped at epoch ${epoch}; best ${this.monitor} ${this.best} at epoch ${this.bestEpoch}.`);
    }
  }

  onTrainEnd(ctx: TrainContext): void {
    if (this.restoreBest) this.restore(ctx.model);
  }
}
