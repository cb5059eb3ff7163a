/**
 * The training loop: for each epoch, for each batch, zero the gradients, run the model, compute the
 * loss, backpropagate, check that nothing turned NaN or infinite, and let the optimiser step; then
 * evaluate on the validation data and call the callbacks. Returns the History.
 *
 * `fit` is async: inside a notebook it pauses briefly every ~100 ms so the live progress output
 * (status line and loss curve, updated in place) reaches the front end while training runs.
 * Use `await fit(...)`. `fitSync` is the same loop without pauses (plain scripts, tests).
 */
import type { Tensor } from "../tensor/tensor";
import { fmtShape } from "../tensor/shape";
import { noGrad } from "../autograd/mode";
import type { Module } from "../nn/module";
import { DataLoader } from "../data/loader";
import type { Dataset } from "../data/dataset";
import { mseLoss, crossEntropy, binaryCrossEntropy, bceWithLogits, nllLoss } from "../functional/losses";
import { inKernel } from "../display/kernel";
import { trainingProgress, type LiveLossPlot } from "../plot/progress";
import type { Callback, EpochLogs, TrainContext } from "./callbacks";
import { History } from "./history";
import { resolveMetrics, type MetricFn } from "./metrics";

export type LossFn = (output: Tensor, target: Tensor) => Tensor;
export type LossName = "mse" | "crossEntropy" | "bce" | "bceWithLogits" | "nll";

/** Anything with PyTorch's optimiser interface (nnlab's optim classes, or your own). */
export interface OptimizerLike {
  step(): void;
  zeroGrad(): void;
}

/** Data for fit/evaluate: a DataLoader, a Dataset, or [inputs, targets] tensors. */
export type DataSource = DataLoader | Dataset | Tensor[];

export interface FitOptions {
  train: DataSource;
  val?: DataSource;
  loss: LossFn | LossName;
  optimizer: OptimizerLike;
  /** Default 1. */
  epochs?: number;
  /** When `train` is not a DataLoader: batch size (default 32) and shuffling (default true, seeded). */
  batchSize?: number;
  shuffle?: boolean;
  callbacks?: Callback[];
  /** ["accuracy"] or {name: (output, target) => number}; logged as name and val_name. */
  metrics?: Record<string, MetricFn> | string[];
  /** Live output in a notebook (default true; nothing is shown outside a kernel). */
  progress?: boolean;
  /** Outside a notebook, print one line per epoch (default false). */
  verbose?: boolean;
  /** Stop with an error when the loss or a gradient is NaN or infinite (default true). */
  checkFinite?: boolean;
}

export interface EvaluateOptions {
  loss?: LossFn | LossName | undefined;
  metrics?: Record<string, MetricFn> | string[] | undefined;
  /** When `data` is not a DataLoader (default 256). */
  batchSize?: number | undefined;
}

/** Training produced NaN or ±Infinity; says where. */
export class TrainingDivergedError extends Error {
  readonly epoch: number;
  readonly step: number;
  /** The parameter whose gradient was not finite, or null when the loss itself was not. */
  readonly parameter: string | null;
  constructor(message: string, epoch: number, step: number, parameter: string | null) {
    super(message);
    this.name = "TrainingDivergedError";
    this.epoch = epoch;
    this.step = step;
    this.parameter = parameter;
  }
}

const lossesByName: Record<LossName, LossFn> = {
  mse: (o, t) => mseLoss(o, t),
  crossEntropy: (o, t) => crossEntropy(o, t),
  bce: (o, t) => binaryCrossEntropy(o, t),
  bceWithLogits: (o, t) => bceWithLogits(o, t),
  nll: (o, t) => nllLoss(o, t),
};

function resolveLoss(loss: LossFn | LossName | undefined, op: string): LossFn {
  if (typeof loss === "function") return loss;
  if (loss !== undefined && loss in lossesByName) return lossesByName[loss];
  throw new Error(
    `${op}: loss must be a function (output, target) => Tensor or one of ${Object.keys(lossesByName)
      .map((k) => `"${k}"`)
      .join(", ")}; got ${JSON.stringify(loss)}.`,
  );
}

function toLoader(data: DataSource, batchSize: number, shuffle: boolean): DataLoader {
  if (data instanceof DataLoader) return data;
  return new DataLoader(data, { batchSize, shuffle });
}

function batchPair(batch: Tensor[], op: string): [Tensor, Tensor] {
  if (batch.length < 2) throw new Error(`${op}: each batch must be [inputs, targets]; the data gave ${batch.length} tensor(s).`);
  return [batch[0], batch[1]];
}

