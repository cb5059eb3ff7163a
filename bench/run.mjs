// The training benchmarks, nnlab next to its peers, measured in one run:
//   npm run bench                      every case, every peer
//   node bench/run.mjs mlp-f32 wd-f64  chosen cases
//   node bench/run.mjs --peers nnlab,pytorch --no-matmul --rounds 3
//   node bench/run.mjs --torch-blas /path/to/dir/with/libblas.so.3
//   node bench/run.mjs --backend wasm  nnlab's WebAssembly kernels even where a BLAS loads
// Debian's torch calls whatever libblas.so.3 the system provides; with the reference (netlib) BLAS
// its matrix products are ~10× slower than with OpenBLAS, which flatters nnlab. --torch-blas (or
// NNLAB_TORCH_BLAS) puts another libblas.so.3 first on PyTorch's library path; the report names the
// BLAS PyTorch actually loaded either way.
// Each measurement runs in a fresh process (bench/nnlab_peer.mjs, bench/torch_peer.py with one
// thread, bench/tfjs_peer.mjs on the cpu and wasm back ends) following the protocol in
// workloads.mjs. Results also go to bench/.out/results.json. These are benchmarks, not tests: the
// numbers depend on the machine and on what else it is running (the load average is reported).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cases } from "./workloads.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const python = process.env.NNLAB_PYTHON ?? "/usr/bin/python3";
const allPeers = ["nnlab", "pytorch", "tfjs-wasm", "tfjs-cpu"];
const labels = { nnlab: "nnlab", pytorch: "PyTorch", "tfjs-wasm": "tfjs-wasm", "tfjs-cpu": "tfjs-cpu" };
// Issue 7's targets: nnlab's time as a fraction of PyTorch's.
const targets = { mlp: 1.0, cnn: 1.0, wd: 0.05 };

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const peers = (option("--peers") ?? allPeers.join(",")).split(",");
const torchBlas = option("--torch-blas") ?? process.env.NNLAB_TORCH_BLAS;
// --backend blas|wasm|auto: nnlab's back end (NNLAB_BACKEND for its processes); default automatic.
const backendChoice = option("--backend");
if (backendChoice !== undefined && !["blas", "wasm", "auto"].includes(backendChoice))
  fail(`--backend must be blas, wasm or auto, got "${backendChoice}"`);
