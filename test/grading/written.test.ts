/**
 * Manually graded written answers without a kernel: the rubric format, the release (no rubric, no
 * model answer), the pending stage and the other autograde stages run alone on jobs built by
 * hand, signed manual grades, and `nnlab manual-grade` on results written by those stages.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it, vi } from "vitest";
import { AUTOGRADE_STAGES, type AutogradeJob, type LessonContext, runAutograde } from "../../cli/src/lessons/autograde";
import { run as manualGradeCli } from "../../cli/src/commands/manual-grade";
import { UsageError } from "../../cli/src/commands/command";
import { type Notebook, cloneNotebook, serializeNotebook } from "../../cli/src/lessons/format/notebook";
import { parseRubric } from "../../cli/src/lessons/format/rubric";
import { applyManual, manualPath, readManual, writeManual } from "../../cli/src/lessons/manual";
import { listWrittenAnswers } from "../../cli/src/lessons/manual-grade";
import { readRecord } from "../../cli/src/lessons/record";
import { releaseLesson, releaseNotebook } from "../../cli/src/lessons/release";
import { sanitize } from "../../cli/src/lessons/sanitize";
import { graderKey } from "../../cli/src/lessons/state";
import { limitOutput, MAX_NOTEBOOK_OUTPUT_BYTES } from "../../cli/src/lessons/stages/limit-output";
import { pendingManual } from "../../cli/src/lessons/stages/pending-manual";
import { scoreTests } from "../../cli/src/lessons/stages/score-tests";
import { writeOutputs } from "../../cli/src/lessons/stages/write-outputs";
import { MAX_ANSWER_CHARS, sanitizeAnswer, writtenCases } from "../../cli/src/lessons/written-answers";
import { type SubmissionResult, validateResult } from "../../cli/src/lessons/write/results-json";
import { cellById } from "./helpers";
import { FOUR, WRITTEN, writtenHostile, writtenRelease } from "./written-hostile";

const work = mkdtempSync(join(tmpdir(), "nnlab-test-written-"));
chmodSync(work, 0o700);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the rubric of a written answer", () => {
  const src = "Model answer line one.\n\nBEGIN MARK SCHEME\n- [1 pt] first thing\n- [2 pts] second thing,\n  continued here\nEND MARK SCHEME";
  it("parses criteria c1, c2 … with points, continuation lines, and the model answer outside the mark scheme", () => {
    expect(parseRubric(src, 3, "cell")).toEqual({
      criteria: [
        { id: "c1", points: 1, text: "first thing" },
        { id: "c2", points: 2, text: "second thing, continued here" },
      ],
      modelAnswer: "Model answer line one.",
    });
  });
  it.each([
    [src, 4, /criteria add up to 3 points, the cell is worth 4/],
    ["Model.", 1, /needs exactly one "BEGIN MARK SCHEME" … "END MARK SCHEME" region/],
    ["Model.\nBEGIN MARK SCHEME\nsay something\nEND MARK SCHEME", 1, /mark scheme line "say something" is not a criterion; write "- \[1 pt\]/],
    ["BEGIN MARK SCHEME\n- [1 pt] x\nEND MARK SCHEME", 1, /needs a model answer/],
    ["Model.\nBEGIN MARK SCHEME\n- [1 pt] x", 1, /"BEGIN MARK SCHEME" is never closed/],
  ])("refuses a broken mark scheme, naming the cell (%#)", (text, points, re) => {
    expect(() => parseRubric(text, points, "lesson.ipynb cell 4")).toThrow(re);
    expect(() => parseRubric(text, points, "lesson.ipynb cell 4")).toThrow(/lesson\.ipynb cell 4/);
  });
});

describe("release of a lesson with written answers", () => {
  const { source, notebook, record, bytes } = writtenRelease();
  it("keeps the schema-3 answer cell (markdown, grade + solution, points) with the text stub, and the rubric only in the record", () => {
    const { cell } = cellById(notebook, "why_four");
    expect(cell.cell_type).toBe("markdown");
    expect(cell.metadata.nbgrader).toMatchObject({ schema_version: 3, grade: true, solution: true, locked: false, points: 3, grade_id: "why_four" });
    expect(cell.source).toBe("YOUR ANSWER HERE");
    const rc = record.cells.find((c) => c.gradeId === "why_four")!;
    expect(rc.role).toBe("manual");
    expect(rc.rubric!.criteria.map((k) => [k.id, k.points])).toEqual([
      ["c1", 1],
      ["c2", 2],
    ]);
    expect(rc.rubric!.modelAnswer).toMatch(/^Doubling multiplies by 2/);
    expect(record.maxScore).toBe(6);
  });
  it("has no rubric text and no model answer in the released bytes", () => {
    for (const rc of record.cells.filter((c) => c.role === "manual")) {
      for (const text of [rc.rubric!.modelAnswer.split("\n")[0], ...rc.rubric!.criteria.map((k) => k.text.slice(0, 30))]) {
        expect(bytes).not.toContain(text);
      }
    }
    expect(bytes).not.toContain("MARK SCHEME");
  });
  it("keeps the text outside a solution region of an answer cell, and removes the mark scheme beside it", () => {
    const nb = cloneNotebook(source);
    cellById(nb, "why_four").cell.source =
      "Fill in the table:\n\n| x | 2x |\nBEGIN SOLUTION\n| 3 | 6 |\nEND SOLUTION\nBEGIN MARK SCHEME\n- [3 pts] the row is right\nEND MARK SCHEME";
    const r = releaseNotebook(nb, "t.ipynb", { expected: {} }, "written", "written.ipynb");
    expect(cellById(r.notebook, "why_four").cell.source).toBe("Fill in the table:\n\n| x | 2x |\nYOUR ANSWER HERE");
    expect(r.record.cells.find((c) => c.gradeId === "why_four")!.rubric).toEqual({
      criteria: [{ id: "c1", points: 3, text: "the row is right" }],
      modelAnswer: "| 3 | 6 |",
    });
  });
  it("refuses a mark scheme in a cell that is not a written answer, and a written answer that is a code cell", () => {
    const nb = cloneNotebook(source);
    cellById(nb, "double").cell.source += "\n// BEGIN MARK SCHEME\n// - [1 pt] x\n// END MARK SCHEME";
    expect(() => releaseNotebook(nb, "t.ipynb", { expected: {} }, "written", "written.ipynb")).toThrow(
      /mark-scheme region in a cell that is neither a manually graded answer nor a task/,
    );
    const nb2 = cloneNotebook(source);
    Object.assign(cellById(nb2, "why_zero").cell, { cell_type: "code", outputs: [], execution_count: null });
    expect(() => releaseNotebook(nb2, "t.ipynb", { expected: {} }, "written", "written.ipynb")).toThrow(
      /a manually graded answer must be a markdown cell/,
    );
  });
});

describe("written answers at grading", () => {
  const { subs } = writtenHostile();
  const { record } = writtenRelease();
  it.each(subs.map((s) => [s.name, s] as const))(
    "%s: the sanitized notebook gives each written answer the expected status, never more than its points",
    (_name, s) => {
      const { notebook } = sanitize(cloneNotebook(s.notebook), record, "x.ipynb");
      const cases = writtenCases(record, notebook);
      expect(Object.fromEntries(cases.map((c) => [c.id, c.status]))).toEqual(s.status);
      expect(cases.map((c) => c.max)).toEqual([3, 1]);
      expect(cases.every((c) => c.points === 0)).toBe(true);
    },
  );
  it("keeps the answer text without control characters (terminal escapes, NUL, bidi overrides), bounded", () => {
    expect(sanitizeAnswer("a\u001b[2Jb\u0000c\u202ed\r\ne\tf")).toBe("a[2Jbcd\ne\tf");
    const long = sanitizeAnswer("x".repeat(MAX_ANSWER_CHARS + 5));
    expect(long.startsWith("x".repeat(MAX_ANSWER_CHARS))).toBe(true);
    expect(long).toMatch(/\[… 5 more characters not kept\]$/);
  });
});

/** A lesson folder, its release, and a context for running stages by hand. */
function lessonCtx(name: string): { lesson: string; ctx: LessonContext; log: string[] } {
  const lesson = join(work, name, "written");
  cpSync(WRITTEN, lesson, { recursive: true });
  releaseLesson(lesson, join(work, name, "release"));
  const out = join(work, name, "out");
  for (const d of ["results", "feedback", "autograded", "gradescope"]) mkdirSync(join(out, d), { recursive: true });
  const log: string[] = [];
  const ctx: LessonContext = {
    lesson: "written",
    record: readRecord(lesson),
    expected: {},
    heldBack: {},
    redact: (t) => t,
    limits: { cellTimeoutMs: 1000, notebookTimeoutMs: 1000, maxOutputBytes: 1000 },
    outDir: out,
    kernelFactory: () => {
      throw new Error("no kernel in these tests");
    },
    key: graderKey(out),
    log: (l) => log.push(l),
  };
  return { lesson, ctx, log };
}

