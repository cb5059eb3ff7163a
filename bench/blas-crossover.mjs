// Where does a product start to pay for the FFI call into the system's BLAS? Times nnlab's gemm on
// both back ends for growing products, in short alternating blocks (BLAS, WebAssembly, WebAssembly,
// BLAS, …) so that load from other processes lands on both sides alike; prints the median ratio.
//   node bench/blas-crossover.mjs [--blocks 40]
// Build first (npm run build -w kernel-lib). A benchmark, not a test: the numbers depend on the machine.
import { createRequire } from "node:module";
import os from "node:os";

const require = createRequire(import.meta.url);
const { gemm } = require("../kernel-lib/dist/kernels/gemm.js");
const { setBackend } = require("../kernel-lib/dist/kernels/backend.js");

const blocks = Number(process.argv[process.argv.indexOf("--blocks") + 1] || 40);
const info = setBackend("blas");
console.log(`${os.cpus()[0]?.model} × ${os.cpus().length} · load ${os.loadavg()[0].toFixed(1)} · ${info.library}, ${info.threads} thread(s)`);

// [transA, transB, m, n, k]: squares, then the shapes around the small-product line and the MLP's.
const shapes = [
  ...[4, 8, 12, 16, 24, 32, 48, 64].map((s) => [false, false, s, s, s]),
  [false, true, 5, 1, 200],
  [true, false, 200, 1, 5],
  [false, true, 5, 16, 64],
  [false, true, 64, 10, 128],
  [true, false, 10, 128, 64],
  [false, false, 64, 128, 10],
  [false, true, 64, 128, 784],
];

function random(C, n) {
  const a = new C(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5;
  return a;
}

for (const [dt, C] of [
  ["f64", Float64Array],
  ["f32", Float32Array],
]) {
  for (const [tA, tB, m, n, k] of shapes) {
    const a = random(C, m * k),
      b = random(C, k * n),
      c = new C(m * n);
    const work = m * n * k;
    const reps = Math.max(1, Math.floor(2e5 / (work + 200)));
    const run = (backend) => {
      setBackend(backend);
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false);
      return (performance.now() - t0) / reps;
    };
    for (let w = 0; w < 5; w++) {
      run("blas");
      run("wasm");
    }
    const ratios = [],
      tb = [],
      tw = [];
    for (let i = 0; i < blocks; i++) {
      const order = i % 2 === 0 ? ["blas", "wasm"] : ["wasm", "blas"];
      const t = {};
      for (const side of order) t[side] = run(side);
      ratios.push(t.blas / t.wasm);
      tb.push(t.blas);
      tw.push(t.wasm);
    }
    const med = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
    console.log(
      `${dt} ${tA ? "Aᵀ" : "A"}·${tB ? "Bᵀ" : "B"} ${m}×${n}×${k} (${work}): BLAS ${(med(tb) * 1000).toFixed(2)} µs, wasm ${(med(tw) * 1000).toFixed(2)} µs, BLAS/wasm ${med(ratios).toFixed(2)}`,
    );
  }
}

// matmul's own small-product loops (ops/matmul.ts, up to 4,096 multiply-adds) against the BLAS, as
// the op routes them: on the WebAssembly back end the loops run; on the BLAS every product but the
// matrix-vector ones goes to the library. Per call of the op, forward only.
const nn = require("../kernel-lib/dist/index.js");
console.log("\nmatmul op, small products (µs a call; the n = 1 products stay on nnlab's loops on both back ends):");
for (const dtype of ["float64", "float32"]) {
  for (const [m, k, n] of [
    [8, 8, 8],
    [16, 16, 16],
    [10, 40, 10],
    [1, 200, 5],
    [5, 200, 1],
    [64, 64, 1],
  ]) {
    const a = nn.randn([m, k], { dtype }),
      b = nn.randn([k, n], { dtype });
    const reps = 20000;
    const run = (backend) => {
      setBackend(backend);
      const t0 = performance.now();
      nn.noGrad(() => {
        for (let r = 0; r < reps; r++) nn.matmul(a, b);
      });
      return ((performance.now() - t0) / reps) * 1000;
    };
    for (let w = 0; w < 3; w++) {
      run("blas");
      run("wasm");
    }
    const tb = [],
      tw = [];
    for (let i = 0; i < 10; i++) for (const side of i % 2 ? ["wasm", "blas"] : ["blas", "wasm"]) (side === "blas" ? tb : tw).push(run(side));
    const med = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
    console.log(
      `${dtype} [${m}, ${k}]·[${k}, ${n}]: BLAS back end ${med(tb).toFixed(2)} µs, WebAssembly back end (matmul's loops) ${med(tw).toFixed(2)} µs`,
    );
  }
}
