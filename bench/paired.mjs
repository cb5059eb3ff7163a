// Two builds of nnlab against each other, in one process, on a benchmark workload:
//   node bench/paired.mjs <wd|mlp|cnn> <float32|float64> <distA> [distB] [--blocks 200]
// distA, distB: kernel-lib/dist directories (distB defaults to this checkout's build). Copy the
// build before a change (cp -r kernel-lib/dist out/before), make the change, npm run build, then
// `node bench/paired.mjs wd float64 out/before`. Keep the copy inside the checkout: from /tmp,
// require("koffi") fails and that side runs on WebAssembly (each side's back end is printed).
//   node bench/paired.mjs <wd|mlp|cnn> <float32|float64> --backends wasm,blas
// compares two back ends of this checkout's build instead (setBackend before each block).
//
// Why: on a shared machine the speed drifts by ±20 % and more over seconds, so two separate runs
// cannot show a 3 % change. Here short blocks of A and B alternate (ABBA…), and each adjacent pair
// gives one ratio B/A; the drift is slow next to a block, so it cancels out of each ratio. The
// median of the ratios, with its quartiles, is the answer: below 1, B is faster. Each build keeps
// its own module instances (buffer free list, WebAssembly kernels, worker threads). They share
// one heap, so one side's garbage may be collected during the other's block: a change in how much
// a step allocates shows less here than in separate processes.
import { problems } from "./nnlab-problems.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const blocks = Number(option("--blocks", 200));
// --clock cpu: time each block by the process's CPU time (user + system) instead of the wall
// clock. On a machine shared with other work, wall time counts the time the process waited for a
// core; CPU time does not (it still feels shared caches and frequency). With worker threads (BLAS
// or gemm threads) CPU time adds theirs, so use it for one-thread runs.
const clock = option("--clock", "wall");
const backends = option("--backends", undefined)?.split(",");
const [workload, dtype, distA0, distB] = args;
const distA = backends ? (distA0 ?? undefined) : distA0;
if (
  !["wall", "cpu"].includes(clock) ||
  !["wd", "mlp", "cnn"].includes(workload) ||
  !["float32", "float64"].includes(dtype) ||
  !(distA || backends) ||
  !(blocks >= 4) ||
  (backends && (backends.length !== 2 || backends.some((b) => !["wasm", "blas", "auto"].includes(b))))
) {
  console.error(
    "usage: node bench/paired.mjs <wd|mlp|cnn> <float32|float64> (<distA> [distB] | --backends wasm,blas) [--blocks N (≥ 4)] [--clock wall|cpu]",
  );
  process.exit(2);
}

/** A block of training work (`run()`), how many steps it is, and a value both builds should agree on. */
function setUp(dist, backend) {
  const s = setUpWork(dist);
  if (!backend) return s;
  const { setBackend } = problems(dist).nnlab;
  return {
    ...s,
    run: () => {
      setBackend(backend);
      s.run();
    },
  };
}

function setUpWork(dist) {
  const P = problems(dist);
  if (workload === "wd") {
    const { weight, one } = P.weightDecaySteps(dtype);
    let loss = NaN;
    return {
      steps: 200,
      run: () => {
        for (let k = 0; k < 200; k++) loss = one();
      },
      check: () => [loss.item(), weight.data[0]],
    };
  }
  const { w, batch } = P.classifierSteps(workload, dtype);
  let i = 0,
    loss = NaN;
  return {
    steps: 8,
    run: () => {
      for (let k = 0; k < 8; k++) {
        loss = batch(i);
        i = i + w.batch >= w.samples ? 0 : i + w.batch;
      }
    },
    check: () => [loss],
  };
}

const sides = [setUp(distA, backends?.[0]), setUp(distB ?? undefined, backends?.[1])];
{
  const { cpus, loadavg } = await import("node:os");
  console.log(`${cpus()[0]?.model} × ${cpus().length} · load ${loadavg()[0].toFixed(1)}`);
  // Each side chooses its back end here (backendInfo loads the BLAS if one will load): a side without it does not compare like with like.
  for (const [label, dist] of [
    ["A", distA],
    ["B", distB ?? undefined],
  ]) {
    const info = problems(dist).nnlab.backendInfo?.();
    if (!info) console.log(`  ${label}: a build without backendInfo (WebAssembly kernels only)`);
    else if (!backends)
      console.log(`  ${label}: ${info.backend === "blas" ? `BLAS ${info.library}` : `WebAssembly (${info.reason})`}, ${info.threads} thread(s)`);
  }
}
/** Milliseconds by the chosen clock. */
const now =
  clock === "cpu"
    ? () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      }
    : () => performance.now();
for (let k = 0; k < 10; k++) for (const s of sides) s.run(); // warm-up: JIT, pools, kernels, workers
const ratios = [];
const times = [[], []];
for (let r = 0; r < blocks; r++) {
  const t = [0, 0];
  for (const j of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const t0 = now();
    sides[j].run();
    t[j] = now() - t0;
    times[j].push(t[j]);
  }
  ratios.push(t[1] / t[0]);
}
const sorted = (a) => a.slice().sort((x, y) => x - y);
const at = (a, q) => sorted(a)[Math.min(a.length - 1, Math.floor(q * a.length))];
const unit = workload === "wd" ? "µs a step" : "ms a batch";
const per = (ms) => (workload === "wd" ? (ms / sides[0].steps) * 1000 : ms / sides[0].steps).toFixed(workload === "wd" ? 2 : 3);
console.log(`${workload} ${dtype}, ${blocks} pairs of blocks (${sides[0].steps} ${workload === "wd" ? "steps" : "batches"} each), ${clock} clock`);
console.log(
  `  A ${distA ?? "this checkout"}${backends ? ` (${backends[0]})` : ""}: median ${per(at(times[0], 0.5))} ${unit} (best ${per(at(times[0], 0))})`,
);
console.log(
  `  B ${distB ?? "this checkout"}${backends ? ` (${backends[1]})` : ""}: median ${per(at(times[1], 0.5))} ${unit} (best ${per(at(times[1], 0))})`,
);
console.log(`  B/A paired: median ${at(ratios, 0.5).toFixed(3)}, quartiles ${at(ratios, 0.25).toFixed(3)}–${at(ratios, 0.75).toFixed(3)}`);
const [ca, cb] = sides.map((s) => s.check());
if (JSON.stringify(ca) !== JSON.stringify(cb)) {
  console.log(
    `  note: the two builds ended on different values (${ca.join(", ")} vs ${cb.join(", ")}): not the same arithmetic, or not the same number of steps`,
  );
}
