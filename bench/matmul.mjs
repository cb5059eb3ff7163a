// Matrix-multiply throughput of nnlab's kernels against numpy and PyTorch, in one run,
// all on one core; plus nnlab on all its threads (column "wasm×N"). Usage: node bench/matmul.mjs [--budget=0.5] (seconds per case).
// Build first: npm run build -w kernel-lib. Times are best-of-reps (the least disturbed
// run on a shared machine); GFLOP/s = 2·m·n·k / time.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";

const require = createRequire(import.meta.url);
const { gemm, setKernelBackend, getNumThreads, setNumThreads } = require("../kernel-lib/dist/kernels/gemm.js");
const { wasmKernelVariant } = require("../kernel-lib/dist/kernels/gemm-wasm.js");

const budget = Number(process.argv.find((a) => a.startsWith("--budget="))?.split("=")[1] ?? 0.5);

// [label, transA, transB, m, n, k]: square products, then the two large products of one
// batch-64 step of a 784-128-10 MLP (forward x·W1ᵀ, and the weight gradient δ1ᵀ·x).
const cases = [
  ...[128, 512, 1024].map((n) => [`${n}³`, false, false, n, n, n]),
  ["mlp fwd 64×784·(128×784)ᵀ", false, true, 64, 128, 784],
  ["mlp dW (64×128)ᵀ·64×784", true, false, 128, 784, 64],
];
const dtypes = [["f64", Float64Array], ["f32", Float32Array]];

function random(C, len) {
  const a = new C(len);
  for (let i = 0; i < len; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

function time(fn, flops, maxReps) {
  fn();
  let best = Infinity, reps = 0;
  const start = performance.now();
  do {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
    reps++;
  } while (reps < maxReps && (performance.now() - start < budget * 1000 || reps < 3));
  return flops / (best / 1000) / 1e9;
}

function nnlab(backend) {
  setKernelBackend(backend);
  const out = {};
  for (const [dt, C] of dtypes) {
    for (const [label, tA, tB, m, n, k] of cases) {
      const a = random(C, m * k), b = random(C, k * n), c = new C(m * n);
      const flops = 2 * m * n * k;
      // The plain path needs ~1 s for 1024³: a few reps are enough there.
      out[`${dt} ${label}`] = time(() => gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false), flops, backend === "plain" ? 3 : 1e9);
    }
  }
  return out;
}

// The five products of one batch-64 training step of a 784-128-10 MLP (forward, the
// weight gradients, the hidden-layer delta), 157 steps = one epoch over 10,000 samples.
const mlpProducts = [[false, true, 64, 128, 784], [false, true, 64, 10, 128], [true, false, 10, 128, 64], [false, false, 64, 128, 10], [true, false, 128, 784, 64]];

function mlpEpoch(backend) {
  setKernelBackend(backend);
  const out = {};
  for (const [dt, C] of dtypes) {
    const ops = mlpProducts.map(([tA, tB, m, n, k]) => [tA, tB, m, n, k, random(C, m * k), random(C, k * n), new C(m * n)]);
    const epoch = () => {
      for (let s = 0; s < 157; s++) for (const [tA, tB, m, n, k, a, b, c] of ops) gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false);
    };
    epoch();
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      epoch();
      best = Math.min(best, performance.now() - t);
    }
    out[dt] = best / 1000;
  }
  return out;
}

