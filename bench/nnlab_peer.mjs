// nnlab's side of the benchmarks: `node bench/nnlab_peer.mjs <case>` prints one JSON line.
// Imports the built library (kernel-lib/dist): run `npm run build` first.
import { createRequire } from "node:module";
import { cases, measure } from "./workloads.mjs";
import { classifierSteps, weightDecaySteps } from "./nnlab-problems.mjs";

const require = createRequire(import.meta.url);
const nnlab = require("../kernel-lib/dist/index.js");

function classifier(kind, dtype) {
  const { w, batch } = classifierSteps(kind, dtype);
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

function weightDecay(dtype) {
  const { w, weight, one } = weightDecaySteps(dtype);
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
const { warmup, once } = c.workload === "wd" ? weightDecay(c.dtype) : classifier(c.workload, c.dtype);
const result = await measure(warmup, once);
// Whether the worker threads took part (only products of ≥ 2²⁰ multiply-adds in float64, 2²² in float32 are split).
const { workerRectCount } = require("../kernel-lib/dist/kernels/gemm-wasm.js");
const threads = { threads: nnlab.getNumThreads(), workerRects: workerRectCount() };
// Which back end did the products: the BLAS (which library, how many threads) or WebAssembly.
const { backend, library, path: blasPath, threads: backendThreads } = nnlab.backendInfo();
const cpu = (await import("node:os")).cpus()[0]?.model ?? "unknown";
console.log(JSON.stringify({ peer: "nnlab", case: name, ...result, ...threads, backend, library, blasPath, backendThreads, cpu }));
