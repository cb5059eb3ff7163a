/**
 * Grading with real nnlab kernels. One file, so its batches never compete with each other for
 * the two CI cores; every batch is graded once and its results shared by the assertions.
 */
import { cpSync, symlinkSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectKernelClient } from "../../cli/src/kernel/direct";
import { kernelEntry } from "../../cli/src/kernel/kernelspec";
import { GRADING_KERNEL_NAME, serverGradingProblem, writeGradingKernelspec } from "../../cli/src/lessons/grading-kernelspec";
import { jupyterServerAvailable, spawnJupyter } from "../../cli/src/kernel/spawn-jupyter";
import { ServerKernelClient } from "../../cli/src/kernel/server";
import { serializeNotebook } from "../../cli/src/lessons/format/notebook";
import { type BatchSummary, gradeBatch, type KernelFactory } from "../../cli/src/lessons/grade";
import { releaseLesson } from "../../cli/src/lessons/release";
import { hiddenNeedles } from "../../cli/src/lessons/redact";
import { readRecord } from "../../cli/src/lessons/record";
import { type SubmissionResult, validateResult, withoutTimings } from "../../cli/src/lessons/write/results-json";
import { checkNotebook } from "../../cli/src/lessons/check";
import { FORMULA_STUDENT, hostileSubmissions } from "./hostile";
import { expectedLeakNeedles, readExpected } from "../../cli/src/lessons/expected";
import { csvCell } from "../../cli/src/lessons/write/gradebook-csv";
import { sandboxMode, sandboxProblem, sandboxUserForSlot } from "../../cli/src/lessons/sandbox";
import { sandboxedKernelFactory } from "../../cli/src/lessons/kernels";
import { MINI, REPO } from "./helpers";
import { writeManual } from "../../cli/src/lessons/manual";
import { graderKey } from "../../cli/src/lessons/state";

const built = existsSync(kernelEntry());
if (!built) console.log(`grading kernel tests skipped: ${kernelEntry()} is missing (run npm run build)`);
const sandboxMissing = built ? sandboxProblem() : undefined;
if (sandboxMissing) console.log(`grading kernel tests skipped: no sandbox: ${sandboxMissing}`);
const available = built && !sandboxMissing;

