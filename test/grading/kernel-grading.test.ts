/**
 * Grading with real nnlab kernels. One file, so its batches never compete with each other for
 * the two CI cores; every batch is graded once and its results shared by the assertions.
 */
import { cpSync, symlinkSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectKernelClient } from "../../cli/src/kernel/direct";
import { kernelEntry, writeKernelspec } from "../../cli/src/kernel/kernelspec";
import { jupyterServerAvailable, startJupyterServer } from "../../cli/src/kernel/jupyter-server";
import { ServerKernelClient } from "../../cli/src/kernel/server";
import { serializeNotebook } from "../../cli/src/lessons/format/notebook";
import { BatchSummary, gradeBatch, KernelFactory } from "../../cli/src/lessons/grade";
import { releaseLesson } from "../../cli/src/lessons/release";
import { hiddenNeedles } from "../../cli/src/lessons/redact";
import { readRecord } from "../../cli/src/lessons/record";
import { SubmissionResult, validateResult, withoutTimings } from "../../cli/src/lessons/write/results-json";
import { checkNotebook } from "../../cli/src/lessons/check";
import { hostileSubmissions } from "./hostile";
import { defaultSandboxUser, sandboxArgv } from "../../cli/src/lessons/sandbox";
import { MINI, REPO } from "./helpers";

const available = existsSync(kernelEntry());
if (!available) console.log(`grading kernel tests skipped: ${kernelEntry()} is missing (run npm run build)`);

const MEMORY = { maxOldSpaceMb: 1024, addressSpaceKb: 4_000_000 };
const factory: KernelFactory = ({ cwd, env, user }) =>
  new DirectKernelClient({ cwd, env, ...MEMORY, ...(user ? { argv: sandboxArgv(cwd, user, MEMORY) } : {}) });
const sandboxUser = defaultSandboxUser();
if (!sandboxUser) console.log("grading kernel tests: not root (or no setpriv): kernels run as this user; the unreadable-path probe assertions are skipped");
const LIMITS = { cellTimeoutMs: 3000, notebookTimeoutMs: 90_000, maxOutputBytes: 100_000 };

