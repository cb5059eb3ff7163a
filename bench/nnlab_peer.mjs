// nnlab's side of the benchmarks: `node bench/nnlab_peer.mjs <case>` prints one JSON line.
// Imports the built library (kernel-lib/dist): run `npm run build` first.
import { createRequire } from "node:module";
import { cases, measure, workloads } from "./workloads.mjs";
import { rows, weightDecayProblem } from "./nnlab-problems.mjs";

const require = createRequire(import.meta.url);
const nnlab = require("../kernel-lib/dist/index.js");
const nn = require("../kernel-lib/dist/nn/index.js");
const optim = require("../kernel-lib/dist/optim/index.js");
const { Tensor, F } = nnlab;

function classifier(w, dtype, model) {
  nnlab.seed(0);
  const shape = w.inputs ? [w.samples, w.inputs] : [w.samples, 1, w.side, w.side];
  const X = nnlab.rand(shape, { dtype });
  const y = Float64Array.from({ length: w.samples }, (_, i) => (i * 7 + (i >> 3)) % w.classes);
  const opt = new optim.SGD(model.parameters(), { lr: w.lr, momentum: w.momentum });
  const batch = (i) => {
    const end = Math.min(i + w.batch, w.samples);
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(rows(X, i, end)), y.subarray(i, end));
    loss.backward();
    opt.step();
    return loss.item();
  };
  return {
    warmup: () => {
      for (let k = 0; k < 20; k++) batch(k * w.batch);
    },
    once: () => {
      let last = NaN;
      for (let i = 0; i < w.samples; i += w.batch) last = batch(i);
      return { lastLoss: last };
    },
  };
}

function mlp(dtype) {
  const w = workloads.mlp;
  const model = new nn.Sequential(new nn.Linear(w.inputs, w.hidden, { dtype }), new nn.ReLU(), new nn.Linear(w.hidden, w.classes, { dtype }));
  return classifier(w, dtype, model);
}

function cnn(dtype) {
  const w = workloads.cnn;
  const side = Math.floor((w.side - w.kernel + 1) / w.pool);
  const model = new nn.Sequential(
    new nn.Conv2d(1, w.channels, w.kernel, { dtype }),
    new nn.ReLU(),
    new nn.MaxPool2d(w.pool),
    new nn.Flatten(),
    new nn.Linear(w.channels * side * side, w.classes, { dtype }),
  );
  return classifier(w, dtype, model);
}

// The article's linear model written with tensor ops: ŷ = X·w + b, loss = mean((ŷ − y)²)/2 + λ/2·‖w‖².
function weightDecay(dtype) {
  const { w, X, y, weight, bias, opt } = weightDecayProblem(dtype);
  let step = 0;
  const one = () => {
    const i = (step++ * w.batch) % w.samples;
    opt.zeroGrad();
    const r = rows(X, i, i + w.batch).matmul(weight).add(bias).sub(rows(y, i, i + w.batch));
    const loss = r.square().mean().mul(0.5).add(weight.square().sum().mul(w.lambda / 2));
    loss.backward();
    opt.step();
    return loss;
  };
  return {
    // One whole unit of warm-up (as torch_peer.py does): 50 steps left the JIT still compiling
    // the ops' hot paths into the first timed runs. The first-run time is in `runs`.
    warmup: () => {
      for (let k = 0; k < w.steps; k++) one();
    },
    once: () => {
      let loss;
      for (let k = 0; k < w.steps; k++) loss = one();
      return { lastLoss: loss.item(), wNorm: Math.hypot(...weight.data) };
    },
  };
}

const name = process.argv[2];
const c = cases[name];
if (!c) {
  console.error(`nnlab_peer: unknown case ${name}; cases: ${Object.keys(cases).join(", ")}`);
  process.exit(2);
}
const make = { mlp, cnn, wd: weightDecay }[c.workload];
const { warmup, once } = make(c.dtype);
const result = await measure(warmup, once);
// Whether the worker threads took part (only products of ≥ 2²⁰ multiply-adds in float64, 2²² in float32 are split).
const { workerRectCount } = require("../kernel-lib/dist/kernels/gemm-wasm.js");
const threads = { threads: nnlab.getNumThreads(), workerRects: workerRectCount() };
console.log(JSON.stringify({ peer: "nnlab", case: name, ...result, ...threads }));
