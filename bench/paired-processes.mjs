// Two builds of nnlab against each other, each run in processes of its own, alternating:
//   node bench/paired-processes.mjs <wd|mlp|cnn> <float32|float64> <distA> [distB] [--pairs 12] [--steps N]
// bench/paired.mjs runs both builds in one process, so they share one heap and one side's garbage
// may be collected during the other's block; a change in how much a step allocates (its GC cost)
// shows fully only here. Each process warms up, then times N steps by its own CPU time (user +
// system: waiting for a core on a shared machine is not counted). Pairs alternate AB, BA, … and the
// answer is the median of the pairs' ratios B/A, with the range. Slower than paired.mjs (a process
// start per run), so fewer pairs.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { defaultDist, problems } from "./nnlab-problems.mjs";

const child = process.argv[2] === "--child";
if (child) {
  const [, dist, workload, dtype, steps] = process.argv.slice(2);
  const P = problems(dist);
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  let step;
  if (workload === "wd") step = P.weightDecaySteps(dtype).one;
  else {
    const { w, batch } = P.classifierSteps(workload, dtype);
    let i = 0;
    step = () => {
      batch(i);
      i = i + w.batch >= w.samples ? 0 : i + w.batch;
    };
  }
  for (let k = 0; k < Math.max(50, Math.floor(Number(steps) / 5)); k++) step();
  const t0 = cpu();
  for (let k = 0; k < Number(steps); k++) step();
  console.log((cpu() - t0) / Number(steps));
} else {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : fallback;
  };
  const pairs = Number(option("--pairs", 12));
  const [workload, dtype, distA, distB = defaultDist] = args;
  const steps = Number(option("--steps", workload === "wd" ? 100000 : workload === "mlp" ? 150 : 20));
  if (!["wd", "mlp", "cnn"].includes(workload) || !["float32", "float64"].includes(dtype) || !distA || !(pairs >= 2)) {
    console.error("usage: node bench/paired-processes.mjs <wd|mlp|cnn> <float32|float64> <distA> [distB] [--pairs N (≥ 2)] [--steps N]");
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  const run = (dist) => Number(execFileSync(process.execPath, [self, "--child", dist, workload, dtype, String(steps)], { encoding: "utf8" }).trim());
  console.log(`${cpus()[0]?.model} × ${cpus().length} · load ${loadavg()[0].toFixed(1)}`);
  const ta = [],
    tb = [],
    ratios = [];
  for (let k = 0; k < pairs; k++) {
    let a, b;
    if (k % 2 === 0) {
      a = run(distA);
      b = run(distB);
    } else {
      b = run(distB);
      a = run(distA);
    }
    ta.push(a);
    tb.push(b);
    ratios.push(b / a);
  }
  const median = (v) => v.slice().sort((x, y) => x - y)[v.length >> 1];
  const per = (ms) => (workload === "wd" ? `${(ms * 1000).toFixed(2)} µs a step` : `${ms.toFixed(3)} ms a batch`);
  console.log(`${workload} ${dtype}, ${pairs} pairs of processes (${steps} ${workload === "wd" ? "steps" : "batches"} each), cpu clock`);
  console.log(`  A ${distA}: median ${per(median(ta))}`);
  console.log(`  B ${distB}: median ${per(median(tb))}`);
  console.log(`  B/A paired: median ${median(ratios).toFixed(3)}, range ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`);
}
