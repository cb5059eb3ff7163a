/**
 * The lesson gate (CI), over every lesson in lessons/: the instructor's solution scores 100 % of
 * the autograded points with every written answer pending manual grading, the untouched release
 * 0 (its written answers "no response", not pending), with no grader error; every typical mistake listed in the lesson's
 * mistakes.json (a change to the solution's text) loses points on a case the grader judges (not a
 * kernel-side `check`), and every listed alternative correct answer keeps full marks.
 *
 * One batch per lesson grades all of its variants with real nnlab kernels.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelEntry } from "../../cli/src/kernel/kernelspec";
import { parseNotebook, serializeNotebook } from "../../cli/src/lessons/format/notebook";
import { type BatchSummary, gradeBatch, type KernelFactory } from "../../cli/src/lessons/grade";
import { applyEdit, readVariants, type SolutionEdit } from "../../cli/src/lessons/mistakes";
import { readRecord } from "../../cli/src/lessons/record";
import { releaseLesson } from "../../cli/src/lessons/release";
import { type SubmissionResult, validateResult } from "../../cli/src/lessons/write/results-json";
import { unsandboxedKernelFactory } from "../../cli/src/lessons/kernels";
import { REPO } from "./helpers";

const available = existsSync(kernelEntry());
if (!available) console.log(`lesson gate skipped: ${kernelEntry()} is missing (run npm run build)`);

const MEMORY = { maxOldSpaceMb: 1024, addressSpaceKb: 4_000_000 };
// The gate judges the lessons' tests, not the sandbox (sandbox.test.ts and kernel-grading.test.ts
// do): plain kernels with the sandbox's memory caps. (It used to read a `user` field that
// KernelRequest no longer has, so it never sandboxed; typechecking the tests found it.)
const factory: KernelFactory = unsandboxedKernelFactory(MEMORY);
// A lesson that trains (07) states 120 s for its training cell (metadata nnlab.timeout); the notebook limit leaves room for it on a loaded 2-core machine.
const LIMITS = { cellTimeoutMs: 20_000, notebookTimeoutMs: 300_000, maxOutputBytes: 100_000 };

// NNLAB_LESSON_ONLY=02,05 grades only the lessons with these prefixes (while working on them).
const only = (process.env.NNLAB_LESSON_ONLY ?? "").split(",").filter(Boolean);
const lessons = readdirSync(join(REPO, "lessons"))
  .filter((d) => existsSync(join(REPO, "lessons", d, "source.ipynb")) && (only.length === 0 || only.some((p) => d.startsWith(p))))
  .sort();
const variants = Object.fromEntries(lessons.map((name) => [name, readVariants(join(REPO, "lessons", name))]));
const mistakeRows = lessons.flatMap((name) => variants[name].mistakes.map((m) => [name, m.id, m] as [string, string, SolutionEdit]));
const alternativeRows = lessons.flatMap((name) => variants[name].alternatives.map((m) => [name, m.id, m] as [string, string, SolutionEdit]));

describe("lesson sources (no kernel)", () => {
  it("every lessons/<nn>/source.ipynb is what scripts/lessons.mjs builds from its text in test/fixtures/grading/lessons", () => {
    const r = spawnSync(process.execPath, [join(REPO, "scripts", "lessons.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("written answers of every lesson (no kernel)", () => {
  it.each(lessons)("%s has a manually graded written answer with 2-4 rubric criteria and a model answer, none of it in the release", (name) => {
    const dir = join(REPO, "lessons", name);
    const written = readRecord(dir).cells.filter((c) => c.role === "manual");
    expect(written.length).toBeGreaterThanOrEqual(1);
    const released = readFileSync(join(dir, "release", `${name}.ipynb`), "utf8");
    const text = JSON.stringify(JSON.parse(released));
    expect(released).not.toContain("MARK SCHEME");
    for (const cell of written) {
      const rubric = cell.rubric!;
      expect(rubric.criteria.length, cell.gradeId).toBeGreaterThanOrEqual(2);
      expect(rubric.criteria.length, cell.gradeId).toBeLessThanOrEqual(4);
      expect(rubric.criteria.reduce((s, k) => s + k.points, 0)).toBe(cell.points);
      expect(rubric.modelAnswer.length).toBeGreaterThan(200);
      expect(cell.released.source).toBe("YOUR ANSWER HERE");
      for (const line of [...rubric.modelAnswer.split("\n"), ...rubric.criteria.map((k) => k.text)]
        .map((l) => l.trim())
        .filter((l) => l.length >= 20)) {
        expect(text.includes(JSON.stringify(line).slice(1, -1)), `${name}: released ${JSON.stringify(line)}`).toBe(false);
      }
    }
  });
});

describe("mistakes.json of every lesson (no kernel)", () => {
  it.each(lessons)("%s lists at least six mistakes, each applying to exactly one place in a solution cell", (name) => {
    const dir = join(REPO, "lessons", name);
    const source = parseNotebook(readFileSync(join(dir, "source.ipynb"), "utf8"), name);
    expect(variants[name].mistakes.length).toBeGreaterThanOrEqual(6);
    for (const edit of [...variants[name].mistakes, ...variants[name].alternatives]) {
      expect(() => applyEdit(source, edit, name), edit.id).not.toThrow();
      expect(edit.find, `${edit.id} changes nothing`).not.toBe(edit.replace);
    }
  });

  it("rejects an edit that no longer applies, naming the lesson, the edit and the cell", () => {
    const source = parseNotebook(readFileSync(join(REPO, "lessons", lessons[0], "source.ipynb"), "utf8"), lessons[0]);
    const solutionCell = source.cells.find((c) => c.metadata.nbgrader?.solution === true)!.metadata.nbgrader!.grade_id as string;
    expect(() => applyEdit(source, { id: "gone", why: "", cell: solutionCell, find: "no such text in any cell", replace: "" }, "L")).toThrow(
      /L: "gone" must find its text exactly once in cell ".*", found it 0 times/,
    );
    expect(() => applyEdit(source, { id: "nowhere", why: "", cell: "no_such_cell", find: "x", replace: "y" }, "L")).toThrow(/does not have/);
    expect(() => applyEdit(source, { id: "locked", why: "", cell: "setup", find: "import", replace: "y" }, "L")).toThrow(/not a solution cell/);
  });
});

describe.skipIf(!available)("the lesson gate: solution 100 %, release 0, mistakes lose points, alternatives keep them", () => {
  const work = mkdtempSync(join(tmpdir(), "nnlab-lesson-gate-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const summaries: Record<string, Record<string, SubmissionResult>> = {};
  const kinds: Record<string, Map<string, string>> = {};

  beforeAll(async () => {
    for (const name of lessons) {
      const dir = join(REPO, "lessons", name);
      const rel = releaseLesson(dir, join(work, name, "release"));
      kinds[name] = new Map(readRecord(dir).cells.flatMap((c) => c.cases.map((k) => [k.id, k.kind] as [string, string])));
      const subs = join(work, name, "subs");
      const put = (student: string, write: (file: string) => void) => {
        mkdirSync(join(subs, student), { recursive: true });
        write(join(subs, student, `${name}.ipynb`));
      };
      put("solution", (f) => copyFileSync(join(dir, "source.ipynb"), f));
      put("untouched_release", (f) => copyFileSync(rel.notebookPath, f));
      const source = parseNotebook(readFileSync(join(dir, "source.ipynb"), "utf8"), name);
      for (const [prefix, list] of [
        ["mistake", variants[name].mistakes],
        ["alternative", variants[name].alternatives],
      ] as const) {
        for (const edit of list) put(`${prefix}-${edit.id}`, (f) => writeFileSync(f, serializeNotebook(applyEdit(source, edit, name))));
      }
      const summary: BatchSummary = await gradeBatch({
        lessonDir: dir,
        submissionsDir: subs,
        outDir: join(work, name, "out"),
        jobs: 2,
        force: true,
        limits: LIMITS,
        kernelFactory: factory,
      });
      summaries[name] = Object.fromEntries(summary.results.map((r) => [r.student, r]));
    }
  }, 1_200_000);

  it.each(lessons)("%s: the solution scores 100 %% of the autograded points with written answers pending, the release 0, no grader error", (name) => {
    const r = summaries[name];
    const writtenPoints = readRecord(join(REPO, "lessons", name))
      .cells.filter((c) => c.role === "manual")
      .reduce((s, c) => s + c.points, 0);
    const failed = r.solution.cases.filter((c) => c.status !== (c.written ? "pending" : "passed")).map((c) => `${c.id}: ${c.status} ${c.message}`);
    expect(failed).toEqual([]);
    expect(r.solution.pendingManual?.points).toBe(writtenPoints);
    expect(r.solution.score).toBe(r.solution.maxScore - writtenPoints);
    expect(r.untouched_release.score).toBe(0);
    expect(r.untouched_release.cases.every((c) => c.status !== "passed" && c.status !== "pending")).toBe(true);
    expect(r.untouched_release.pendingManual).toBeUndefined();
    for (const x of [r.solution, r.untouched_release]) {
      expect(x.status).toBe("graded");
      expect(x.graderError).toBeUndefined();
      expect(validateResult(x)).toEqual([]);
    }
  });

  it.runIf(mistakeRows.length > 0).each(mistakeRows)("%s, mistake %s: loses points on a case the grader judges", (name, id, edit) => {
    const r = summaries[name][`mistake-${id}`];
    expect(r.graderError, `${id} (${edit.why})`).toBeUndefined();
    expect(r.status).toBe("graded");
    const lost = r.cases.filter((c) => c.points < c.max && !c.written);
    // A kernel-side check can be forged or hinted; the loss must show on a case judged in the grader.
    const judged = lost.filter((c) => kinds[name].get(c.id) !== "check");
    expect(
      judged.map((c) => c.id),
      `${id} (${edit.why}) kept full marks on every grader-judged case; lost only: ${lost.map((c) => c.id).join(", ") || "nothing"}`,
    ).not.toEqual([]);
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it.runIf(alternativeRows.length > 0).each(alternativeRows)("%s, alternative %s: keeps full marks", (name, id, edit) => {
    const r = summaries[name][`alternative-${id}`];
    const failed = r.cases.filter((c) => c.status !== (c.written ? "pending" : "passed")).map((c) => `${c.id}: ${c.status} ${c.message}`);
    expect(failed, `${id} (${edit.why})`).toEqual([]);
    expect(r.score).toBe(r.maxScore - (r.pendingManual?.points ?? 0));
  });
});
