/**
 * Written answers through real sandboxed grading: the hostile written-answer submissions
 * (written-hostile.ts) graded as one batch, then the instructor's round trip: manual-grade,
 * regrade (the grade is kept), a changed answer (pending again), every export updated.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelEntry } from "../../cli/src/kernel/kernelspec";
import { cloneNotebook, serializeNotebook } from "../../cli/src/lessons/format/notebook";
import { type BatchSummary, gradeBatch } from "../../cli/src/lessons/grade";
import { sandboxedKernelFactory } from "../../cli/src/lessons/kernels";
import { recordManualGrade } from "../../cli/src/lessons/manual-grade";
import { releaseLesson } from "../../cli/src/lessons/release";
import { sandboxProblem } from "../../cli/src/lessons/sandbox";
import { type SubmissionResult, validateResult } from "../../cli/src/lessons/write/results-json";
import { cellById } from "./helpers";
import { checkNotebook } from "../../cli/src/lessons/check";
import { DirectKernelClient } from "../../cli/src/kernel/direct";
import { WRITTEN, writtenHostile } from "./written-hostile";

const built = existsSync(kernelEntry());
const problem = built ? sandboxProblem() : "the kernel is not built (npm run build)";
if (problem) console.log(`written-answer grading tests skipped: ${problem}`);

const LIMITS = { cellTimeoutMs: 20_000, notebookTimeoutMs: 120_000, maxOutputBytes: 100_000 };
const work = mkdtempSync(join(tmpdir(), "nnlab-test-written-kernel-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!!problem)("written answers in a real grading batch", () => {
  const lesson = join(work, "written");
  const subsDir = join(work, "subs");
  const out = join(work, "out");
  const { subs } = writtenHostile();
  let batch: BatchSummary;
  let r: Record<string, SubmissionResult>;
  const grade = async (from = subsDir, to = out) => {
    batch = await gradeBatch({
      lessonDir: lesson,
      submissionsDir: from,
      outDir: to,
      jobs: 2,
      force: true,
      limits: LIMITS,
      kernelFactory: sandboxedKernelFactory(),
    });
    r = Object.fromEntries(batch.results.map((x) => [x.student, x]));
  };
  beforeAll(async () => {
    cpSync(WRITTEN, lesson, { recursive: true });
    releaseLesson(lesson, join(work, "release"));
    for (const s of subs) {
      mkdirSync(join(subsDir, s.name), { recursive: true });
      writeFileSync(join(subsDir, s.name, "written.ipynb"), serializeNotebook(s.notebook));
    }
    await grade();
  }, 600_000);

  it.each(subs.map((s) => [s.name, s] as const))(
    "%s: its autograded score, its pending points and each written answer's status, nothing more",
    (name, s) => {
      const x = r[name];
      expect(x.graderError).toBeUndefined();
      expect(validateResult(x)).toEqual([]);
      expect(x.score).toBe(s.score);
      expect(x.maxScore).toBe(6);
      expect(x.pendingManual?.points ?? 0).toBe(s.pending);
      expect(Object.fromEntries(x.cases.filter((c) => c.written).map((c) => [c.id, c.status]))).toEqual(s.status);
      // The answer cell is markdown after sanitizing: a code answer never runs (process.exit would restart the kernel).
      expect(x.restarts).toBe(0);
      const html = readFileSync(join(out, "feedback", `${name}.html`), "utf8");
      for (const bad of s.notInFeedback ?? []) expect(html.toLowerCase().includes(bad), JSON.stringify(bad)).toBe(false);
    },
  );

  it("the CSV and summary say which written answers are pending manual grading, with the points at stake", () => {
    const csv = readFileSync(join(out, "gradebook.csv"), "utf8");
    expect(csv.split("\n")[0]).toBe(
      "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score,double_tests,why_four,why_zero,manual_grading",
    );
    expect(csv).toContain("\nwritten,,,good,,,,2,0,2,6,2,pending,pending,pending manual grading: 4 points\n");
    expect(csv).toContain("\nwritten,,,released,,,,0,0,0,6,0,0,0,done\n");
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.pendingManualGrading.deleted).toEqual({ points: 1, cases: ["why_zero"] });
    expect(summary.pendingManualNote).toMatch(/^pending manual grading: \d+ written answer\(s\) of \d+ student\(s\); run nnlab manual-grade$/);
  });

  it("a manual grade survives nnlab grade --force while the answer is unchanged, and is pending again once it changes", async () => {
    // One student in a batch of their own, so the two regrades stay short.
    const oneDir = join(work, "one");
    const oneOut = join(work, "one-out");
    mkdirSync(join(oneDir, "good"), { recursive: true });
    writeFileSync(join(oneDir, "good", "written.ipynb"), serializeNotebook(subs[0].notebook));
    await grade(oneDir, oneOut);
    const graded = recordManualGrade(lesson, oneOut, { student: "good", cell: "why_four", points: 3, comment: "complete" });
    expect(graded).toMatchObject({ score: 5, pendingManual: { points: 1 } });
    await grade(oneDir, oneOut);
    expect(r.good.cases.find((c) => c.id === "why_four")).toMatchObject({ status: "graded", points: 3, comment: "complete" });
    expect(r.good.score).toBe(5);
    expect(readFileSync(join(oneOut, "gradebook.csv"), "utf8")).toContain(
      "\nwritten,,,good,,,,5,0,5,6,2,3,pending,pending manual grading: 1 points\n",
    );
    const changed = cloneNotebook(subs[0].notebook);
    cellById(changed, "why_four").cell.source = "I changed my mind.";
    writeFileSync(join(oneDir, "good", "written.ipynb"), serializeNotebook(changed));
    await grade(oneDir, oneOut);
    expect(r.good.cases.find((c) => c.id === "why_four")).toMatchObject({
      status: "pending",
      points: 0,
      needsReview: "answer changed after its manual grade (3/3)",
    });
    expect(r.good.score).toBe(2);
    expect(r.good.warnings).toContain('written answer "why_four" changed since it was graded by hand (3/3); it is pending again');
  }, 600_000);
});

describe.skipIf(!built)("nnlab check on a lesson with written answers", () => {
  it("says the written answers are graded by hand, so 'all passed' is not read as full marks", async () => {
    const dir = join(work, "check");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "written.ipynb"), serializeNotebook(writtenHostile().subs[0].notebook));
    const report = await checkNotebook(join(dir, "written.ipynb"), (cwd, env) => new DirectKernelClient({ cwd, env }), 20_000);
    expect(report.summary).toBe("public 1/1 passed; hidden tests run at grading; 2 written answers are graded by hand");
  }, 120_000);
});