const work = mkdtempSync(join(tmpdir(), "nnlab-test-grading-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function byStudent(s: BatchSummary): Record<string, SubmissionResult> {
  return Object.fromEntries(s.results.map((r) => [r.student, r]));
}

// The lesson gate over lessons/ (solution 100 %, release 0, listed mistakes and alternatives) is
// test/grading/lesson-gate.test.ts.

describe.skipIf(!available)("hostile submissions, graded as one batch", () => {
  // The lesson and the submissions live under a 0700 folder, as an instructor should keep them.
  const lesson = join(work, "lesson-mini");
  const hostileDir = join(work, "hostile");
  const secretPaths = [join(lesson, "expected.json"), join(lesson, "release-record.json"), join(hostileDir, "good", "mini.ipynb")];
  const { subs } = hostileSubmissions(secretPaths);
  let batch: BatchSummary;
  let r: Record<string, SubmissionResult>;
  let solo: Record<string, SubmissionResult>;
  const out = join(work, "hostile-out");
  beforeAll(async () => {
    cpSync(MINI, lesson, { recursive: true });
    const record = releaseLesson(lesson, join(work, "mini-release"));
    expect(record.record.maxScore).toBe(7);
    const dir = hostileDir;
    for (const s of subs) {
      mkdirSync(join(dir, s.name), { recursive: true });
      writeFileSync(join(dir, s.name, "mini.ipynb"), s.raw ?? serializeNotebook(s.notebook!));
    }
    const t0 = Date.now();
    batch = await gradeBatch({ lessonDir: lesson, submissionsDir: dir, outDir: out, jobs: 2, force: true, limits: LIMITS, kernelFactory: factory });
    console.log(`hostile batch: ${subs.length} submissions in ${((Date.now() - t0) / 1000).toFixed(1)} s on 2 workers`);
    r = byStudent(batch);
    // Some of them again, serially and without the hostile neighbours.
    const soloDir = join(work, "solo");
    for (const name of ["good", "released", "monkeypatch", "process_exit"]) {
      mkdirSync(join(soloDir, name), { recursive: true });
      copyFileSync(join(dir, name, "mini.ipynb"), join(soloDir, name, "mini.ipynb"));
    }
    solo = byStudent(await gradeBatch({ lessonDir: lesson, submissionsDir: soloDir, outDir: join(work, "solo-out"), jobs: 1, force: true, limits: LIMITS, kernelFactory: factory }));
  }, 600_000);

  it("grades every submission to its stated score, with no grader error", () => {
    const got = Object.fromEntries(subs.map((s) => [s.name, r[s.name]?.score]));
    const want = Object.fromEntries(subs.map((s) => [s.name, s.score]));
    expect(got).toEqual(want);
    for (const s of subs) {
      expect(r[s.name].graderError, s.name).toBeUndefined();
      expect(validateResult(r[s.name]), s.name).toEqual([]);
    }
  });

  it("is deterministic and isolated: --jobs 2 among hostile neighbours equals --jobs 1 alone (timings aside)", () => {
    for (const name of Object.keys(solo)) expect(withoutTimings(r[name]), name).toEqual(withoutTimings(solo[name]));
  });

  const status = (student: string, id: string) => r[student].cases.find((c) => c.id === id)!;

  it("an infinite sync loop times out only its own question", () => {
    expect(status("sync_loop", "double_tests")).toMatchObject({ status: "timeout", points: 0 });
    expect(status("sync_loop", "double_tests").message).toMatch(/timeout after 3 s/);
    expect(status("sync_loop", "sigmoid_hidden").status).toBe("passed");
  });

  it("a loop after await is killed, the kernel restarted and earlier cells replayed for later questions", () => {
    expect(r.await_loop.restarts).toBe(1);
    expect(status("await_loop", "deriv_expr")).toMatchObject({ status: "error", points: 0 });
    expect(status("await_loop", "double_tests").status).toBe("passed");
  });

  it("process.exit costs the running question only, with the reason; records sent before it survive", () => {
    expect(status("process_exit", "sigmoid_zero").status).toBe("passed");
    expect(status("process_exit", "sigmoid_two")).toMatchObject({ status: "killed", points: 0 });
    expect(status("process_exit", "sigmoid_two").message).toMatch(/kernel died \(.*3/);
    expect(status("process_exit", "double_tests").status).toBe("passed");
  });

  it("a memory bomb hits the memory limit; the other questions are graded", () => {
    expect(status("memory_bomb", "double_tests")).toMatchObject({ status: "error", points: 0 });
    expect(status("memory_bomb", "double_tests").message).toMatch(/memory limit/);
  });

  it("a 200,000-line flood is capped while collecting and later cells still run", () => {
    const size = statSync(join(out, "autograded", "flood.ipynb")).size;
    expect(size).toBeLessThan(250_000);
    const nb = readFileSync(join(out, "autograded", "flood.ipynb"), "utf8");
    expect(nb).toContain("output truncated at 100000 bytes"); // the 3 MB burst
    expect(nb).toMatch(/flood line 1\b/);
    // The line flood is either cut at the cap too, or runs out of time (tslab prints ≈10k lines/s).
    expect(nb).toMatch(/\[nnlab grader\] timeout|output truncated[\s\S]*output truncated/);
    expect(status("flood", "double_tests").status).toBe("passed");
  });

  it("monkey-patched built-ins and forged records from the student's own cell score nothing", () => {
    expect(r.monkeypatch.cases.map((c) => c.status)).not.toContain("passed");
  });

  it("a swapped-out helper module can forge public cases only (documented limit); hidden cases stay at 0", () => {
    expect(status("module_swap", "sigmoid_zero").status).toBe("passed");
    expect(status("module_swap", "sigmoid_hidden")).toMatchObject({ status: "failed", points: 0 });
    expect(status("module_swap", "deriv_expr")).toMatchObject({ status: "failed", points: 0 });
  });

  it("deleted and edited tests are restored, mangled metadata and types repaired, each with a warning", () => {
    expect(r.tests_edited.warnings.join("\n")).toMatch(/"sigmoid_tests" was deleted; re-inserted/);
    expect(r.tests_edited.warnings.join("\n")).toMatch(/"double_tests"\): locked cell was edited; restored/);
    expect(r.metadata_stripped.warnings.join("\n")).toMatch(/matched to "sigmoid" by cell id/);
    expect(r.metadata_stripped.warnings.join("\n")).toMatch(/kernelspec "python3" replaced/);
    expect(r.to_markdown.warnings.join("\n")).toMatch(/cell type markdown reverted to code/);
  });

  it("a probe finds no hidden test or expectation in its cwd or any grading workdir, and no grader variables", () => {
    const nb = readFileSync(join(out, "autograded", "probe.ipynb"), "utf8");
    expect(nb).toContain("probe found: nothing");
    expect(nb).toContain("grader env vars: []");
  });

  it.skipIf(!sandboxUser)("runs kernels as nobody: the lesson's expectations, the record and other submissions are unreadable", () => {
    const nb = readFileSync(join(out, "autograded", "probe.ipynb"), "utf8");
    expect(nb).toContain(`kernel uid: ${sandboxUser!.uid}`);
    for (const p of secretPaths) expect(nb).toContain(`read ${p}: EACCES`);
  });

  it("a malformed notebook scores 0 with the reason, and the batch continues", () => {
    expect(r.malformed.cases.every((c) => c.status === "not-run")).toBe(true);
    expect(r.malformed.warnings[0]).toMatch(/could not be read: .*not valid JSON/);
  });

  it("shows no hidden-test source in any student-facing file", () => {
    const needles = hiddenNeedles(readRecord(lesson)).filter((n) => n.includes("(") && n.length > 20);
    expect(needles.length).toBeGreaterThan(0);
    for (const s of subs) {
      for (const f of [join(out, "feedback", `${s.name}.html`), join(out, "gradescope", s.name, "results.json"), join(out, "autograded", `${s.name}.ipynb`)]) {
        const text = readFileSync(f, "utf8");
        for (const n of needles) expect(text.includes(n), `${f} contains ${n}`).toBe(false);
      }
    }
  });

  it("writes gradebook.csv with one row per student in sorted order", () => {
    const lines = readFileSync(join(out, "gradebook.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score,sigmoid_tests,deriv_tests,double_tests");
    expect(lines.slice(1).map((l) => l.split(",")[3])).toEqual(subs.map((s) => s.name).sort());
  });

  it("resumes: a rerun skips submissions already graded, and applies manual grades added since", async () => {
    mkdirSync(join(out, "manual"), { recursive: true });
    writeFileSync(join(out, "manual", "good.json"), JSON.stringify({ sigmoid_hidden: { points: 1, comment: "half: rounding" } }));
    const again = await gradeBatch({ lessonDir: lesson, submissionsDir: hostileDir, outDir: out, jobs: 2, limits: LIMITS, kernelFactory: () => {
      throw new Error("no kernel should start on a resumed, complete batch");
    } });
    expect(again.skipped.sort()).toEqual(subs.map((s) => s.name).sort());
    const good = byStudent(again).good;
    expect(good.score).toBe(6);
    expect(good.cases.find((c) => c.id === "sigmoid_hidden")).toMatchObject({
      points: 1, autoPoints: 2, manual: true, comment: "half: rounding", needsReview: "manual 1 kept; the autograder gives 2",
    });
    expect(readFileSync(join(out, "gradebook.csv"), "utf8")).toContain("\nlesson-mini,,,good,,,,6,0,6,7,3,2,1\n");
  });
});

describe.skipIf(!available)("nnlab check", () => {
  it("reports public cases honestly: 'public 3/3 passed; hidden tests run at grading'", async () => {
    const { good } = hostileSubmissions();
    const dir = join(work, "check");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "mini.ipynb"), serializeNotebook(good));
    const report = await checkNotebook(join(dir, "mini.ipynb"), (cwd, env) => new DirectKernelClient({ cwd, env }), 20_000);
    expect(report.summary).toBe("public 3/3 passed; hidden tests run at grading");
    expect(report.cases.map((c) => c.id)).toEqual(["sigmoid_zero", "sigmoid_two", "double_tests"]);
  }, 120_000);
});

