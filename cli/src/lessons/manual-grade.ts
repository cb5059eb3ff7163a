/**
 * `nnlab manual-grade`: the instructor's side of written answers. Lists the answers waiting for
 * a grade (student, cell, the answer as kept by grade, the rubric from the release record), and
 * records points (in total or per rubric criterion) and a comment for one student's cell.
 *
 * Only signed results are believed (state.ts), and a grade is stored signed with the hash of the
 * answer it was given for (manual.ts): `nnlab grade --force` keeps it while the text is the same.
 * After each grade the student's result, feedback and Gradescope file, and the batch's
 * gradebook.csv and summary.json are rewritten, so every export includes it at once.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CellRun } from "./execute";
import { type Notebook, parseNotebook } from "./format/notebook";
import type { Rubric } from "./format/rubric";
import { type ManualGrade, applyManual, readManual, writeManual } from "./manual";
import { type ReleaseRecord, manualCells, readRecord } from "./record";
import type { CaseResult } from "./score";
import { graderKey, signed, verifySigned } from "./state";
import { writeStudentFiles } from "./stages/write-outputs";
import { feedbackHtml } from "./write/feedback-html";
import { writeExports } from "./write/exports";
import { type SubmissionResult, round, writeJsonAtomic } from "./write/results-json";

export interface WrittenAnswer {
  student: string;
  lesson: string;
  cell: string;
  max: number;
  status: CaseResult["status"];
  /** The answer as grade kept it (control characters removed, bounded). */
  answer: string;
  rubric: Rubric;
  points: number;
  comment?: string;
  criteria?: Record<string, number>;
  /** Why this answer needs (another) look, e.g. its text changed after it was graded. */
  note?: string;
}

export interface GradeRequest {
  student: string;
  cell: string;
  /** The total; optional when `criteria` gives the points per criterion. */
  points?: number;
  criteria?: Record<string, number>;
  comment?: string;
}

export class ManualGradeError extends Error {}

interface Graded {
  record: ReleaseRecord;
  key: Buffer;
  outDir: string;
  results: Map<string, SubmissionResult>;
}

/** The lesson's record and every signed result in --out (unsigned files are skipped, as grade does). */
function load(lessonDir: string, outDir: string): Graded {
  const record = readRecord(resolve(lessonDir));
  const out = resolve(outDir);
  const dir = join(out, "results");
  if (!existsSync(dir))
    throw new ManualGradeError(`${dir} does not exist: grade the submissions first (nnlab grade ${lessonDir} <submissions> --out ${outDir})`);
  const key = graderKey(out);
  const results = new Map<string, SubmissionResult>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    try {
      const raw = JSON.parse(readFileSync(join(dir, f), "utf8")) as SubmissionResult & { mac?: string };
      if (!verifySigned(raw, key) || raw.lesson !== record.lesson) continue;
      const { mac: _m, ...result } = raw;
      results.set(result.student, result);
    } catch {
      /* unreadable: not a result of this grader */
    }
  }
  return { record, key, outDir: out, results };
}

function answersOf(g: Graded, r: SubmissionResult): WrittenAnswer[] {
  return manualCells(g.record).flatMap((rc) => {
    const c = r.cases.find((k) => k.id === rc.gradeId);
    if (!c || !rc.rubric) return [];
    const a: WrittenAnswer = {
      student: r.student,
      lesson: r.lesson,
      cell: rc.gradeId!,
      max: c.max,
      status: c.status,
      answer: c.answer ?? "",
      rubric: rc.rubric,
      points: c.points,
    };
    if (c.comment !== undefined) a.comment = c.comment;
    if (c.criteria !== undefined) a.criteria = c.criteria;
    if (c.needsReview !== undefined) a.note = c.needsReview;
    return [a];
  });
}

/** Written answers of every graded student; by default only those still pending. */
export function listWrittenAnswers(lessonDir: string, outDir: string, opts: { all?: boolean } = {}): WrittenAnswer[] {
  const g = load(lessonDir, outDir);
  return [...g.results.values()].flatMap((r) => answersOf(g, r)).filter((a) => opts.all || a.status === "pending");
}

