// Matrix-multiply throughput of nnlab's back ends against the same BLAS called from C, numpy and
// PyTorch, in one run, all on one core; plus nnlab's WebAssembly kernels on all its threads (column
// "wasm×N"). Usage: node bench/matmul.mjs [--budget=0.5] [--no-plain] (seconds per case).
// Build first: npm run build -w kernel-lib. Times are best-of-reps (the least disturbed
// run on a shared machine); GFLOP/s = 2·m·n·k / time. The C peer (bench/cblas_peer.c, built here
// with cc; python3 ctypes where there is no compiler) calls the library nnlab loaded, timing inside
// its own loop: "blas/C" is what the FFI and nnlab's dispatch cost.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { gemm, setKernelBackend, getNumThreads, setNumThreads } = require("../kernel-lib/dist/kernels/gemm.js");
const { wasmKernelVariant } = require("../kernel-lib/dist/kernels/gemm-wasm.js");
const { setBackend } = require("../kernel-lib/dist/kernels/backend.js");
const here = path.dirname(fileURLToPath(import.meta.url));

const budget = Number(process.argv.find((a) => a.startsWith("--budget="))?.split("=")[1] ?? 0.5);
const withPlain = !process.argv.includes("--no-plain");

// [label, transA, transB, m, n, k]: square products, then the two large products of one
// batch-64 step of a 784-128-10 MLP (forward x·W1ᵀ, and the weight gradient δ1ᵀ·x).
const cases = [
  ...[128, 256, 512, 1024].map((n) => [`${n}³`, false, false, n, n, n]),
  ["mlp fwd 64×784·(128×784)ᵀ", false, true, 64, 128, 784],
  ["mlp dW (64×128)ᵀ·64×784", true, false, 128, 784, 64],
];
const dtypes = [
  ["f64", Float64Array],
  ["f32", Float32Array],
];

function random(C, len) {
  const a = new C(len);
  for (let i = 0; i < len; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

function time(fn, flops, maxReps) {
  fn();
  let best = Infinity,
    reps = 0;
  const start = performance.now();
  do {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
    reps++;
  } while (reps < maxReps && (performance.now() - start < budget * 1000 || reps < 3));
  return flops / (best / 1000) / 1e9;
}

/** backend: "blas" (the system BLAS), "wasm-simd" or "plain" (nnlab's own kernels). */
function useBackend(backend) {
  setBackend(backend === "blas" ? "blas" : "wasm");
  setKernelBackend(backend === "plain" ? "plain" : "wasm-simd");
}

function nnlab(backend) {
  useBackend(backend);
  const out = {};
  for (const [dt, C] of dtypes) {
    for (const [label, tA, tB, m, n, k] of cases) {
      const a = random(C, m * k),
        b = random(C, k * n),
        c = new C(m * n);
      const flops = 2 * m * n * k;
      // The plain path needs ~1 s for 1024³: a few reps are enough there.
      out[`${dt} ${label}`] = time(() => gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false), flops, backend === "plain" ? 3 : 1e9);
    }
  }
  return out;
}

// The five products of one batch-64 training step of a 784-128-10 MLP (forward, the
// weight gradients, the hidden-layer delta), 157 steps = one epoch over 10,000 samples.
const mlpProducts = [
  [false, true, 64, 128, 784],
  [false, true, 64, 10, 128],
  [true, false, 10, 128, 64],
  [false, false, 64, 128, 10],
  [true, false, 128, 784, 64],
];

function mlpEpoch(backend) {
  useBackend(backend);
  const out = {};
  for (const [dt, C] of dtypes) {
    const ops = mlpProducts.map(([tA, tB, m, n, k]) => [tA, tB, m, n, k, random(C, m * k), random(C, k * n), new C(m * n)]);
    const epoch = () => {
      for (let s = 0; s < 157; s++) for (const [tA, tB, m, n, k, a, b, c] of ops) gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false);
    };
    epoch();
    let best = Infinity;
    for (let r = 0; r < 8; r++) {
      const t = performance.now();
      epoch();
      best = Math.min(best, performance.now() - t);
    }
    out[dt] = best / 1000;
  }
  return out;
}

