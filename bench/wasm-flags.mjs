// Do V8's flags pay on this machine? The WebAssembly GEMM (one thread, nnlab's own kernels) in two
// fresh processes, without and with NNLAB_WASM_V8_FLAGS=1 (no baseline compiler, no loop unrolling,
// and relaxed SIMD's fused multiply-add on Node 20: src/kernels/wasm-features.ts), twice each:
//   node bench/wasm-flags.mjs [--seconds 1.5]
// GFLOP/s of the best call by CPU time (other processes only ever add time). Needs kernel-lib/dist.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf("--seconds") + 1] || 1.5);

if (process.env.NNLAB_WASM_FLAGS_CHILD === "1") {
  const require = createRequire(import.meta.url);
  const g = require("../kernel-lib/dist/kernels/gemm-wasm.js");
  g.setGemmThreads(1);
  const out = [];
  for (const [ctor, name] of [
    [Float32Array, "f32"],
    [Float64Array, "f64"],
  ]) {
    for (const n of [128, 256, 512]) {
      const a = ctor.from({ length: n * n }, () => Math.random()),
        b = a.slice(),
        c = new ctor(n * n);
      let best = Infinity;
      for (const t1 = performance.now(); performance.now() - t1 < seconds * 1000; ) {
        const t0 = process.cpuUsage();
        g.gemmWasm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
        const d = process.cpuUsage(t0);
        best = Math.min(best, (d.user + d.system) / 1e6);
      }
      out.push(`${name} ${n}³ ${((2 * n ** 3) / best / 1e9).toFixed(1)}`);
    }
  }
  console.log(
    `  ${process.env.NNLAB_WASM_V8_FLAGS === "1" ? "with flags   " : "without flags"} (${g.wasmKernelVariant()}): ${out.join(" · ")} GFLOP/s`,
  );
} else {
  console.log(`${os.cpus()[0]?.model} × ${os.cpus().length} · load ${os.loadavg()[0].toFixed(1)} · Node ${process.version}`);
  for (let round = 0; round < 2; round++) {
    for (const flags of ["", "1"]) {
      const env = { ...process.env, NNLAB_WASM_FLAGS_CHILD: "1", NNLAB_WASM_V8_FLAGS: flags };
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--seconds", String(seconds)], { env, encoding: "utf8" });
      process.stdout.write(r.stdout + r.stderr);
    }
  }
}
