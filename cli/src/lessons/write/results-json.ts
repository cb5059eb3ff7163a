/**
 * Per-submission results: one JSON file per student, written atomically (temp file + rename)
 * so a killed grading run never leaves half a file, and a rerun can trust any file it finds.
 * Everything except `timing` and the cases' `durationMs` is deterministic.
 */
import { renameSync, writeFileSync } from "node:fs";
import type { CaseResult } from "../score";
import { pendingOf } from "../written-answers";

export const RESULTS_FORMAT = "nnlab-results/1";

export interface QuestionResult {
  id: string;
  score: number;
  max: number;
}

export interface SubmissionResult {
  format: typeof RESULTS_FORMAT;
  lesson: string;
  student: string;
  notebook: string;
  /** graded: every case has a result; grader-error: the grader could not run the notebook (all cases not-run). */
  status: "graded" | "grader-error" | "partial";
  score: number;
  maxScore: number;
  questions: QuestionResult[];
  cases: CaseResult[];
  /** Written answers still waiting for `nnlab manual-grade`: their points are at stake, not lost. */
  pendingManual?: { points: number; cases: string[] };
  warnings: string[];
  graderError?: string;
  restarts: number;
  timing: { startedAt: string; durationMs: number };
  versions: { nnlab: string; node: string };
}

export function questionsOf(cases: CaseResult[]): QuestionResult[] {
  const map = new Map<string, QuestionResult>();
  for (const c of cases) {
    const q = map.get(c.question) ?? { id: c.question, score: 0, max: 0 };
    q.score = round(q.score + c.points);
    q.max = round(q.max + c.max);
    map.set(c.question, q);
  }
  return [...map.values()];
}

/** Score, per-question totals and pending written answers, all derived from the cases. */
export function totalsOf(cases: CaseResult[]): Pick<SubmissionResult, "score" | "questions" | "pendingManual"> {
  const pending = pendingOf(cases);
  return {
    score: round(cases.reduce((s, c) => s + c.points, 0)),
    questions: questionsOf(cases),
    ...(pending.cases.length > 0 ? { pendingManual: pending } : {}),
  };
}

export function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, JSON.stringify(value, null, 1) + "\n");
  renameSync(tmp, file);
}

/** The same result without timings, for determinism checks. */
export function withoutTimings(r: SubmissionResult): Omit<SubmissionResult, "timing"> {
  const { timing: _t, mac: _m, ...rest } = r as SubmissionResult & { mac?: string };
  return { ...rest, cases: rest.cases.map((c) => ({ ...c, durationMs: 0 })) };
}

/** Validate a results object against the format (used by tests and before writing). */
export function validateResult(r: unknown): string[] {
  const errs: string[] = [];
  const o = r as SubmissionResult;
  if (typeof o !== "object" || o === null) return ["not an object"];
  if (o.format !== RESULTS_FORMAT) errs.push(`format must be ${RESULTS_FORMAT}`);
  for (const k of ["lesson", "student", "notebook"] as const) if (typeof o[k] !== "string") errs.push(`${k} must be a string`);
  if (!["graded", "grader-error", "partial"].includes(o.status)) errs.push(`status ${String(o.status)} invalid`);
  if (typeof o.score !== "number" || typeof o.maxScore !== "number") errs.push("score/maxScore must be numbers");
  if (!Array.isArray(o.cases)) errs.push("cases must be a list");
  for (const [i, c] of (o.cases ?? []).entries()) {
    if (typeof c.id !== "string" || typeof c.question !== "string") errs.push(`cases[${i}]: id/question must be strings`);
    if (typeof c.points !== "number" || typeof c.max !== "number" || c.points < 0 || c.points > c.max)
      errs.push(`cases[${i}]: points must be within 0..max`);
    if (!["passed", "failed", "error", "timeout", "killed", "not-run", "pending", "graded"].includes(c.status))
      errs.push(`cases[${i}]: status ${c.status} invalid`);
    if (c.status === "pending" && c.points !== 0) errs.push(`cases[${i}]: a pending case counts 0 points until graded`);
    if (typeof c.message !== "string" || typeof c.durationMs !== "number") errs.push(`cases[${i}]: message/durationMs types`);
    if (!["visible", "hidden"].includes(c.visibility)) errs.push(`cases[${i}]: visibility invalid`);
  }
  const sum = round((o.cases ?? []).reduce((s, c) => s + c.points, 0));
  if (Math.abs(sum - o.score) > 1e-6) errs.push(`score ${o.score} is not the sum of case points ${sum}`);
  const pending = pendingOf(o.cases ?? []);
  if ((o.pendingManual?.points ?? 0) !== pending.points)
    errs.push(`pendingManual ${o.pendingManual?.points ?? 0} is not the sum of pending cases' points ${pending.points}`);
  return errs;
}
