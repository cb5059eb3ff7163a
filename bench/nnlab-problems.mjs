// The benchmark workloads set up in nnlab, shared by bench/nnlab_peer.mjs (the timed comparison),
// bench/breakdown.mjs (the phase-by-phase profile) and bench/paired.mjs (two builds against each
// other), so that all of them time the same thing. `problems(dir)` sets them up on the build in
// `dir` (a kernel-lib/dist); the named exports use this checkout's build.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { workloads } from "./workloads.mjs";

const require = createRequire(import.meta.url);
export const defaultDist = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "kernel-lib", "dist");

export function problems(dir = defaultDist) {
  const dist = path.resolve(dir); // a relative path is the caller's, from the current directory
  const nnlab = require(path.join(dist, "index.js"));
  const nn = require(path.join(dist, "nn", "index.js"));
  const optim = require(path.join(dist, "optim", "index.js"));

  /**
   * zeroGrad, handing the gradients' buffers back for the next backward (Optimizer.releaseGrads:
   * what PyTorch's allocator does by itself, here a call of its own). A build without it zeroes.
   */
  const release = (opt) => (opt.releaseGrads ? opt.releaseGrads() : opt.zeroGrad());

  /** Rows start…end of a tensor as a view, as a DataLoader over a tensor hands out batches. */
  function rows(t, start, end) {
    const width = t.size / t.shape[0];
    return new nnlab.Tensor(t.data.subarray(start * width, end * width), [end - start, ...t.shape.slice(1)]);
  }

  /** The article's linear model for the weight-decay loop: data, parameters and plain SGD. */
  function weightDecayProblem(dtype) {
    const w = workloads.wd;
    nnlab.seed(0);
    const X = nnlab.randn([w.samples, w.features], { dtype });
    const y = X.sum(1, true).mul(0.01).add(0.05);
    const weight = nnlab.randn([w.features, 1], { dtype, requiresGrad: true });
    const bias = nnlab.zeros([1], { dtype, requiresGrad: true });
    return { w, X, y, weight, bias, opt: new optim.SGD([weight, bias], { lr: w.lr }) };
  }

  /**
   * One step of the weight-decay loop per call, the article's model written with tensor ops:
   * ŷ = X·w + b, loss = mean((ŷ − y)²)/2 + λ/2·‖w‖². Returns the loss.
   */
  function weightDecaySteps(dtype) {
    const { w, X, y, weight, bias, opt } = weightDecayProblem(dtype);
    let step = 0;
    const one = () => {
      const i = (step++ * w.batch) % w.samples;
      release(opt);
      const r = rows(X, i, i + w.batch)
        .matmul(weight)
        .add(bias)
        .sub(rows(y, i, i + w.batch));
      const loss = r
        .square()
        .mean()
        .mul(0.5)
        .add(
          weight
            .square()
            .sum()
            .mul(w.lambda / 2),
        );
      loss.backward();
      opt.step();
      return loss;
    };
    return { w, weight, one };
  }

  /** The MLP (784-128-10) or the small CNN of workloads.mjs, and SGD with momentum. */
  function classifierModel(kind, dtype) {
    const w = workloads[kind];
    if (kind === "mlp")
      return new nn.Sequential(new nn.Linear(w.inputs, w.hidden, { dtype }), new nn.ReLU(), new nn.Linear(w.hidden, w.classes, { dtype }));
    const side = Math.floor((w.side - w.kernel + 1) / w.pool);
    return new nn.Sequential(
      new nn.Conv2d(1, w.channels, w.kernel, { dtype }),
      new nn.ReLU(),
      new nn.MaxPool2d(w.pool),
      new nn.Flatten(),
      new nn.Linear(w.channels * side * side, w.classes, { dtype }),
    );
  }

  /** One training batch per call (`batch(i)`: the batch starting at sample i); returns its loss. */
  function classifierSteps(kind, dtype) {
    const w = workloads[kind];
    const model = classifierModel(kind, dtype);
    nnlab.seed(0);
    const shape = w.inputs ? [w.samples, w.inputs] : [w.samples, 1, w.side, w.side];
    const X = nnlab.rand(shape, { dtype });
    const y = Float64Array.from({ length: w.samples }, (_, i) => (i * 7 + (i >> 3)) % w.classes);
    const opt = new optim.SGD(model.parameters(), { lr: w.lr, momentum: w.momentum });
    const batch = (i) => {
      const end = Math.min(i + w.batch, w.samples);
      release(opt);
      const loss = nnlab.F.crossEntropy(model.forward(rows(X, i, end)), y.subarray(i, end));
      loss.backward();
      opt.step();
      return loss.item();
    };
    return { w, batch };
  }

  return { nnlab, nn, optim, rows, weightDecayProblem, weightDecaySteps, classifierSteps };
}

const here = problems();
export const rows = here.rows;
export const weightDecayProblem = here.weightDecayProblem;
export const weightDecaySteps = here.weightDecaySteps;
export const classifierSteps = here.classifierSteps;