const PY = `
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
        for _ in range(8):
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
  const r = spawnSync(py, ["-c", PY, JSON.stringify(cases), String(budget), JSON.stringify(mlpProducts)], {
    env,
    encoding: "utf8",
    timeout: 300_000,
  });
  if (r.status !== 0) return { note: `python failed (${r.status}): ${r.stderr.trim().split("\n").pop()}` };
  return JSON.parse(r.stdout);
}

/** The C peer's (or ctypes') numbers for the same cases, calling `lib`: { "f64 128³": GFLOP/s, …, "mlp f64": s }. */
function cPeer(lib) {
  const input =
    [
      ...dtypes.flatMap(([dt]) => cases.map(([label, tA, tB, m, n, k]) => `${dt} ${tA ? 1 : 0} ${tB ? 1 : 0} ${m} ${n} ${k} ${label}`)),
      ...dtypes.map(([dt]) => `mlp ${dt}`),
    ].join("\n") + "\n";
  const outDir = path.join(here, ".out");
  mkdirSync(outDir, { recursive: true });
  const exe = path.join(outDir, "cblas_peer");
  const cc = spawnSync("cc", ["-O2", "-o", exe, path.join(here, "cblas_peer.c"), "-ldl"], { encoding: "utf8" });
  let r;
  let how;
  if (cc.status === 0) {
    r = spawnSync(exe, [lib, String(budget)], { input, encoding: "utf8", timeout: 600_000 });
    how = "C (bench/cblas_peer.c)";
  } else {
    r = spawnSync("/usr/bin/python3", ["-c", CTYPES, lib, String(budget)], { input, encoding: "utf8", timeout: 600_000 });
    how = "python3 ctypes (no C compiler)";
  }
  if (r.status !== 0) return { note: `${how} peer failed: ${(r.stderr ?? r.error?.message ?? "").trim().split("\n").pop()}` };
  const out = { how };
  for (const line of r.stdout.trim().split("\n")) {
    const [key, v] = line.split("\t");
    out[key] = Number(v);
  }
  return out;
}

// The C peer's protocol in Python, for machines without a compiler: ctypes calls into the library,
// timed inside the loop (ctypes adds ~1 µs a call: negligible from 128³ up, a few % for the MLP).
const CTYPES = `
import ctypes, sys, time, random
lib = ctypes.CDLL(sys.argv[1]); budget = float(sys.argv[2])
try: lib.openblas_set_num_threads(1)
except AttributeError: pass
I, D, F = ctypes.c_int, ctypes.c_double, ctypes.c_float
def arr(t, n): return (t * n)(*[random.random() - 0.5 for _ in range(n)])
def product(f64, ta, tb, m, n, k, a, b, c):
    f, s = (lib.cblas_dgemm, D) if f64 else (lib.cblas_sgemm, F)
    f(I(101), I(112 if ta else 111), I(112 if tb else 111), I(m), I(n), I(k), s(1), a, I(m if ta else k), b, I(k if tb else n), s(0), c, I(n))
for line in sys.stdin:
    p = line.split()
    if p[0] == "mlp":
        f64 = p[1] == "f64"; t = D if f64 else F
        ops = [(0, 1, 64, 128, 784), (0, 1, 64, 10, 128), (1, 0, 10, 128, 64), (0, 0, 64, 128, 10), (1, 0, 128, 784, 64)]
        bufs = [(arr(t, m * k), arr(t, k * n), arr(t, m * n)) for (_, _, m, n, k) in ops]
        best = 1e30
        for r in range(9):
            t0 = time.perf_counter()
            for s in range(157):
                for (ta, tb, m, n, k), (a, b, c) in zip(ops, bufs): product(f64, ta, tb, m, n, k, a, b, c)
            if r > 0: best = min(best, time.perf_counter() - t0)
        print("mlp %s	%f" % (p[1], best), flush=True)
    else:
        f64 = p[0] == "f64"; t = D if f64 else F
        ta, tb, m, n, k = map(int, p[1:6]); label = " ".join(p[6:])
        a, b, c = arr(t, m * k), arr(t, k * n), arr(t, m * n)
        product(f64, ta, tb, m, n, k, a, b, c)
        best = 1e30; reps = 0; start = time.perf_counter()
        while reps < 3 or time.perf_counter() - start < budget:
            t0 = time.perf_counter(); product(f64, ta, tb, m, n, k, a, b, c); best = min(best, time.perf_counter() - t0); reps += 1
        print("%s %s	%f" % (p[0], label, 2.0 * m * n * k / best / 1e9), flush=True)