// Peers run in interleaved rounds (nnlab, PyTorch, nnlab, PyTorch…) so that a burst of load from
// other processes does not land on one peer only; TensorFlow.js's slow cases run once.
const rounds = Number(option("--rounds") ?? 2);
const noMatmul = args.includes("--no-matmul");
if (noMatmul) args.splice(args.indexOf("--no-matmul"), 1);
const chosen = args.length > 0 ? args : Object.keys(cases);
for (const c of chosen) if (!cases[c]) fail(`unknown case "${c}"; cases: ${Object.keys(cases).join(", ")}`);
for (const p of peers) if (!allPeers.includes(p)) fail(`unknown peer "${p}"; peers: ${allPeers.join(", ")}`);
if (!existsSync(path.join(root, "kernel-lib/dist/optim/index.js"))) fail("kernel-lib/dist is missing or stale: run `npm run build` first.");

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function torchStatus() {
  const r = spawnSync(python, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  if (r.error) return { ok: false, why: `${python} not found (${r.error.code})` };
  if (r.status !== 0) return { ok: false, why: `${python} cannot import torch (Debian: apt install python3-torch)` };
  return { ok: true, version: r.stdout.trim() };
}

function runPeer(peer, name) {
  const cmd = {
    nnlab: [process.execPath, [path.join(here, "nnlab_peer.mjs"), name]],
    pytorch: [python, [path.join(here, "torch_peer.py"), name]],
    "tfjs-wasm": [process.execPath, [path.join(here, "tfjs_peer.mjs"), name, "wasm"]],
    "tfjs-cpu": [process.execPath, [path.join(here, "tfjs_peer.mjs"), name, "cpu"]],
  }[peer];
  const childEnv = { ...process.env };
  if (backendChoice && peer === "nnlab") childEnv.NNLAB_BACKEND = backendChoice;
  if (peer === "pytorch" && torchBlas) childEnv.LD_LIBRARY_PATH = [torchBlas, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  const r = spawnSync(cmd[0], cmd[1], { encoding: "utf8", cwd: root, env: childEnv, timeout: 15 * 60_000, maxBuffer: 16 << 20 });
  const line = (r.stdout ?? "")
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .pop();
  if (r.status !== 0 || line === undefined) {
    const why = r.error ? r.error.message : (r.stderr ?? "").trim().split("\n").slice(-3).join(" | ");
    return { peer, case: name, error: why || `exit ${r.status}` };
  }
  return JSON.parse(line);
}

function fmt(s) {
  return s >= 10 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : s >= 0.01 ? `${s.toFixed(3)} s` : `${(s * 1000).toFixed(2)} ms`;
}

function fmtRatio(r) {
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 0.1 ? `${r.toFixed(2)}×` : `${r.toFixed(3)}×`;
}

const torch = peers.includes("pytorch") ? torchStatus() : { ok: false, why: "not requested" };
const env = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  loadBefore: os.loadavg()[0],
  torch: torch.ok ? torch.version : null,
};
console.log(`nnlab benchmarks · node ${env.node} · ${env.cpu} × ${env.cores} · load average ${env.loadBefore.toFixed(1)}`);
// Pins OpenBLAS's kernels for every peer that loads it (this project's machines set it to Haswell).
env.openblasCoretype = process.env.OPENBLAS_CORETYPE ?? null;
if (env.openblasCoretype)
  console.log(
    `  OPENBLAS_CORETYPE=${env.openblasCoretype} in the environment: OpenBLAS runs its ${env.openblasCoretype} kernels in nnlab and PyTorch alike`,
  );
if (env.loadBefore > env.cores)
  console.log(`  (the machine is busy: load ${env.loadBefore.toFixed(1)} on ${env.cores} cores; times are inflated and noisy)`);
if (peers.includes("pytorch") && !torch.ok) console.log(`  PyTorch skipped: ${torch.why}.`);
console.log(
  `  (×) = nnlab's time ÷ the peer's: below 1 nnlab is faster. Best of up to 3 timed runs after at least 0.5 s of warm-up, in ${rounds} interleaved rounds (TensorFlow.js: 1).\n`,
);

const results = [];
for (const name of chosen) {
  const c = cases[name];
  const row = { case: name, title: c.title, unit: c.unit, peers: {} };
  for (let round = 0; round < rounds; round++) {
    for (const peer of peers) {
      if (peer === "pytorch" && !torch.ok) continue;
      if (peer.startsWith("tfjs") && c.dtype !== "float32") continue; // no float64 in TensorFlow.js
      if (peer.startsWith("tfjs") && round > 0) continue;
      const r = runPeer(peer, name);
      const prev = row.peers[peer];
      if (prev === undefined || prev.error || prev.skipped) row.peers[peer] = r;
      else if (!r.error && !r.skipped) {
        prev.runs.push(...r.runs);
        prev.seconds = Math.min(prev.seconds, r.seconds);
      }
    }
  }
  const mine = row.peers.nnlab?.seconds;
  const parts = [];
  for (const [peer, r] of Object.entries(row.peers)) {
    if (r.error) parts.push(`${labels[peer]} failed (${r.error})`);
    else if (r.skipped) parts.push(`${labels[peer]} n/a (${r.skipped})`);
    else if (peer === "nnlab" || mine === undefined) parts.push(`${labels[peer]} ${fmt(r.seconds)}`);
    else {
      r.ratio = mine / r.seconds;
      parts.push(`${labels[peer]} ${fmt(r.seconds)} (${fmtRatio(r.ratio)})`);
    }
  }
  // The back end and the CPU with every result: numbers of different machines or back ends must not be mixed up.
  const nl = row.peers.nnlab;
  const backend =
    nl && !nl.error && !nl.skipped
      ? nl.backend === "blas"
        ? `BLAS ${nl.library?.split(" ").slice(0, 2).join(" ")} ×${nl.backendThreads}`
        : `wasm ×${nl.threads}`
      : "";
  row.backend = backend;
  row.cpu = env.cpu;
  let line = `${c.title} [${env.cpu}${backend ? `, nnlab ${backend}` : ""}]: ${parts.join(", ")}`;
  const vsTorch = row.peers.pytorch?.ratio;
  if (vsTorch !== undefined) {
    row.target = targets[c.workload];
    row.targetMet = vsTorch <= row.target;
    line += `  [target ≤ ${row.target}× PyTorch: ${row.targetMet ? "met" : "not met"}]`;
  }
  console.log(line);
  results.push(row);
}

const nnlabRuns = results.map((r) => r.peers.nnlab).filter((p) => p && !p.error && !p.skipped);
if (nnlabRuns.length > 0) {
  const threads = nnlabRuns[0].threads;
  const worked = nnlabRuns.filter((p) => p.workerRects > 0).length;
  env.nnlabThreads = threads;
  const nb = nnlabRuns[0];
  env.nnlabBackend = nb.backend === "blas" ? `BLAS: ${nb.library} (${nb.blasPath}), ${nb.backendThreads} thread(s)` : "WebAssembly kernels";
  console.log(`\nnnlab back end: ${env.nnlabBackend}`);
  console.log(
    `nnlab on up to ${threads} thread${threads === 1 ? "" : "s"} (NNLAB_THREADS); worker threads took part in ${worked} of ${nnlabRuns.length} cases` +
      (worked === 0 ? " (their matrix products are below the size where splitting pays: all on one thread)" : ""),
  );
}

const torchRun = results.map((r) => r.peers.pytorch).find((p) => p?.blas);
if (torchRun) {
  env.torchBlas = torchRun.blas;
  const reference = /\/blas\/libblas\.so/.test(torchRun.blas);
  if (reference) env.torchBlasNote = "reference netlib BLAS";
  console.log(
    `\nPyTorch ${env.torch} on 1 thread, BLAS: ${torchRun.blas}${reference ? " (the reference netlib BLAS: PyTorch's matrix products are many times slower than with OpenBLAS)" : ""}`,
  );
}

let matmul = null;
const matmulScript = path.join(here, "matmul.mjs");
if (!noMatmul && existsSync(matmulScript)) {
  console.log("\nmatmul (bench/matmul.mjs):");
  const r = spawnSync(process.execPath, [matmulScript], { encoding: "utf8", cwd: root, timeout: 15 * 60_000 });
  process.stdout.write(r.stdout ?? "");
  if (r.status !== 0) console.log(`  matmul.mjs failed: ${(r.stderr ?? "").trim().split("\n").pop()}`);
  matmul = { status: r.status, stdout: r.stdout };
}

env.loadAfter = os.loadavg()[0];
const outDir = path.join(here, ".out");
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, "results.json"), JSON.stringify({ env, results, matmul }, null, 2) + "\n");
console.log(`\nwrote ${path.relative(root, path.join(outDir, "results.json"))}`);
