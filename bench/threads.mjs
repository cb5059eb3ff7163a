// Does splitting a matrix product across worker threads pay on this machine?
//   node bench/threads.mjs [threads]
// Times nnlab's WebAssembly GEMM (A·Bᵀ, as a Linear layer's forward) at several sizes on one thread
// and on `threads` (default 2), interleaved, best of 12, and prints the speed-up. gemm-wasm.ts uses
// threads only from a size where this printed a gain; rerun it to retune that on another machine.
// Needs kernel-lib/dist (npm run build).
import { createRequire } from "node:module";
import os from "node:os";

const require = createRequire(import.meta.url);
const g = require("../kernel-lib/dist/kernels/gemm-wasm.js");
const threads = Number(process.argv[2] ?? 2);
g.setThreadMinWork(0);

const shapes = [
  [32, 32, 64],
  [64, 64, 64],
  [64, 64, 256],
  [128, 128, 128],
  [64, 128, 784],
  [128, 784, 64],
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
];
console.log(
  `GEMM on 1 thread vs ${threads} · node ${process.version} · ${os.cpus()[0].model} × ${os.cpus().length} · load ${os.loadavg()[0].toFixed(1)}`,
);
for (const [T, name] of [
  [Float32Array, "f32"],
  [Float64Array, "f64"],
]) {
  for (const [m, n, k] of shapes) {
    const a = new T(m * k).map((_, i) => Math.sin(i)),
      b = new T(k * n).map((_, i) => Math.cos(i)),
      c = new T(m * n);
    const reps = Math.max(3, Math.floor(1e8 / (m * n * k)));
    const best = { 1: Infinity, [threads]: Infinity };
    for (let round = 0; round < 12; round++) {
      for (const t of [1, threads]) {
        g.setGemmThreads(t);
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) g.gemmWasm(false, true, m, n, k, a, 0, b, 0, c, 0, false);
        best[t] = Math.min(best[t], (performance.now() - t0) / reps);
      }
    }
    const gf = (ms) => ((2 * m * n * k) / ms / 1e6).toFixed(1);
    console.log(
      `${name} ${m}×${k}·${k}×${n}: 1 thread ${gf(best[1])} GFLOP/s, ${threads} threads ${gf(best[threads])} GFLOP/s (speed-up ${(best[1] / best[threads]).toFixed(2)}×)`,
    );
  }
}
process.exit(0);