const factory: KernelFactory = sandboxedKernelFactory();
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
  const soloLog: string[] = [];
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
    // Symbolic links, which the grader (root) must neither follow nor copy nor print.
    mkdirSync(join(dir, "symlink_shadow"));
    symlinkSync("/etc/shadow", join(dir, "symlink_shadow", "mini.ipynb"));
    mkdirSync(join(dir, "symlink_key"));
    const good = subs.find((x) => x.name === "good")!.notebook!;
    const keyProbe = {
      cell_type: "code" as const,
      id: "key_probe",
      metadata: {},
      outputs: [],
      execution_count: null,
      source:
        'import * as fs from "fs";\ntry { console.log("data.json: " + fs.readFileSync("data.json", "utf8")); } catch (e) { console.log("data.json: " + (e as NodeJS.ErrnoException).code); }',
    };
    writeFileSync(join(dir, "symlink_key", "mini.ipynb"), serializeNotebook({ ...good, cells: [...good.cells, keyProbe] }));
    symlinkSync(join(lesson, "expected.json"), join(dir, "symlink_key", "data.json"));
    const t0 = Date.now();
    batch = await gradeBatch({ lessonDir: lesson, submissionsDir: dir, outDir: out, jobs: 2, force: true, limits: LIMITS, kernelFactory: factory });
    console.log(`hostile batch: ${subs.length} submissions in ${((Date.now() - t0) / 1000).toFixed(1)} s on 2 workers`);
    r = byStudent(batch);
    // Some of them again, serially and without the hostile neighbours, into an --out where
    // results were planted beforehand: "good" graded 0 (a rival's doing), "released" full marks.
    const soloDir = join(work, "solo");
    for (const name of ["good", "released", "monkeypatch", "process_exit"]) {
      mkdirSync(join(soloDir, name), { recursive: true });
      copyFileSync(join(dir, name, "mini.ipynb"), join(soloDir, name, "mini.ipynb"));
    }
    const soloOut = join(work, "solo-out");
    mkdirSync(join(soloOut, "results"), { recursive: true });
    for (const [name, pts] of [
      ["good", 0],
      ["released", 7],
    ] as const) {
      const planted = {
        ...r[name],
        score: pts,
        cases: r[name].cases.map((c) => ({ ...c, points: pts === 0 ? 0 : c.max, status: pts === 0 ? "failed" : "passed" })),
        mac: "0".repeat(64),
      };
      writeFileSync(join(soloOut, "results", `${name}.json`), JSON.stringify(planted));
    }
    solo = byStudent(
      await gradeBatch({
        lessonDir: lesson,
        submissionsDir: soloDir,
        outDir: soloOut,
        jobs: 1,
        limits: LIMITS,
        kernelFactory: factory,
        log: (l) => soloLog.push(l),
      }),
    );
  }, 600_000);

  it("grades every submission to its stated score, with no grader error", () => {
    const got = Object.fromEntries([
      ...subs.map((s) => [s.name, r[s.name]?.score]),
      ["symlink_shadow", r.symlink_shadow?.score],
      ["symlink_key", r.symlink_key?.score],
    ]);
    const want = Object.fromEntries([...subs.map((s) => [s.name, s.score]), ["symlink_shadow", 0], ["symlink_key", 7]]);
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

  it("a swapped-out helper module (fakes that copy the test's expected value, built-ins overridden) earns nothing", () => {
    expect(r.module_swap.score).toBe(0);
    for (const id of ["sigmoid_zero", "sigmoid_two"]) {
      expect(status("module_swap", id), id).toMatchObject({ status: "failed", points: 0, message: "no value reported" });
    }
    expect(status("module_swap", "sigmoid_hidden")).toMatchObject({ status: "failed", points: 0 });
    expect(status("module_swap", "double_tests")).toMatchObject({ status: "error", points: 0, message: "Error: double(3) should be 6" });
    expect(status("module_swap", "deriv_expr")).toMatchObject({ status: "failed", points: 0 });
  });

  it("forged 'passed' records (rewritten on the way out, sent early by a timer, sent by a free cell) earn nothing", () => {
    expect(r.forged_passed.score).toBe(0);
    expect(status("forged_passed", "sigmoid_two").message).toMatch(/got 1, expected 0\.8807970779778823|one of \d+ records/);
    expect(r.forged_passed.cases.every((c) => c.status !== "passed")).toBe(true);
  });

  it("a results file planted in --out (not signed by this grader) is ignored and the student regraded", () => {
    expect(solo.good.score).toBe(7);
    expect(solo.released.score).toBe(0);
    expect(soloLog.filter((l) => /not signed by this grader/.test(l)).sort()).toEqual([
      "good: results/good.json is not signed by this grader (planted or from another --out); grading again",
      "released: results/released.json is not signed by this grader (planted or from another --out); grading again",
    ]);
  });

  it("symbolic links are refused with a message, never followed, copied or printed", () => {
    expect(r.symlink_shadow.cases.every((c) => c.status === "not-run")).toBe(true);
    expect(r.symlink_shadow.warnings[0]).toBe("the notebook could not be read: mini.ipynb is a symbolic link; submit the file itself");
    expect(r.symlink_key.warnings).toContain("data.json is a symbolic link; it was not read (submit the file itself)");
    expect(readFileSync(join(out, "autograded", "symlink_key.ipynb"), "utf8")).toContain("data.json: ENOENT");
  });

  it("an expression built to stall mathjs (30 factors) scores 0 within the budget; the other questions and submissions are unaffected", () => {
    expect(status("expr_dos", "deriv_expr")).toMatchObject({ status: "failed", points: 0 });
    expect(status("expr_dos", "deriv_expr").message).toMatch(/not equivalent|too large|took longer/);
    expect(r.expr_dos.timing.durationMs).toBeLessThan(60_000);
    expect(r.expr_dos.score).toBe(5);
  });

  it("markdown in the feedback is sanitised: no script, no event handler, no javascript: link", () => {
    const html = readFileSync(join(out, "feedback", "xss_markdown.html"), "utf8");
    expect(html).toContain("<h1>Notes</h1>");
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
  });

  it("hidden tests captured by wrapping the execute handler and printed later are redacted", () => {
    const nb = readFileSync(join(out, "autograded", "capture.ipynb"), "utf8");
    expect(nb).toMatch(/captured \d+ cells/); // the attack ran
    expect(nb).toContain("[detail of a hidden test removed]");
    expect(r.capture.score).toBe(7);
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

  it("runs kernels sandboxed: the lesson's expectations, the record and other submissions are not even there", () => {
    const nb = readFileSync(join(out, "autograded", "probe.ipynb"), "utf8");
    const uid = Number(/kernel uid: (\d+)/.exec(nb)?.[1]);
    if (sandboxMode() === "root") expect([sandboxUserForSlot(0).uid, sandboxUserForSlot(1).uid]).toContain(uid);
    else expect(uid).toBe(process.getuid!());
    for (const p of secretPaths) expect(nb).toContain(`read ${p}: ENOENT`);
  });

  it("a malformed notebook scores 0 with the reason, and the batch continues", () => {
    expect(r.malformed.cases.every((c) => c.status === "not-run")).toBe(true);
    expect(r.malformed.warnings[0]).toMatch(/could not be read: .*not valid JSON/);
  });

  it("shows nothing of the answer key (hidden tests, expected values, /etc/shadow) in any student-facing file", () => {
    const hidden = hiddenNeedles(readRecord(lesson)).filter((n) => n.includes("(") && n.length > 20);
    const values = expectedLeakNeedles(readExpected(lesson));
    expect(hidden.length).toBeGreaterThan(0);
    expect(values).toContain("0.04742587317756678");
    let shadow: string[] = [];
    try {
      shadow = readFileSync("/etc/shadow", "utf8")
        .split("\n")
        .filter((l) => l.length > 20);
    } catch {
      console.log("/etc/shadow unreadable here: its bytes cannot reach the outputs anyway");
    }
    const squash = (t: string) => t.replace(/[\s"'`\\]/g, "");
    for (const name of [...subs.map((s) => s.name), "symlink_shadow", "symlink_key"]) {
      for (const f of [
        join(out, "feedback", `${name}.html`),
        join(out, "gradescope", name, "results.json"),
        join(out, "autograded", `${name}.ipynb`),
        join(out, "results", `${name}.json`),
      ]) {
        const text = readFileSync(f, "utf8");
        for (const n of hidden) expect(squash(text).includes(squash(n)), `${f} contains ${n}`).toBe(false);
        for (const n of values) expect(text.includes(n), `${f} contains the expected value ${n}`).toBe(false);
        for (const l of shadow) expect(text.includes(l), `${f} contains a line of /etc/shadow`).toBe(false);
      }
    }
  });

  it("writes gradebook.csv with one row per student in sorted order", () => {
    const lines = readFileSync(join(out, "gradebook.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe(
      "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score,sigmoid_tests,deriv_tests,double_tests",
    );
    const names = [...subs.map((s) => s.name), "symlink_key", "symlink_shadow"].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(lines.slice(1)).toHaveLength(names.length);
    for (const [i, name] of names.entries()) expect(lines[i + 1].startsWith(`lesson-mini,,,${csvCell(name)},`), lines[i + 1]).toBe(true);
    expect(readFileSync(join(out, "gradebook.csv"), "utf8")).toContain(`\nlesson-mini,,,"'${FORMULA_STUDENT.replace(/"/g, '""')}",`);
  });

  it("resumes: a rerun skips submissions already graded, and applies manual grades added since (signed ones only)", async () => {
    writeManual(out, "good", { sigmoid_hidden: { points: 1, comment: "half: rounding" } }, graderKey(out));
    // Written by hand (or planted): not signed by the grader, so not believed.
    writeFileSync(
      join(out, "manual", "released.json"),
      JSON.stringify({ format: "nnlab-manual/1", student: "released", grades: { sigmoid_hidden: { points: 2 } } }),
    );
    const again = await gradeBatch({
      lessonDir: lesson,
      submissionsDir: hostileDir,
      outDir: out,
      jobs: 2,
      limits: LIMITS,
      kernelFactory: () => {
        throw new Error("no kernel should start on a resumed, complete batch");
      },
    });
    expect(again.skipped.sort()).toEqual([...subs.map((s) => s.name), "symlink_key", "symlink_shadow"].sort());
    const good = byStudent(again).good;
    expect(good.score).toBe(6);
    expect(good.cases.find((c) => c.id === "sigmoid_hidden")).toMatchObject({
      points: 1,
      autoPoints: 2,
      manual: true,
      comment: "half: rounding",
      needsReview: "manual 1 kept; the autograder gives 2",
    });
    expect(readFileSync(join(out, "gradebook.csv"), "utf8")).toContain("\nlesson-mini,,,good,,,,6,0,6,7,3,2,1\n");
    expect(byStudent(again).released.score).toBe(0);
  });
});

describe.skipIf(!available)("nnlab check", () => {
  it("reports public cases honestly, expression cases included, as grading will judge them: 'public 4/4 passed; hidden tests run at grading'", async () => {
    const { good } = hostileSubmissions();
    const dir = join(work, "check");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "mini.ipynb"), serializeNotebook(good));
    const report = await checkNotebook(join(dir, "mini.ipynb"), (cwd, env) => new DirectKernelClient({ cwd, env }), 20_000);
    expect(report.summary).toBe("public 4/4 passed; hidden tests run at grading");
    expect(report.cases.map((c) => c.id)).toEqual(["sigmoid_zero", "sigmoid_two", "deriv_expr", "double_tests"]);
  }, 120_000);

  it.each([
    ["1/(2+exp(z)+exp(-z))", "passed", "public 4/4 passed; hidden tests run at grading"],
    ["z*(1-z)", "failed", "public 3/4 passed; hidden tests run at grading"],
  ])(
    "judges the expression answer %s against the released samples: %s",
    async (answer, want, summary) => {
      const { good } = hostileSubmissions();
      const nb = JSON.parse(serializeNotebook(good));
      nb.cells.find((c: { id?: string; metadata: { nbgrader?: { grade_id?: string } } }) => c.metadata.nbgrader?.grade_id === "deriv").source =
        `const sigmoidDerivative = "${answer}";`;
      const dir = join(work, `check-${want}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "mini.ipynb"), JSON.stringify(nb));
      const report = await checkNotebook(join(dir, "mini.ipynb"), (cwd, env) => new DirectKernelClient({ cwd, env }), 20_000);
      expect(report.cases.find((c) => c.id === "deriv_expr")!.status).toBe(want);
      expect(report.summary).toBe(summary);
    },
    120_000,
  );
});

const serverAvailable = available && jupyterServerAvailable();
if (available && !serverAvailable) console.log("server-mode grading test skipped: /usr/bin/python3 has no jupyter_server");

describe.skipIf(!serverAvailable)("grading through a Jupyter server (--server mode)", () => {
  it("grades the same submissions to the same scores in sandboxed kernels (the nnlab-grade kernelspec), including a kernel death", async () => {
    const root = join(work, "server-root");
    mkdirSync(join(root, "node_modules"), { recursive: true });
    symlinkSync(join(REPO, "kernel-lib"), join(root, "node_modules", "nnlab"), "dir");
    writeGradingKernelspec(join(work, "server-jupyter"));
    const server = await spawnJupyter({ module: "jupyter_server", rootDir: root, jupyterPath: join(work, "server-jupyter") });
    try {
      expect(await serverGradingProblem(server.url, server.token)).toBeUndefined();
      const lesson = join(work, "lesson-server");
      cpSync(MINI, lesson, { recursive: true });
      releaseLesson(lesson, join(work, "server-release"));
      const { subs } = hostileSubmissions([join(lesson, "expected.json")]);
      const dir = join(work, "server-subs");
      const picked = subs.filter((x) => ["good", "released", "process_exit", "probe"].includes(x.name));
      for (const s of picked) {
        mkdirSync(join(dir, s.name), { recursive: true });
        writeFileSync(join(dir, s.name, "mini.ipynb"), serializeNotebook(s.notebook!));
      }
      const batch = await gradeBatch({
        lessonDir: lesson,
        submissionsDir: dir,
        outDir: join(work, "server-out"),
        jobs: 2,
        force: true,
        limits: LIMITS,
        kernelFactory: () => new ServerKernelClient({ baseUrl: server.url, token: server.token, kernelName: GRADING_KERNEL_NAME }),
      });
      const got = Object.fromEntries(batch.results.map((r) => [r.student, r.score]));
      expect(got).toEqual(Object.fromEntries(picked.map((s) => [s.name, s.score])));
      expect(batch.results.every((r) => r.graderError === undefined)).toBe(true);
      // The server started the kernels inside the sandbox: the lesson is not mounted there.
      expect(readFileSync(join(work, "server-out", "autograded", "probe.ipynb"), "utf8")).toContain(`read ${join(lesson, "expected.json")}: ENOENT`);
    } finally {
      await server.stop();
    }
  }, 300_000);
});