/** Mean loss and metrics of `model` over `data`, in eval mode and without building a graph. */
export function evaluate(model: Module, data: DataSource, options: EvaluateOptions = {}): Record<string, number> {
  const lossFn = options.loss === undefined ? null : resolveLoss(options.loss, "evaluate");
  const metrics = resolveMetrics(options.metrics);
  const loader = toLoader(data, options.batchSize ?? 256, false);
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const sums: Record<string, number> = {};
      let n = 0;
      for (const batch of loader) {
        const [x, y] = batchPair(batch, "evaluate");
        const out = model.forward(x);
        const bs = x.shape[0] ?? 1;
        if (lossFn) sums.loss = (sums.loss ?? 0) + lossFn(out, y).item() * bs;
        for (const [name, f] of metrics) sums[name] = (sums[name] ?? 0) + f(out, y) * bs;
        n += bs;
      }
      const res: Record<string, number> = {};
      for (const [k, v] of Object.entries(sums)) res[k] = v / n;
      return res;
    });
  } finally {
    model.train(wasTraining);
  }
}

function firstNonFinite(d: ArrayLike<number>): number {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return i;
  return -1;
}

/** The loop as a generator: it yields after every step so that `fit` can pause for the display. */
function* loop(model: Module, options: FitOptions, history: History): Generator<void, History> {
  const run = setUp(model, options, history);
  for (const cb of run.callbacks) cb.onTrainBegin?.(run.ctx);
  try {
    for (let epoch = 1; epoch <= run.epochs; epoch++) {
      model.train();
      for (const cb of run.callbacks) cb.onEpochBegin?.(epoch, run.ctx);
      const tally: EpochTally = { sums: { loss: 0 }, seen: 0, started: performance.now() };
      let step = 0;
      for (const batch of run.train) {
        step++;
        const [x, y] = batchPair(batch, "fit");
        const { out, loss } = trainStep(run, x, y, epoch, step);
        recordStep(run, tally, { out, y, loss, epoch, step, batchSize: x.shape[0] ?? 1 });
        yield;
      }
      if (endEpoch(run, epoch, tally)) break;
    }
  } finally {
    run.progress?.end();
  }
  for (const cb of run.callbacks) cb.onTrainEnd?.(run.ctx);
  return history;
}

/** What one fit() run works with, checked and resolved once before the first step. */
interface FitRun {
  model: Module;
  options: FitOptions;
  optimizer: FitOptions["optimizer"];
  lossFn: LossFn;
  metrics: ReturnType<typeof resolveMetrics>;
  epochs: number;
  train: DataLoader;
  checkFinite: boolean;
  callbacks: NonNullable<FitOptions["callbacks"]>;
  named: [string, Tensor][];
  ctx: TrainContext;
  history: History;
  progress: LiveLossPlot | null;
}