function jobFor(ctx: LessonContext, student: string, nb: Notebook): AutogradeJob {
  const { notebook, warnings } = sanitize(cloneNotebook(nb), ctx.record, `${student}.ipynb`);
  return {
    ctx,
    sub: { student, notebookPath: `/subs/${student}/written.ipynb`, files: [] },
    slot: 0,
    startFailureIsFinal: true,
    started: new Date(),
    notebook,
    warnings,
    runs: [],
    restarts: 0,
    cases: [],
  };
}

/** Every stage but execute: the kernel-free part of grading (autograded cases come out not-run). */
const NO_KERNEL = AUTOGRADE_STAGES.filter((s) => s.name !== "execute");

describe("the autograde stages, each alone", () => {
  it("are execute → limitOutput → score → pendingManual → write", () => {
    expect(AUTOGRADE_STAGES.map((s) => s.name)).toEqual(["execute", "limitOutput", "score", "pendingManual", "write"]);
  });
  it("limitOutput keeps a notebook's outputs under its budget, test cells untouched", () => {
    const { ctx } = lessonCtx("limit");
    const job = jobFor(ctx, "ann", writtenHostile().subs[0].notebook);
    const big = "y".repeat(MAX_NOTEBOOK_OUTPUT_BYTES / 2 + 10);
    const testIndex = cellById(job.notebook, "double_tests").index;
    job.runs = [1, 2, 3].map((index) => ({
      index,
      status: "ok",
      outputs: [{ output_type: "stream", name: "stdout", text: big }],
      executionCount: null,
      durationMs: 1,
    }));
    job.runs.push({
      index: testIndex,
      status: "ok",
      outputs: [{ output_type: "stream", name: "stdout", text: big }],
      executionCount: null,
      durationMs: 1,
    });
    limitOutput.run(job);
    expect(job.runs.map((r) => r.outputs[0].output_type === "stream" && r.outputs[0].text.length)).toEqual(
      [big.length, 99, 99, big.length].map((n, i) => (i === 1 || i === 2 ? (job.runs[i].outputs[0] as { text: string }).text.length : n)),
    );
    expect((job.runs[1].outputs[0] as { text: string }).text).toMatch(/bytes of output not kept: the notebook's outputs are over 20000000 bytes/);
    expect(job.runs[1].truncated).toBe(true);
    expect(job.runs[3].truncated).toBeUndefined();
  });
  it("score alone: an unreadable notebook scores every test case not-run with the reason", async () => {
    const { ctx } = lessonCtx("score");
    const job = jobFor(ctx, "bo", writtenHostile().subs[0].notebook);
    job.readError = "the notebook could not be read: bad JSON";
    await scoreTests.run(job);
    expect(job.cases.map((c) => [c.id, c.status, c.message])).toEqual([["double_three", "not-run", "the notebook could not be read: bad JSON"]]);
  });
  it("pendingManual alone: adds the written answers after the test cases of the cells before them, pending, 0 counted", () => {
    const { ctx } = lessonCtx("pending");
    const job = jobFor(ctx, "cy", writtenHostile().subs[0].notebook);
    job.cases = [
      { id: "double_three", question: "double_tests", points: 2, max: 2, status: "passed", message: "ok", durationMs: 1, visibility: "visible" },
    ];
    pendingManual.run(job);
    expect(job.cases.map((c) => [c.id, c.status, c.points, c.max])).toEqual([
      ["double_three", "passed", 2, 2],
      ["why_four", "pending", 0, 3],
      ["why_zero", "pending", 0, 1],
    ]);
    expect(job.cases[1].message).toBe("pending manual grading: 3 points at stake");
    expect(job.cases[1].answer).toBe(FOUR);
  });
  it("write alone: results, Gradescope and CSV say pending manual grading with the points at stake", async () => {
    const { ctx } = lessonCtx("write");
    const job = jobFor(ctx, "dee", writtenHostile().subs[0].notebook);
    job.cases = [
      { id: "double_three", question: "double_tests", points: 2, max: 2, status: "passed", message: "ok", durationMs: 1, visibility: "visible" },
    ];
    pendingManual.run(job);
    writeOutputs.run(job);
    const r = job.result!;
    expect(validateResult(r)).toEqual([]);
    expect(r).toMatchObject({ score: 2, maxScore: 6, pendingManual: { points: 4, cases: ["why_four", "why_zero"] } });
    const gs = JSON.parse(readFileSync(join(ctx.outDir, "gradescope", "dee", "results.json"), "utf8"));
    expect(gs.output).toMatch(/pending manual grading: 4 point\(s\) of written answers not yet graded/);
    expect(gs.tests.find((t: { name: string }) => t.name === "why_four: why_four")).toEqual({
      name: "why_four: why_four",
      score: 0,
      max_score: 3,
      visibility: "visible",
      output: "pending manual grading: 3 points at stake",
    });
    expect(readFileSync(join(ctx.outDir, "feedback", "dee.html"), "utf8")).toContain("pending manual grading (3 points)");
  });
});

describe("nnlab manual-grade", () => {
  const { lesson, ctx, log } = lessonCtx("cli");
  const out = ctx.outDir;
  const { subs } = writtenHostile();
  const results: Record<string, SubmissionResult> = {};
  const quiet = async (argv: string[]) => {
    const output = new PassThrough();
    let text = "";
    output.on("data", (d) => (text += String(d)));
    const err = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      text += String(s);
      return true;
    });
    try {
      const code = await manualGradeCli(argv, { input: new PassThrough(), output, tty: false });
      return { code, text };
    } finally {
      err.mockRestore();
    }
  };
  it("lists the pending answers of every graded student with the answer text and the rubric", async () => {
    for (const s of subs.filter((x) => ["good", "released", "markup"].includes(x.name)))
      results[s.name] = await runAutograde(jobFor(ctx, s.name, s.notebook), NO_KERNEL);
    const pending = listWrittenAnswers(lesson, out);
    expect(pending.map((a) => `${a.student}/${a.cell}`)).toEqual(["good/why_four", "good/why_zero", "markup/why_four", "markup/why_zero"]);
    const { code, text } = await quiet([lesson, "--out", out]);
    expect(code).toBe(0);
    expect(text).toContain("── good · written · why_four · pending, 3 pt");
    expect(text).toContain(`  │ ${FOUR}`);
    expect(text).toContain("  c2 [2 pt] says the factors multiply (2 · 2 = 4), for every input, not only for one example");
    expect(text).toContain("4 written answer(s) pending manual grading");
    for (const ch of ["\u0000", "\u001b", "\u0007"]) expect(text.includes(ch)).toBe(false);
  });
  it("records points per criterion and a comment, signed, and every export includes them", async () => {
    const { code, text } = await quiet([
      lesson,
      "--out",
      out,
      "--student",
      "good",
      "--cell",
      "why_four",
      "--criteria",
      "c1=1,c2=1.5",
      "--comment",
      "almost: why every input?",
    ]);
    expect(text).toBe("recorded good/why_four: 2.5/3 (almost: why every input?); score now 2.5/6, 1 point(s) still pending manual grading\n");
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(join(out, "results", "good.json"), "utf8")) as SubmissionResult;
    expect(r.cases.find((c) => c.id === "why_four")).toMatchObject({
      status: "graded",
      points: 2.5,
      criteria: { c1: 1, c2: 1.5 },
      comment: "almost: why every input?",
      autoStatus: "pending",
    });
    expect(validateResult(r)).toEqual([]);
    expect(readFileSync(join(out, "gradebook.csv"), "utf8")).toContain(
      "\nwritten,,,good,,,,2.5,0,2.5,6,0,2.5,pending,pending manual grading: 1 points\n",
    );
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).pendingManualGrading.good).toEqual({ points: 1, cases: ["why_zero"] });
    expect(readFileSync(join(out, "feedback", "good.html"), "utf8")).toContain(
      "manual grade: <b>2.5 / 3</b><br>c1: 1, c2: 1.5<br>almost: why every input?",
    );
    expect(JSON.parse(readFileSync(join(out, "gradescope", "good", "results.json"), "utf8")).score).toBe(2.5);
    expect(readManual(out, "good", ctx.key).grades.why_four).toMatchObject({
      points: 2.5,
      answerHash: results.good.cases.find((c) => c.id === "why_four")!.answerHash,
    });
  });
  it.each([
    [["--student", "zed", "--cell", "why_four", "--points", "1"], /unknown student "zed" in .*; graded students: good, markup, released/],
    [["--student", "good", "--cell", "essay", "--points", "1"], /unknown cell "essay" for written; its written answers: why_four, why_zero/],
    [["--student", "good", "--cell", "why_four", "--points", "3.5"], /points 3.5 out of range for why_four: 0..3/],
    [["--student", "good", "--cell", "why_four", "--points", "-1"], /points -1 out of range for why_four: 0..3/],
    [["--student", "good", "--cell", "why_four", "--criteria", "c1=1,c2=3"], /criterion c2 of why_four: 3 is out of range 0..2/],
    [["--student", "good", "--cell", "why_four", "--criteria", "c1=1"], /give points for every criterion of why_four; missing: c2/],
    [
      ["--student", "good", "--cell", "why_four", "--criteria", "c1=1,c9=1"],
      /why_four has no criterion "c9"; its criteria: c1 \(1 pt\), c2 \(2 pt\)/,
    ],
    [
      ["--student", "good", "--cell", "why_four", "--criteria", "c1=1,c2=1", "--points", "3"],
      /--points 3 disagrees with the criteria, which add up to 2/,
    ],
  ])("refuses a bad grade with exit 1 and says what was wrong (%#), changing nothing", async (args, re) => {
    const before = readFileSync(join(out, "results", "good.json"), "utf8");
    const { code, text } = await quiet([lesson, "--out", out, ...args]);
    expect(code).toBe(1);
    expect(text).toMatch(re);
    expect(readFileSync(join(out, "results", "good.json"), "utf8")).toBe(before);
  });
  it("rejects incomplete arguments as usage errors", async () => {
    await expect(manualGradeCli([lesson, "--student", "good", "--points", "1"])).rejects.toThrow(UsageError);
    await expect(manualGradeCli([lesson, "--student", "good", "--cell", "why_four"])).rejects.toThrow(/needs --points or --criteria/);
    await expect(manualGradeCli([lesson, "--student", "good", "--cell", "why_four", "--points", "lots"])).rejects.toThrow(/--points takes a number/);
  });
  it("prompts in a terminal for each pending answer, criterion by criterion, and Enter skips one", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (d) => (text += String(d)));
    // good/why_zero: c1 = 7 (refused), then 1, comment; markup/why_four: skipped; markup/why_zero: 0, no comment.
    input.end("7\n1\nfine\n\n0\n\n");
    const code = await manualGradeCli([lesson, "--out", out], { input, output, tty: true });
    expect(code, text).toBe(0);
    expect(text).toContain("give a number from 0 to 1");
    expect(text).toContain("recorded good/why_zero: 1/1; score now 3.5/6");
    expect(text).toContain("recorded markup/why_zero: 0/1");
    expect(text).toContain("2 answer(s) graded");
    expect(listWrittenAnswers(lesson, out).map((a) => `${a.student}/${a.cell}`)).toEqual(["markup/why_four"]);
  });
  it("regrading keeps a manual grade while the answer is the same, and makes it pending again, saying so, when it changed", async () => {
    const again = await runAutograde(jobFor(ctx, "good", subs[0].notebook), NO_KERNEL);
    expect(again.cases.find((c) => c.id === "why_four")).toMatchObject({ status: "graded", points: 2.5 });
    expect(again.score).toBe(3.5); // no kernel here: the autograded case is not run
    const changed = cloneNotebook(subs[0].notebook);
    cellById(changed, "why_four").cell.source = "A rewritten answer.";
    const r = await runAutograde(jobFor(ctx, "good", changed), NO_KERNEL);
    expect(r.cases.find((c) => c.id === "why_four")).toMatchObject({
      status: "pending",
      points: 0,
      message: "pending manual grading: the answer changed since its manual grade (2.5/3); grade it again",
    });
    expect(r.warnings).toContain('written answer "why_four" changed since it was graded by hand (2.5/3); it is pending again');
    expect(r).toMatchObject({ score: 1, pendingManual: { points: 3, cases: ["why_four"] } });
    expect(
      log.some((l) => /good: written answer "why_four": answer changed after its manual grade \(2\.5\/3\); pending manual grading again/.test(l)),
    ).toBe(true);
    expect(validateResult(r)).toEqual([]);
  });
  it("ignores a manual grades file that is not signed by the grader (written by hand or planted), and says so", async () => {
    writeFileSync(
      manualPath(out, "released"),
      JSON.stringify({ format: "nnlab-manual/1", student: "released", grades: { why_four: { points: 3 }, double_three: { points: 2 } } }),
    );
    const r = await runAutograde(jobFor(ctx, "released", subs[1].notebook), NO_KERNEL);
    expect(r.score).toBe(0);
    expect(log.some((l) => /released: manual\/released\.json is not signed by this grader/.test(l))).toBe(true);
    const { code, text } = await quiet([lesson, "--out", out, "--student", "released", "--cell", "why_four", "--points", "1"]);
    expect(code).toBe(1);
    expect(text).toMatch(/not signed by this grader.*remove it to start this student's manual grades afresh/);
  });
  it("applies a manual grade idempotently, and undoes nothing it did not do", () => {
    const base = results.good;
    const grades = { why_four: { points: 2, answerHash: base.cases.find((c) => c.id === "why_four")!.answerHash! } };
    const once = applyManual(base, grades);
    expect(applyManual(once, grades)).toEqual(once);
    expect(applyManual(once, {})).toEqual({ ...base, warnings: base.warnings });
    writeManual(out, "good", grades, ctx.key);
    expect(existsSync(manualPath(out, "good"))).toBe(true);
  });
});

describe("the hostile written-answer submissions through every kernel-free stage", () => {
  const { ctx } = lessonCtx("hostile-nokernel");
  it.each(writtenHostile().subs.map((s) => [s.name, s] as const))("%s: no extra points, nothing broken", async (_n, s) => {
    const r = await runAutograde(jobFor(ctx, s.name, s.notebook), NO_KERNEL);
    expect(validateResult(r)).toEqual([]);
    expect(r.maxScore).toBe(6);
    expect(r.pendingManual?.points ?? 0).toBe(s.pending);
    expect(r.cases.filter((c) => c.written).map((c) => c.id)).toEqual(["why_four", "why_zero"]);
    const html = readFileSync(join(ctx.outDir, "feedback", `${s.name}.html`), "utf8");
    for (const bad of s.notInFeedback ?? []) expect(html.toLowerCase().includes(bad), JSON.stringify(bad)).toBe(false);
    expect(serializeNotebook(s.notebook).length).toBeGreaterThan(0);
  });
});
