#!/usr/bin/env node
// Grading throughput (issue 6's target, kept by issue 12: 100 submissions of one lesson in
// ≤ 4 minutes on 2 cores). Makes N submissions of a lesson (its solved source notebook under N
// student names), grades them with `nnlab grade --jobs J` (every kernel in its bubblewrap
// sandbox), and prints submissions per minute and what 100 would take. With --compare it also
// grades them with --unsafe-no-sandbox, alternating, in the same run, and prints the ratio.
//
//   npm run build && node bench/grading.mjs [--lesson lessons/05-optimizers] [--n 20] [--jobs 2] [--compare]
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { lesson: { type: "string" }, n: { type: "string" }, jobs: { type: "string" }, compare: { type: "boolean" } },
});
const lesson = resolve(root, values.lesson ?? "lessons/05-optimizers");
const n = Number(values.n ?? 20);
const jobs = Number(values.jobs ?? cpus().length);

const model = (spawnSync("lscpu", { encoding: "utf8" }).stdout.match(/Model name:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model;
console.log(`CPU: ${model}; ${cpus().length} cores`);

const work = mkdtempSync(join(tmpdir(), "nnlab-grade-bench-"));
const subs = join(work, "submissions");
for (let i = 0; i < n; i++) {
  const dir = join(subs, `student${String(i).padStart(3, "0")}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(lesson, "source.ipynb"), join(dir, "submission.ipynb"));
}

/** CPU seconds of this process's waited-for descendants (the grader and, reaped in turn, every kernel). */
function childrenCpuSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[13]) + Number(rest[14])) / 100; // cutime + cstime, in USER_HZ ticks
}

function grade(label, extra) {
  const out = join(work, `graded-${label}`);
  const load = loadavg()[0];
  const cpu0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, "cli/dist/main.js"), "grade", lesson, subs, "--out", out, "--jobs", String(jobs), ...extra], {
    encoding: "utf8",
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = childrenCpuSeconds() - cpu0;
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(1);
  }
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  const perMinute = (n / seconds) * 60;
  const scores = Object.values(summary.scores);
  console.log(`${label}: ${lesson.replace(root + "/", "")}, ${n} submissions, --jobs ${jobs}, load ${load.toFixed(1)} at start`);
  console.log(
    `  ${seconds.toFixed(1)} s → ${perMinute.toFixed(1)} submissions/min; 100 submissions ≈ ${(100 / perMinute).toFixed(1)} min (target ≤ 4)`,
  );
  // CPU time cannot be inflated by other load: on J idle cores the run needs at least cpu / J
  // seconds. Only for plain kernels: a sandbox's processes are reaped by its pid namespace's
  // init, and when the grader kills bwrap's process group that init is orphaned before it is
  // reaped, so the sandbox's CPU time mostly never reaches the grader's rusage (measured: 0.1 s
  // per submission; bench/sandbox.mjs compares the kernels' own CPU time instead).
  if (extra.includes("--unsafe-no-sandbox"))
    console.log(
      `  CPU ${cpu.toFixed(0)} s (${(cpu / n).toFixed(1)} s per submission); on ${jobs} idle cores 100 submissions need ≥ ${(((cpu / n) * 100) / jobs / 60).toFixed(1)} min`,
    );
  console.log(
    `  scores: ${scores.every((s) => s === summary.maxScore) ? `all ${summary.maxScore}/${summary.maxScore}` : JSON.stringify(summary.scores).slice(0, 200)}`,
  );
  return { seconds, cpu };
}

const sandboxed = grade("sandboxed", []);
if (values.compare) {
  const plain = grade("no sandbox", ["--unsafe-no-sandbox"]);
  console.log(`ratio sandboxed / no sandbox, wall time: ${(sandboxed.seconds / plain.seconds).toFixed(2)} (load at end ${loadavg()[0].toFixed(1)})`);
}
rmSync(work, { recursive: true, force: true });
