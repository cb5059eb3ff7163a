// nnlab against PyTorch in short alternating blocks, for a machine too busy for bench/run.mjs:
//   node bench/paired-torch.mjs <wd|mlp|cnn> <float32|float64> [--blocks 60] [--backend blas|wasm|auto]
// PyTorch (one thread, bench/torch_peer.py --serve) stays up in a child process; nnlab runs in this
// one. Blocks alternate nnlab, PyTorch, PyTorch, nnlab, … (8 batches, or 200 weight-decay steps,
// each), each side timing its own block; the load of other processes drifts slowly next to a block,
// so it cancels out of each adjacent pair's ratio. Prints the median ratio nnlab ÷ PyTorch with its
// quartiles (below 1 nnlab is faster), the CPU, the load and nnlab's back end. A benchmark, not a test.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { problems } from "./nnlab-problems.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const blocks = Number(option("--blocks", 60));
const backend = option("--backend", "auto");
const [workload, dtype] = args;
if (
  !["wd", "mlp", "cnn"].includes(workload) ||
  !["float32", "float64"].includes(dtype) ||
  !(blocks >= 4) ||
  !["blas", "wasm", "auto"].includes(backend)
) {
  console.error("usage: node bench/paired-torch.mjs <wd|mlp|cnn> <float32|float64> [--blocks N (≥ 4)] [--backend blas|wasm|auto]");
  process.exit(2);
}
const torchCase = `${workload}-${dtype === "float32" ? "f32" : "f64"}`;

const P = problems();
P.nnlab.setBackend(backend);
const count = workload === "wd" ? 200 : 8;
let run;
if (workload === "wd") {
  const { one } = P.weightDecaySteps(dtype);
  run = () => {
    for (let k = 0; k < count; k++) one();
  };
} else {
  const { w, batch } = P.classifierSteps(workload, dtype);
  let i = 0;
  run = () => {
    for (let k = 0; k < count; k++) {
      batch(i);
      i = i + w.batch >= w.samples ? 0 : i + w.batch;
    }
  };
}
const nnlabBlock = () => {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
};

const python = process.env.NNLAB_PYTHON ?? "/usr/bin/python3";
const child = spawn(python, [path.join(here, "torch_peer.py"), "--serve", torchCase], { stdio: ["pipe", "pipe", "inherit"] });
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const nextLine = async () => {
  const r = await lines.next();
  if (r.done) throw new Error(`torch_peer.py --serve ${torchCase} ended early (is python3-torch installed?)`);
  return r.value;
};
const torchInfo = JSON.parse(await nextLine());
const torchBlock = async () => {
  child.stdin.write(`${count}\n`);
  return Number(await nextLine());
};

// Warm-up: nnlab's JIT, pools and kernels (PyTorch warmed itself up before answering).
for (let k = 0; k < 20; k++) run();
for (let k = 0; k < 3; k++) await torchBlock();

const loadBefore = os.loadavg()[0];
const ratios = [],
  mine = [],
  theirs = [];
for (let r = 0; r < blocks; r++) {
  let a, b;
  if (r % 2 === 0) {
    a = nnlabBlock();
    b = await torchBlock();
  } else {
    b = await torchBlock();
    a = nnlabBlock();
  }
  mine.push(a);
  theirs.push(b);
  ratios.push(a / b);
}
child.stdin.end();
const sorted = (x) => x.slice().sort((p, q) => p - q);
const at = (x, q) => sorted(x)[Math.min(x.length - 1, Math.floor(q * x.length))];
const info = P.nnlab.backendInfo();
const unit = workload === "wd" ? "µs a step" : "ms a batch";
const per = (ms) => (workload === "wd" ? (ms / count) * 1000 : ms / count).toFixed(workload === "wd" ? 2 : 3);
console.log(`${os.cpus()[0]?.model} × ${os.cpus().length} · load ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after`);
console.log(
  `nnlab: ${info.backend === "blas" ? `BLAS ${info.library} (${info.path}), ${info.threads} thread(s) for large products` : `${info.reason}`}`,
);
console.log(`PyTorch ${torchInfo.torch}, ${torchInfo.threads} thread, BLAS ${torchInfo.blas}`);
console.log(`${torchCase}, ${blocks} pairs of blocks (${count} ${workload === "wd" ? "steps" : "batches"} each)`);
console.log(`  nnlab:   median ${per(at(mine, 0.5))} ${unit} (best ${per(at(mine, 0))})`);
console.log(`  PyTorch: median ${per(at(theirs, 0.5))} ${unit} (best ${per(at(theirs, 0))})`);
console.log(
  `  nnlab ÷ PyTorch, paired: median ${at(ratios, 0.5).toFixed(3)}, quartiles ${at(ratios, 0.25).toFixed(3)}–${at(ratios, 0.75).toFixed(3)}; ratio of the bests ${(at(mine, 0) / at(theirs, 0)).toFixed(3)}`,
);