const serverAvailable = available && jupyterServerAvailable();
if (available && !serverAvailable) console.log("server-mode grading test skipped: /usr/bin/python3 has no jupyter_server");

describe.skipIf(!serverAvailable)("grading through a Jupyter server (--server mode)", () => {
  it("grades the same submissions to the same scores, including a kernel death", async () => {
    const root = join(work, "server-root");
    mkdirSync(join(root, "node_modules"), { recursive: true });
    symlinkSync(join(REPO, "kernel-lib"), join(root, "node_modules", "nnlab"), "dir");
    writeKernelspec(join(work, "server-jupyter"));
    const server = await startJupyterServer({ rootDir: root, jupyterPath: join(work, "server-jupyter") });
    try {
      const lesson = join(work, "lesson-server");
      cpSync(MINI, lesson, { recursive: true });
      releaseLesson(lesson, join(work, "server-release"));
      const { subs } = hostileSubmissions();
      const dir = join(work, "server-subs");
      const picked = subs.filter((x) => ["good", "released", "process_exit"].includes(x.name));
      for (const s of picked) {
        mkdirSync(join(dir, s.name), { recursive: true });
        writeFileSync(join(dir, s.name, "mini.ipynb"), serializeNotebook(s.notebook!));
      }
      const batch = await gradeBatch({
        lessonDir: lesson, submissionsDir: dir, outDir: join(work, "server-out"), jobs: 2, force: true, limits: LIMITS, sandboxUser: null,
        kernelFactory: () => new ServerKernelClient({ baseUrl: server.url, token: server.token }),
      });
      const got = Object.fromEntries(batch.results.map((r) => [r.student, r.score]));
      expect(got).toEqual(Object.fromEntries(picked.map((s) => [s.name, s.score])));
      expect(batch.results.every((r) => r.graderError === undefined)).toBe(true);
    } finally {
      await server.stop();
    }
  }, 300_000);
});