`;

const loadBefore = loadavg()[0];
const allThreads = getNumThreads();
setNumThreads(1);
let blasInfo = null;
try {
  blasInfo = setBackend("blas");
} catch (e) {
  console.log(`BLAS column skipped: ${e.message}`);
}
const blas = blasInfo ? nnlab("blas") : {};
const blasMlp = blasInfo ? mlpEpoch("blas") : {};
const c = blasInfo ? cPeer(blasInfo.path) : {};
if (c.note) console.log(c.note);
const wasm = nnlab("wasm-simd");
// After the one-thread pass, so that neither column carries the first pass's warm-up.
setNumThreads(allThreads);
const threaded = allThreads > 1 ? nnlab("wasm-simd") : {};
setNumThreads(1);
const variant = wasmKernelVariant();
const wasmMlp = mlpEpoch("wasm-simd");
const plain = withPlain ? nnlab("plain") : {};
const plainMlp = withPlain ? mlpEpoch("plain") : {};
const py = python();
if (py.note) console.log(py.note);
setBackend("auto");
// Best-of timing filters short interruptions, not a machine kept busy by other work.
console.log(`${cpus()[0]?.model} × ${cpus().length}; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`);
if (blasInfo) console.log(`BLAS: ${blasInfo.library} (${blasInfo.path}); C peer: ${c.how ?? "failed"}`);
for (const k of ["numpy-missing", "torch-missing"]) if (py[k]) console.log(`${k}: ${py[k]}`);

const f = (x) => (x === undefined || Number.isNaN(x) ? "    -" : x.toFixed(1).padStart(5));
const r = (x, y) => (x === undefined || y === undefined ? "    -" : (x / y).toFixed(2).padStart(5));
console.log(
  `GFLOP/s, one core, best of reps (wasm kernel: ${variant}). blas: nnlab's gemm on the system BLAS; C: that BLAS called from C; /C, /torch: nnlab ÷ peer (above 1 nnlab is faster); wasm×${allThreads}: nnlab's WebAssembly kernels on ${allThreads} threads`,
);
console.log(
  `${"case".padEnd(34)} ${"blas".padStart(5)} ${"C".padStart(5)} ${"/C".padStart(5)}  ${"wasm".padStart(5)} ${"plain".padStart(5)} ${"numpy".padStart(5)} ${"torch".padStart(5)} ${"blas/torch".padStart(10)} ${"wasm/torch".padStart(10)} ${`wasm×${allThreads}`.padStart(7)}`,
);
for (const key of Object.keys(wasm)) {
  const np = py[`numpy ${key}`],
    th = py[`torch ${key}`];
  console.log(
    `${key.padEnd(34)} ${f(blas[key])} ${f(c[key])} ${r(blas[key], c[key])}  ${f(wasm[key])} ${f(plain[key])} ${f(np)} ${f(th)} ${r(blas[key], th).padStart(10)} ${r(wasm[key], th).padStart(10)} ${f(threaded[key]).padStart(7)}`,
  );
}
console.log(
  "\nmatmuls of one MLP 784-128-10 epoch (157 steps of batch 64, 5 products each), seconds; (C or torch time ÷ nnlab time: above 1 nnlab is faster):",
);
const s3 = (x) => (x === undefined ? "-" : x.toFixed(3));
for (const dt of ["f64", "f32"]) {
  const th = py[`torch mlp ${dt}`],
    cm = c[`mlp ${dt}`];
  console.log(
    `${dt}: nnlab blas ${s3(blasMlp[dt])}  C ${s3(cm)}${cm && blasMlp[dt] ? ` (${(cm / blasMlp[dt]).toFixed(2)})` : ""}  nnlab wasm ${s3(wasmMlp[dt])}  plain ${s3(plainMlp[dt])}  torch ${s3(th)}` +
      (th === undefined ? "" : ` (blas ${blasMlp[dt] ? (th / blasMlp[dt]).toFixed(2) : "-"}, wasm ${(th / wasmMlp[dt]).toFixed(2)})`),
  );
}