function setUp(model: Module, options: FitOptions, history: History): FitRun {
  const lossFn = resolveLoss(options.loss, "fit");
  const metrics = resolveMetrics(options.metrics);
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}.`);
  if (!options.optimizer || typeof options.optimizer.step !== "function" || typeof options.optimizer.zeroGrad !== "function") {
    throw new Error("fit: optimizer must have step() and zeroGrad(), e.g. new optim.SGD(model.parameters(), { lr: 0.1 }).");
  }
  const train = toLoader(options.train, options.batchSize ?? 32, options.shuffle ?? true);
  const ctx: TrainContext = { model, epochs, steps: train.length, history, stopTraining: false };
  const show = (options.progress ?? true) && inKernel();
  return {
    model,
    options,
    optimizer: options.optimizer,
    lossFn,
    metrics,
    epochs,
    train,
    history,
    ctx,
    checkFinite: options.checkFinite ?? true,
    callbacks: options.callbacks ?? [],
    named: model.namedParameters(),
    progress: show || options.verbose ? trainingProgress({ verbose: options.verbose ?? false }) : null,
  };
}

/** One step of gradient descent on a batch: the idea of training, with its checks. */
function trainStep(run: FitRun, x: Tensor, y: Tensor, epoch: number, step: number): { out: Tensor; loss: number } {
  run.optimizer.zeroGrad();
  run.model.zeroGrad();
  const out = run.model.forward(x);
  const loss = run.lossFn(out, y);
  if (loss.size !== 1) throw new Error(`fit: the loss must be a scalar, got shape ${fmtShape(loss.shape)} (use reduction "mean").`);
  const value = loss.item();
  if (run.checkFinite) checkLoss(run, value, epoch, step);
  loss.backward();
  if (run.checkFinite) checkGradients(run, value, epoch, step);
  run.optimizer.step();
  return { out, loss: value };
}

function checkLoss(run: FitRun, value: number, epoch: number, step: number): void {
  if (Number.isFinite(value)) return;
  throw new TrainingDivergedError(
    `fit: the loss became ${value} at epoch ${epoch}, step ${step} (of ${run.train.length}). Lower the learning rate, check the data for NaN, ` +
      "or use a stable loss on raw scores (bceWithLogits, crossEntropy).",
    epoch,
    step,
    null,
  );
}

function checkGradients(run: FitRun, value: number, epoch: number, step: number): void {
  for (const [name, p] of run.named) {
    const grad = p.grad;
    if (!grad) continue;
    const i = firstNonFinite(grad.data);
    if (i >= 0) {
      throw new TrainingDivergedError(
        `fit: the gradient of parameter "${name}" (shape ${fmtShape(p.shape)}) is ${grad.data[i]} at element ${i}, ` +
          `epoch ${epoch}, step ${step} (of ${run.train.length}); the loss was ${value}. Lower the learning rate or clip the inputs.`,
        epoch,
        step,
        name,
      );
    }
  }
}

/** Sums over an epoch's batches, weighted by batch size. */
interface EpochTally {
  sums: Record<string, number>;
  seen: number;
  started: number;
}

/** After a step: the loss and metrics into the tally and history, then the callbacks and the progress display. */
function recordStep(
  run: FitRun,
  tally: EpochTally,
  s: { out: Tensor; y: Tensor; loss: number; epoch: number; step: number; batchSize: number },
): void {
  const bs = s.batchSize;
  run.history.stepLoss.push(s.loss);
  tally.sums.loss += s.loss * bs;
  if (run.metrics.length)
    noGrad(() => {
      for (const [mname, f] of run.metrics) tally.sums[mname] = (tally.sums[mname] ?? 0) + f(s.out, s.y) * bs;
    });
  tally.seen += bs;
  for (const cb of run.callbacks) cb.onBatchEnd?.({ epoch: s.epoch, step: s.step, loss: s.loss, batchSize: bs }, run.ctx);
  run.progress?.update({
    epoch: s.epoch,
    epochs: run.epochs,
    step: s.step,
    steps: run.train.length,
    loss: s.loss,
    samplesPerSec: (tally.seen * 1000) / Math.max(1e-9, performance.now() - tally.started),
  });
}

/** The epoch's logs (means, validation), recorded and shown; true when a callback asked to stop. */
function endEpoch(run: FitRun, epoch: number, tally: EpochTally): boolean {
  const logs: EpochLogs = {};
  for (const [k, v] of Object.entries(tally.sums)) logs[k] = v / Math.max(tally.seen, 1);
  if (run.options.val !== undefined) {
    const batchSize = run.options.batchSize;
    const v = evaluate(run.model, run.options.val, {
      loss: run.lossFn,
      metrics: Object.fromEntries(run.metrics),
      ...(batchSize !== undefined ? { batchSize } : {}),
    });
    for (const [k, val] of Object.entries(v)) logs[`val_${k}`] = val;
  }
  run.history.record(epoch, logs);
  const metricLogs: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs)) if (k !== "loss" && k !== "val_loss") metricLogs[k] = v;
  const samplesPerSec = (tally.seen * 1000) / Math.max(1e-9, performance.now() - tally.started);
  run.progress?.update({ epoch, epochs: run.epochs, loss: logs.loss, valLoss: logs.val_loss, metrics: metricLogs, samplesPerSec });
  for (const cb of run.callbacks) cb.onEpochEnd?.(epoch, logs, run.ctx);
  if (!run.ctx.stopTraining) return false;
  run.history.stoppedEarly = epoch < run.epochs;
  return true;
}

/**
 * Train `model`; returns per-epoch losses and metrics. Epochs and steps count from 1.
 *   const history = await fit(model, { train: [x, y], loss: "crossEntropy", optimizer, epochs: 10, metrics: ["accuracy"] });
 */
export async function fit(model: Module, options: FitOptions): Promise<History> {
  const history = new History();
  const it = loop(model, options, history);
  // Pausing only inside a kernel: elsewhere nobody is waiting for display messages.
  const pause = inKernel();
  let last = performance.now();
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    if (pause && performance.now() - last > 100) {
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
    }
  }
}

/** The same loop as {@link fit}, run to the end without pausing (for scripts and tests). */
export function fitSync(model: Module, options: FitOptions): History {
  const history = new History();
  const it = loop(model, options, history);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}
