/**
 * Learning-rate schedulers (PyTorch's `torch.optim.lr_scheduler`): each sets every group's `lr`
 * once per epoch. Call `optimizer.step()` for each batch and `scheduler.step()` at the end of
 * each epoch, in that order, as in PyTorch ≥ 1.1.
 *
 *   StepLR             η_e = η₀ · γ^⌊e / stepSize⌋
 *   ExponentialLR      η_e = η₀ · γ^e
 *   CosineAnnealingLR  η_e = η_min + (η₀ − η_min) · (1 + cos(π·e / T_max)) / 2
 *
 * PyTorch computes each epoch's lr from the previous one (the "chainable" form: multiply by γ, or
 * by the ratio of consecutive cosine factors), so that schedulers can be stacked and the lr can be
 * changed by hand in between. This file does the same, so the sequences agree to the last bit and
 * not merely to the closed form's rounding.
 */
import type { BaseHyper, Optimizer, StateValue } from "./optimizer";
import { checkNumber } from "./optimizer";

type AnyOptimizer = Optimizer<BaseHyper, { [k: string]: StateValue }>;

export interface LRSchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  stepCount: number;
}

export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** The lr each group started from (η₀). */
  baseLrs: number[];
  /** Epochs completed: −1 before the constructor's initial step, 0 after it. */
  lastEpoch: number = -1;
  protected stepCount: number = 0;
  private lastLr: number[] = [];

  protected constructor(optimizer: { paramGroups: { lr: number; initialLr?: number }[] }) {
    this.optimizer = optimizer as unknown as AnyOptimizer;
    for (const g of this.optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    this.baseLrs = this.optimizer.paramGroups.map((g) => g.initialLr as number);
  }

  /** The lr of every group for epoch `lastEpoch`, given the current ones. */
  protected abstract computeLr(): number[];

  /** PyTorch's `_initial_step`: subclasses call it once their fields are set. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advance one epoch and set every group's lr. */
  step(): void {
    if (this.stepCount === 1 && this.optimizer.stepCount === 0) {
      // PyTorch's warning too: this order silently skips the first lr of the schedule.
      console.warn(
        `${this.constructor.name}.step() was called before optimizer.step(): the first learning rate of the schedule is skipped. ` +
          "Call optimizer.step() for each batch, then scheduler.step() once at the end of the epoch.",
      );
    }
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.computeLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs.slice();
  }

  /** The lr of every group as last set by this scheduler (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): LRSchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: this.baseLrs.slice(), lastLr: this.lastLr.slice(), stepCount: this.stepCount };
  }

  loadStateDict(sd: LRSchedulerStateDict): void {
    this.lastEpoch = sd.lastEpoch;
    this.baseLrs = sd.baseLrs.slice();
    this.lastLr = sd.lastLr.slice();
    this.stepCount = sd.stepCount;
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** Multiply the lr by γ every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: { paramGroups: { lr: number; initialLr?: number }[] }, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    const { stepSize, gamma = 0.1 } = options ?? {};
    if (!Number.isInteger(stepSize) || stepSize < 1)
      throw new RangeError(`StepLR: stepSize must be a whole number of epochs ≥ 1 (got ${String(stepSize)}).`);
    checkNumber("StepLR", "gamma", gamma, 0);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** Multiply the lr by γ every epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: { paramGroups: { lr: number; initialLr?: number }[] }, options: { gamma: number }) {
    super(optimizer);
    checkNumber("ExponentialLR", "gamma", options?.gamma, 0);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/**
 * Half a cosine from η₀ down to η_min over `tMax` epochs; past tMax it climbs back up (PyTorch's
 * behaviour: the schedule is periodic with period 2·tMax, without restarts).
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: { paramGroups: { lr: number; initialLr?: number }[] }, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    const { tMax, etaMin = 0 } = options ?? {};
    if (!Number.isInteger(tMax) || tMax < 1)
      throw new RangeError(`CosineAnnealingLR: tMax must be a whole number of epochs ≥ 1 (got ${String(tMax)}).`);
    checkNumber("CosineAnnealingLR", "etaMin", etaMin, 0);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch;
    const T = this.tMax;
    const lrs = this.currentLrs();
    if (e === 0) return lrs;
    if ((((e - 1 - T) % (2 * T)) + 2 * T) % (2 * T) === 0) {
      // At the bottom of the cosine the ratio below would be 0/0: step up by the first increment instead.
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - this.etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T));
    return lrs.map((lr) => ratio * (lr - this.etaMin) + this.etaMin);
  }
}