/** The points of a request, checked against the cell's maximum and its rubric. */
function pointsOf(req: GradeRequest, c: CaseResult, rubric: Rubric | undefined): { points: number; criteria?: Record<string, number> } {
  let points = req.points;
  if (req.criteria) {
    if (!rubric) throw new ManualGradeError(`${req.cell} has no rubric: give --points, not criteria`);
    for (const [id, p] of Object.entries(req.criteria)) {
      const crit = rubric.criteria.find((k) => k.id === id);
      if (!crit)
        throw new ManualGradeError(
          `${req.cell} has no criterion "${id}"; its criteria: ${rubric.criteria.map((k) => `${k.id} (${k.points} pt)`).join(", ")}`,
        );
      if (!Number.isFinite(p) || p < 0 || p > crit.points)
        throw new ManualGradeError(`criterion ${id} of ${req.cell}: ${p} is out of range 0..${crit.points}`);
    }
    const missing = rubric.criteria.filter((k) => !(k.id in req.criteria!)).map((k) => k.id);
    if (missing.length > 0) throw new ManualGradeError(`give points for every criterion of ${req.cell}; missing: ${missing.join(", ")}`);
    const sum = round(Object.values(req.criteria).reduce((s, p) => s + p, 0));
    if (points !== undefined && round(points) !== sum)
      throw new ManualGradeError(`--points ${points} disagrees with the criteria, which add up to ${sum}`);
    points = sum;
  }
  if (points === undefined) throw new ManualGradeError(`give the points for ${req.student}/${req.cell} (--points, or --criteria c1=…,c2=…)`);
  if (!Number.isFinite(points) || points < 0 || points > c.max)
    throw new ManualGradeError(`points ${points} out of range for ${req.cell}: 0..${c.max}`);
  return { points, ...(req.criteria ? { criteria: req.criteria } : {}) };
}

/** The student's graded notebook as feedback needs it (outputs as written by grade). */
function gradedRuns(outDir: string, student: string): { notebook: Notebook; runs: CellRun[] } {
  const file = join(outDir, "autograded", `${student}.ipynb`);
  if (!existsSync(file)) return { notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }, runs: [] };
  const notebook = parseNotebook(readFileSync(file, "utf8"), file);
  const runs: CellRun[] = [];
  notebook.cells.forEach((c, index) => {
    if (c.cell_type === "code") runs.push({ index, status: "ok", outputs: c.outputs, executionCount: c.execution_count, durationMs: 0 });
  });
  return { notebook, runs };
}

/** Record one grade; returns the student's result with it applied (and every export rewritten). */
export function recordManualGrade(lessonDir: string, outDir: string, req: GradeRequest, now: Date = new Date()): SubmissionResult {
  const g = load(lessonDir, outDir);
  const result = g.results.get(req.student);
  if (!result) {
    const known = [...g.results.keys()];
    throw new ManualGradeError(
      `unknown student "${req.student}" in ${g.outDir}; graded students: ${known.length ? known.join(", ") : "none (run nnlab grade first)"}`,
    );
  }
  const c = result.cases.find((k) => k.id === req.cell);
  const written = manualCells(g.record).map((rc) => rc.gradeId!);
  if (!c)
    throw new ManualGradeError(
      `unknown cell "${req.cell}" for ${g.record.lesson}; its written answers: ${written.join(", ") || "none"} (a test case id may be given too, to override its points)`,
    );
  const rubric = manualCells(g.record).find((rc) => rc.gradeId === req.cell)?.rubric;
  const { points, criteria } = pointsOf(req, c, rubric);
  const { grades, problem } = readManual(g.outDir, req.student, g.key);
  if (problem) throw new ManualGradeError(`${problem}; remove it to start this student's manual grades afresh`);
  const grade: ManualGrade = { points, gradedAt: now.toISOString() };
  if (req.comment !== undefined) grade.comment = req.comment;
  if (criteria) grade.criteria = criteria;
  if (c.answerHash !== undefined) grade.answerHash = c.answerHash;
  const next = { ...grades, [req.cell]: grade };
  writeManual(g.outDir, req.student, next, g.key);
  const applied = applyManual(result, next);
  const { notebook, runs } = gradedRuns(g.outDir, req.student);
  writeStudentFiles(g.outDir, applied, feedbackHtml(applied, notebook, runs, g.record));
  writeJsonAtomic(join(g.outDir, "results", `${req.student}.json`), signed(applied, g.key));
  g.results.set(req.student, applied);
  writeExports(g.outDir, g.record, [...g.results.values()]);
  return applied;
}

/** `c1=1,c2=0.5` → {c1: 1, c2: 0.5}; a clear error for anything else. */
export function parseCriteria(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]+)\s*=\s*(-?\d+(?:\.\d+)?)$/.exec(part);
    if (!m) throw new ManualGradeError(`--criteria takes id=points pairs such as c1=1,c2=0.5; got ${JSON.stringify(part)}`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** Student names and answers printed to a terminal: no escape sequences reach it. */
export function printable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** One answer as the listing and the prompt show it. */
export function describeAnswer(a: WrittenAnswer): string {
  const lines = [
    `── ${printable(a.student)} · ${a.lesson} · ${a.cell} · ${a.status === "pending" ? `pending, ${a.max} pt` : `${a.status} ${a.points}/${a.max}`}${a.note ? ` (${a.note})` : ""}`,
    "answer:",
    ...printable(a.answer)
      .split("\n")
      .map((l) => `  │ ${l}`),
    "rubric:",
    ...a.rubric.criteria.map((k) => `  ${k.id} [${k.points} pt] ${k.text}${a.criteria?.[k.id] !== undefined ? `  → ${a.criteria[k.id]}` : ""}`),
    "model answer:",
    ...a.rubric.modelAnswer.split("\n").map((l) => `  ${l}`),
  ];
  if (a.comment) lines.push(`comment: ${printable(a.comment)}`);
  return lines.join("\n");
}
