import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Tensor, tensor, type DType } from "../../kernel-lib/src/index";
import * as optim from "../../kernel-lib/src/optim/index";

/** The objectives of the fixture, built from nnlab ops exactly as make_optim_fixtures.py builds them. */
export const objectives: Record<string, (x: Tensor) => Tensor> = {
  // f = 0.1·x1² + 2·x2²
  quadratic: (x) => tensor([0.1, 2], { dtype: x.dtype }).mul(x).mul(x).sum(),
  // (1 − x)² + 100·(y − x²)²
  rosenbrock: (x) => {
    const a = x.select(0, 0).neg().add(1);
    const b = x.select(0, 1).sub(x.select(0, 0).square());
    return a.square().add(b.square().mul(100));
  },
};

export type OptimizerName = "SGD" | "Adagrad" | "RMSprop" | "Adam" | "AdamW";

type Ctor = new (params: optim.ParamsInput<optim.BaseHyper>, options: Record<string, unknown>) => optim.AnyOptimizer;
export function makeOptimizer(name: OptimizerName, params: optim.ParamsInput<optim.BaseHyper>, options: Record<string, unknown>): optim.AnyOptimizer {
  const ctors: Record<OptimizerName, Ctor> = {
    SGD: optim.SGD as unknown as Ctor,
    Adagrad: optim.Adagrad as unknown as Ctor,
    RMSprop: optim.RMSprop as unknown as Ctor,
    Adam: optim.Adam as unknown as Ctor,
    AdamW: optim.AdamW as unknown as Ctor,
  };
  return new ctors[name](params, options);
}

/** Minimise `fname` from `start` for `steps` steps; the path includes the start. */
export function run(
  fname: string,
  name: OptimizerName,
  options: Record<string, unknown>,
  start: number[],
  steps: number,
  dtype: DType = "float64",
): number[][] {
  const x = tensor(start, { dtype, requiresGrad: true });
  const opt = makeOptimizer(name, [x], options);
  const path = [Array.from(x.data)];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    objectives[fname](x).backward();
    opt.step();
    path.push(Array.from(x.data));
  }
  return path;
}

export interface TrajectoryCase {
  name: string;
  function: string;
  optimizer: OptimizerName;
  options: Record<string, unknown>;
  dtype: DType;
  trajectory: number[][];
}

export interface MultiCase {
  optimizer: OptimizerName;
  defaults: Record<string, unknown>;
  biasGroup: Record<string, unknown>;
  losses: number[];
  trajectory: { W: number[]; b: number[] }[];
}

export interface SchedulerCase {
  scheduler: "StepLR" | "ExponentialLR" | "CosineAnnealingLR";
  options: Record<string, number>;
  groupLrs: number[];
  lrs: number[][];
}

export interface OptimFixture {
  about: string;
  steps: number;
  start: Record<string, number[]>;
  cases: TrajectoryCase[];
  multi: { X: number[][]; Y: number[][]; W0: number[][]; B0: number[]; steps: number; cases: MultiCase[] };
  schedulers: SchedulerCase[];
}

export const fixture: OptimFixture = JSON.parse(readFileSync(join(__dirname, "../fixtures/torch/optim.json"), "utf8"));

/**
 * Largest |a − b| / scale over two paths of equal length, where a coordinate's scale is its size in
 * the reference at that step or the step before. The second term matters where a step cancels a
 * coordinate to ~0 (e.g. x2 = −1.2 + 1.2): what is left there is rounding of the previous value,
 * 1e-16 of it, not of the tiny result.
 */
export function maxRelError(a: number[][], b: number[][]): { error: number; step: number } {
  let error = 0;
  let step = -1;
  for (let s = 0; s < b.length; s++) {
    for (let i = 0; i < b[s].length; i++) {
      const scale = Math.max(Math.abs(b[s][i]), s > 0 ? Math.abs(b[s - 1][i]) : 0, Number.MIN_VALUE);
      const e = Math.abs(a[s][i] - b[s][i]) / scale;
      if (!(e <= error)) {
        error = e;
        step = s;
      }
    }
  }
  return { error, step };
}