const PY = String.raw`
import json, sys, time
cases = json.loads(sys.argv[1]); budget = float(sys.argv[2]); mlp = json.loads(sys.argv[3])
res = {}
def bench(fn, flops):
    fn(); best = 1e9; reps = 0; start = time.perf_counter()
    while reps < 3 or time.perf_counter() - start < budget:
        t = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t); reps += 1
    return flops / best / 1e9
try:
    import numpy as np
    for dt, npdt in (("f64", np.float64), ("f32", np.float32)):
        for label, ta, tb, m, n, k in cases:
            a = np.random.rand(*((k, m) if ta else (m, k))).astype(npdt)
            b = np.random.rand(*((n, k) if tb else (k, n))).astype(npdt)
            A = a.T if ta else a; B = b.T if tb else b
            res["numpy " + dt + " " + label] = bench(lambda: np.matmul(A, B), 2 * m * n * k)
except ImportError as e:
    res["numpy-missing"] = str(e)
try:
    import torch
    torch.set_num_threads(1)
    for dt, tdt in (("f64", torch.float64), ("f32", torch.float32)):
        for label, ta, tb, m, n, k in cases:
            a = torch.rand(*((k, m) if ta else (m, k)), dtype=tdt)
            b = torch.rand(*((n, k) if tb else (k, n)), dtype=tdt)
            A = a.t() if ta else a; B = b.t() if tb else b
            out = torch.empty(m, n, dtype=tdt)
            res["torch " + dt + " " + label] = bench(lambda: torch.mm(A, B, out=out), 2 * m * n * k)
        ops = []
        for ta, tb, m, n, k in mlp:
            a = torch.rand(*((k, m) if ta else (m, k)), dtype=tdt); b = torch.rand(*((n, k) if tb else (k, n)), dtype=tdt)
            ops.append((a.t() if ta else a, b.t() if tb else b, torch.empty(m, n, dtype=tdt)))
        def epoch():
            for _ in range(157):
                for A, B, out in ops: torch.mm(A, B, out=out)
        epoch(); best = 1e9
        for _ in range(3):
            t = time.perf_counter(); epoch(); best = min(best, time.perf_counter() - t)
        res["torch mlp " + dt] = best
except ImportError as e:
    res["torch-missing"] = str(e)
print(json.dumps(res))
`;

function python() {
  const py = "/usr/bin/python3";
  if (!existsSync(py)) return { note: `${py} not found: numpy/PyTorch columns skipped` };
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const r = spawnSync(py, ["-c", PY, JSON.stringify(cases), String(budget), JSON.stringify(mlpProducts)], { env, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) return { note: `python failed (${r.status}): ${r.stderr.trim().split("\n").pop()}` };
  return JSON.parse(r.stdout);
}

const loadBefore = loadavg()[0];
const allThreads = getNumThreads();
setNumThreads(1);
const wasm = nnlab("wasm-simd");
// After the one-thread pass, so that neither column carries the first pass's warm-up.
setNumThreads(allThreads);
const threaded = allThreads > 1 ? nnlab("wasm-simd") : {};
setNumThreads(1);
const variant = wasmKernelVariant();
const wasmMlp = mlpEpoch("wasm-simd");
const plain = nnlab("plain");
const plainMlp = mlpEpoch("plain");
const py = python();
if (py.note) console.log(py.note);
// Best-of timing filters short interruptions, not a machine kept busy by other work.
console.log(`load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (this machine has 2 cores)`);
for (const k of ["numpy-missing", "torch-missing"]) if (py[k]) console.log(`${k}: ${py[k]}`);

const f = (x) => (x === undefined ? "    -" : x.toFixed(1).padStart(5));
const r = (x, y) => (x === undefined || y === undefined ? "    -" : (x / y).toFixed(2).padStart(5));
console.log(`GFLOP/s, one core, best of reps (wasm kernel: ${variant}); ratios are nnlab wasm / peer; wasm×${allThreads}: nnlab on ${allThreads} threads (only products of ≥ 2²⁰ multiply-adds in f64, 2²² in f32 are split)`);
console.log(`${"case".padEnd(34)} ${"wasm".padStart(5)} ${"plain".padStart(5)} ${"numpy".padStart(5)} ${"torch".padStart(5)}  ${"/np".padStart(5)} ${"/torch".padStart(6)} ${`wasm×${allThreads}`.padStart(7)}`);
for (const key of Object.keys(wasm)) {
  const np = py[`numpy ${key}`], th = py[`torch ${key}`];
  console.log(`${key.padEnd(34)} ${f(wasm[key])} ${f(plain[key])} ${f(np)} ${f(th)}  ${r(wasm[key], np)} ${r(wasm[key], th).padStart(6)} ${f(threaded[key]).padStart(7)}`);
}
console.log("\nmatmuls of one MLP 784-128-10 epoch (157 steps of batch 64, 5 products each), seconds:");
for (const dt of ["f64", "f32"]) {
  const th = py[`torch mlp ${dt}`];
  console.log(`${dt}: nnlab wasm ${wasmMlp[dt].toFixed(3)}  plain ${plainMlp[dt].toFixed(3)}  torch ${th === undefined ? "-" : th.toFixed(3)}` +
    (th === undefined ? "" : `  (torch time / nnlab time = ${(th / wasmMlp[dt]).toFixed(2)})`));
}
