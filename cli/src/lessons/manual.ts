/**
 * Manual grades (nbgrader: manual_score beats auto_score, and re-autograding keeps it), kept in
 * `<out>/manual/<student>.json`, signed with the grader's key like every results file (state.ts),
 * and written by `nnlab manual-grade`. A file that does not verify (written by hand, planted,
 * or from another --out) is ignored with a message: it cannot change anyone's score.
 *
 * Every grading run, including a resumed one, applies the grades over the automatic result:
 * - a written answer (written-answers.ts) gets the points given for it, but only while its text
 *   is the one that was graded: a changed answer is pending again, and says so;
 * - an autograded case may be overridden too; its automatic points stay visible as `autoPoints`
 *   and a disagreement is flagged for a second look.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { signed, verifySigned } from "./state";
import type { CaseResult } from "./score";
import { PENDING } from "./written-answers";
import { type SubmissionResult, totalsOf, writeJsonAtomic } from "./write/results-json";

export const MANUAL_FORMAT = "nnlab-manual/1";

export interface ManualGrade {
  points: number;
  comment?: string;
  /** Points per rubric criterion (c1, c2, …) when graded that way; they add up to `points`. */
  criteria?: Record<string, number>;
  /** The answer text this grade was given for (written answers). */
  answerHash?: string;
  gradedAt?: string;
}
export type ManualGrades = Record<string, ManualGrade>;

interface ManualFile {
  format: typeof MANUAL_FORMAT;
  student: string;
  grades: ManualGrades;
}

export function manualPath(outDir: string, student: string): string {
  return join(outDir, "manual", `${student}.json`);
}

/** The verified grades of one student; `problem` says why a file present was not believed. */
export function readManual(outDir: string, student: string, key: Buffer): { grades: ManualGrades; problem?: string } {
  const file = manualPath(outDir, student);
  if (!existsSync(file)) return { grades: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { grades: {}, problem: `manual/${student}.json is not JSON (${(e as Error).message}); ignored` };
  }
  if (!verifySigned(raw, key) || (raw as ManualFile).format !== MANUAL_FORMAT || (raw as ManualFile).student !== student) {
    return {
      grades: {},
      problem: `manual/${student}.json is not signed by this grader (edited by hand, planted, or from another --out); ignored: record manual grades with nnlab manual-grade`,
    };
  }
  return { grades: (raw as ManualFile).grades };
}

export function writeManual(outDir: string, student: string, grades: ManualGrades, key: Buffer): void {
  mkdirSync(join(outDir, "manual"), { recursive: true });
  const body: ManualFile = { format: MANUAL_FORMAT, student, grades };
  writeJsonAtomic(manualPath(outDir, student), signed(body, key));
}

/** The case as the autograder left it (undoing an earlier application of a manual grade). */
function automatic(c: CaseResult): CaseResult {
  if (!c.manual && c.autoStatus === undefined) return c;
  const { manual: _m, comment: _c, criteria: _k, needsReview: _n, autoPoints, autoStatus, autoMessage, ...rest } = c;
  return { ...rest, points: autoPoints ?? c.points, status: autoStatus ?? c.status, message: autoMessage ?? c.message };
}

const clamp = (x: number, max: number) => Math.min(Math.max(x, 0), max);

function applyOne(c: CaseResult, m: ManualGrade, notes: string[]): CaseResult {
  const auto = automatic(c);
  const remember = { autoPoints: auto.points, autoStatus: auto.status, autoMessage: auto.message };
  if (auto.written) {
    if (m.answerHash !== auto.answerHash) {
      const was = `${m.points}/${auto.max}`;
      notes.push(
        `written answer "${auto.id}" changed since it was graded by hand (${was}); ${auto.status === "pending" ? "it is pending again" : "that grade no longer applies"}`,
      );
      const message = auto.status === "pending" ? `${PENDING}: the answer changed since its manual grade (${was}); grade it again` : auto.message;
      return { ...auto, message, needsReview: `answer changed after its manual grade (${was})` };
    }
    const points = clamp(m.points, auto.max);
    const next: CaseResult = { ...auto, ...remember, points, status: "graded", message: `graded by hand: ${points}/${auto.max}`, manual: true };
    if (m.comment !== undefined) next.comment = m.comment;
    if (m.criteria !== undefined) next.criteria = m.criteria;
    return next;
  }
  const points = clamp(m.points, auto.max);
  const next: CaseResult = { ...auto, points, autoPoints: auto.points, manual: true };
  if (m.comment !== undefined) next.comment = m.comment;
  if (auto.points !== points) next.needsReview = `manual ${points} kept; the autograder gives ${auto.points}`;
  return next;
}

/** A new result with manual grades applied; the input is not changed. Idempotent. */
export function applyManual(result: SubmissionResult, manual: ManualGrades): SubmissionResult {
  const touched = result.cases.some((c) => c.manual || c.autoStatus !== undefined);
  if (Object.keys(manual).length === 0 && !touched) return result;
  const notes: string[] = [];
  const cases = result.cases.map((c) => (manual[c.id] ? applyOne(c, manual[c.id], notes) : automatic(c)));
  for (const id of Object.keys(manual)) if (!cases.some((c) => c.id === id)) notes.push(`manual grade for unknown case "${id}" ignored`);
  const warnings = [...new Set([...result.warnings.filter((w) => !isManualNote(w)), ...notes])];
  const { pendingManual: _p, ...rest } = result;
  return { ...rest, cases, ...totalsOf(cases), warnings };
}

function isManualNote(w: string): boolean {
  return /^manual grade for unknown case "|^written answer ".*" changed since it was graded by hand/.test(w);
}
