// Does each WebAssembly kernel win on the chapter workloads? Each kernel against its plain
// JavaScript path, in one process, on the benchmark workloads of workloads.mjs:
//   node bench/wasm-kernels.mjs [--blocks 100] [--backend auto|wasm] [--clock cpu|wall] [kernel …]
// kernels: gemm matvec relu pool conv block sgd (default: all). For every (kernel, workload, dtype)
// where the kernel runs, blocks of training steps alternate (ABBA…) with the kernel on (A) and off
// (B) on the same model, and each adjacent pair gives one ratio on/off: below 1 the kernel wins.
// The drift of a shared machine cancels out of each ratio (see paired.mjs); the clock is this
// process's CPU time by default (time spent waiting for a core under load is not counted: take
// --clock wall on a quiet machine). Needs kernel-lib/dist.
//
// "gemm" compares nnlab's WebAssembly products with its plain TypeScript ones, every other
// WebAssembly kernel off on both sides, on one thread (both paths); it runs on the "wasm" back end
// only (with a BLAS loaded, the products it would take go to the BLAS). The conv, relu and pool kernels run on their own in
// the CNN only when the fused block (conv → ReLU → pool) is off, so they are measured with it off.
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { defaultDist, problems } from "./nnlab-problems.mjs";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const blocks = Number(option("--blocks", 100));
const backend = option("--backend", "auto");
const clock = option("--clock", "cpu");
const now =
  clock === "wall"
    ? () => performance.now()
    : () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      };
const P = problems();
const k = (file) => require(path.join(defaultDist, "kernels", `${file}.js`));
const toggles = {
  matvec: k("matvec-wasm").setMatvecWasm,
  relu: k("relu-wasm").setReluWasm,
  pool: k("pool-wasm").setPoolWasm,
  conv: k("conv-wasm").setConvWasm,
  block: k("conv-block-wasm").setConvBlockWasm,
  sgd: k("sgd-wasm").setSgdWasm,
};
const { setKernelBackend } = k("gemm");
const threads = P.nnlab.getNumThreads();
const allOn = () => {
  for (const t of Object.values(toggles)) t(true);
  setKernelBackend("wasm-simd");
  P.nnlab.setNumThreads(threads);
};

// kernel → the workloads it runs in, and how to turn it off (and what else must be off to isolate it).
const kernels = {
  gemm: {
    workloads: ["mlp", "cnn"],
    off: () => setKernelBackend("plain"),
    setUp: () => {
      for (const t of Object.values(toggles)) t(false);
      P.nnlab.setNumThreads(1);
    },
    backend: "wasm",
  },
  matvec: { workloads: ["wd"], off: () => toggles.matvec(false) },
  relu: { workloads: ["mlp", "cnn"], off: () => toggles.relu(false), setUp: () => toggles.block(false) },
  pool: { workloads: ["cnn"], off: () => toggles.pool(false), setUp: () => toggles.block(false) },
  conv: { workloads: ["cnn"], off: () => toggles.conv(false), setUp: () => toggles.block(false) },
  block: { workloads: ["cnn"], off: () => toggles.block(false) },
  sgd: { workloads: ["wd", "mlp", "cnn"], off: () => toggles.sgd(false) },
};
const chosen = args.length > 0 ? args : Object.keys(kernels);
for (const name of chosen) {
  if (!kernels[name]) {
    console.error(`wasm-kernels: unknown kernel "${name}"; kernels: ${Object.keys(kernels).join(", ")}`);
    process.exit(2);
  }
}

function work(workload, dtype) {
  if (workload === "wd") {
    const { one } = P.weightDecaySteps(dtype);
    return {
      unit: "µs a step",
      steps: 200,
      run: () => {
        for (let s = 0; s < 200; s++) one();
      },
    };
  }
  const { w, batch } = P.classifierSteps(workload, dtype);
  let i = 0;
  return {
    unit: "ms a batch",
    steps: 8,
    run: () => {
      for (let s = 0; s < 8; s++) {
        batch(i);
        i = i + w.batch >= w.samples ? 0 : i + w.batch;
      }
    },
  };
}

const q = (a, f) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(f * a.length))];
console.log(`${os.cpus()[0]?.model} × ${os.cpus().length} · load ${os.loadavg()[0].toFixed(1)} · ${blocks} pairs of blocks · ${clock} time`);
for (const name of chosen) {
  const K = kernels[name];
  const be = K.backend ?? backend;
  P.nnlab.setBackend(be);
  for (const workload of K.workloads) {
    for (const dtype of ["float32", "float64"]) {
      allOn();
      K.setUp?.();
      const W = work(workload, dtype);
      const side = (on) => {
        allOn();
        K.setUp?.();
        if (!on) K.off();
        const t0 = now();
        W.run();
        return now() - t0;
      };
      for (let r = 0; r < 6; r++) side(r % 2 === 0); // warm-up: JIT, pools, kernels
      const ratios = [],
        on = [],
        off = [];
      for (let r = 0; r < blocks; r++) {
        const order = r % 2 === 0 ? [true, false] : [false, true];
        const t = {};
        for (const o of order) t[o] = side(o);
        on.push(t.true);
        off.push(t.false);
        ratios.push(t.true / t.false);
      }
      const per = (ms) => (workload === "wd" ? (ms / W.steps) * 1000 : ms / W.steps).toFixed(workload === "wd" ? 2 : 3);
      console.log(
        `${name.padEnd(6)} ${workload.padEnd(3)} ${dtype} (${be}): on ${per(q(on, 0.5))} / off ${per(q(off, 0.5))} ${W.unit}; ` +
          `on/off median ${q(ratios, 0.5).toFixed(3)}, quartiles ${q(ratios, 0.25).toFixed(3)}–${q(ratios, 0.75).toFixed(3)}`,
      );
    }
  }
}
allOn();
