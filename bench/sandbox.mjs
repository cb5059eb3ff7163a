#!/usr/bin/env node
// What the grading sandbox costs per kernel: time from spawn to kernel ready (kernel_info answered
// and iopub live), then one trivial cell, for a kernel started as `nnlab grade` starts it
// (bubblewrap, Unix sockets through /proc/<pid>/root) and for a plain kernel (--unsafe-no-sandbox),
// alternating in one run so that both see the same load, and the CPU time the kernel's process
// tree used to get ready (what the load cannot inflate). Also bwrap alone (`/bin/true` inside the
// same namespaces and mounts, no node). Prints the CPU model and the load average.
//
//   npm run build && node bench/sandbox.mjs [--rounds 6]
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { sandboxedKernelFactory, unsandboxedKernelFactory } = require(path.join(root, "cli/dist/lessons/kernels.js"));
const { makeWorkdir, kernelEnv } = require(path.join(root, "cli/dist/lessons/workdir.js"));
const { treeCpuMs } = require(path.join(root, "cli/dist/kernel/cpu-time.js"));
const { sandboxArgv, sandboxMode, sandboxUserForSlot, DEFAULT_SANDBOX_LIMITS, sandboxProblem } = require(
  path.join(root, "cli/dist/lessons/sandbox.js"),
);

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf("--rounds") + 1] || 6);
const problem = sandboxProblem();
if (problem) {
  console.error(`no sandbox here: ${problem}`);
  process.exit(1);
}
const model = (spawnSync("lscpu", { encoding: "utf8" }).stdout.match(/Model name:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model;
console.log(
  `CPU: ${model}; ${os.cpus().length} cores; load average at start ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}; mode ${sandboxMode()}`,
);

async function once(factory) {
  const w = makeWorkdir([]);
  const k = factory({ cwd: w.path, env: kernelEnv(w.path), slot: 0 });
  const t0 = performance.now();
  await k.start();
  const ready = performance.now() - t0;
  const cpu = treeCpuMs(k.pid) ?? NaN;
  const t1 = performance.now();
  const r = await k.execute("1 + 1", { timeoutMs: 60_000 });
  const cell = performance.now() - t1;
  if (r.status !== "ok") throw new Error(`trivial cell: ${r.status} ${r.reason ?? ""}`);
  await k.shutdown();
  w.remove();
  return { ready, cell, cpu };
}

function bwrapAlone() {
  const w = makeWorkdir([]);
  const mode = sandboxMode();
  const argv = sandboxArgv({ mode, user: mode === "root" ? sandboxUserForSlot(0) : undefined, hostDir: w.path, limits: DEFAULT_SANDBOX_LIMITS });
  // Everything up to the program run inside, then /bin/true instead of sh + node.
  const cut = argv.indexOf("/bin/sh");
  const t0 = performance.now();
  const r = spawnSync(argv[0], [...argv.slice(1, cut), "/bin/true"], { cwd: w.path });
  const ms = performance.now() - t0;
  w.remove();
  if (r.status !== 0) throw new Error(`bwrap alone failed: ${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sandboxed = sandboxedKernelFactory();
const plain = unsandboxedKernelFactory();
const res = { sandboxed: [], plain: [], bwrap: [] };
for (let i = 0; i < rounds; i++) {
  // Alternate the order so that neither always goes first after a pause.
  const order = i % 2 === 0 ? ["sandboxed", "plain"] : ["plain", "sandboxed"];
  for (const which of order) res[which].push(await once(which === "sandboxed" ? sandboxed : plain));
  res.bwrap.push(bwrapAlone());
}
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
console.log(`kernel ready, sandboxed: ${fmt(res.sandboxed.map((r) => r.ready))}`);
console.log(`kernel ready, plain:     ${fmt(res.plain.map((r) => r.ready))}`);
console.log(`  ratio sandboxed/plain (medians): ${(median(res.sandboxed.map((r) => r.ready)) / median(res.plain.map((r) => r.ready))).toFixed(2)}`);
console.log(`CPU time to ready, sandboxed: ${fmt(res.sandboxed.map((r) => r.cpu))}`);
console.log(`CPU time to ready, plain:     ${fmt(res.plain.map((r) => r.cpu))}`);
console.log(`  ratio sandboxed/plain (medians): ${(median(res.sandboxed.map((r) => r.cpu)) / median(res.plain.map((r) => r.cpu))).toFixed(2)}`);
console.log(`first cell "1 + 1", sandboxed: ${fmt(res.sandboxed.map((r) => r.cell))}; plain: ${fmt(res.plain.map((r) => r.cell))}`);
console.log(`bwrap alone (same namespaces and mounts, /bin/true): ${fmt(res.bwrap)}`);
console.log(
  `load average at end ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
