/**
 * Manually graded written answers at grading time. The autograder cannot score prose, so each
 * such cell becomes one case that is **pending** (0 points counted, its points at stake) until
 * `nnlab manual-grade` records points for it. Like nbgrader's determine_grade, an answer left as
 * released (or empty) is "no response", 0 points, not pending. The answer is judged from the
 * sanitized notebook, where the record, not the student's metadata, says which cell is the
 * answer and what it is worth (rebuild-from-record.ts).
 */
import { createHash } from "node:crypto";
import { type Notebook, sourceOf } from "./format/notebook";
import { gradeId } from "./format/nbgrader-meta";
import { type RecordCell, type ReleaseRecord, manualCells } from "./record";
import type { CaseResult } from "./score";

/** The answer text kept for the grader to read; longer answers are cut with a note. */
export const MAX_ANSWER_CHARS = 20_000;
export const PENDING = "pending manual grading";

/**
 * The student's text as stored and shown to the grader: control characters (terminal escape
 * sequences, NUL, bidi overrides) removed, length bounded. Markup stays text here; the feedback
 * page renders it through the markdown sanitiser, the terminal prints it as is minus controls.
 */
export function sanitizeAnswer(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
  return clean.length > MAX_ANSWER_CHARS
    ? `${clean.slice(0, MAX_ANSWER_CHARS)}\n[… ${clean.length - MAX_ANSWER_CHARS} more characters not kept]`
    : clean;
}

/** Identifies an answer's exact text: a manual grade applies only to the text it was given for. */
export function answerHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function caseFor(rc: RecordCell, notebook: Notebook | undefined): CaseResult {
  const base = {
    id: rc.gradeId!,
    question: rc.gradeId!,
    points: 0,
    max: rc.points,
    durationMs: 0,
    visibility: "visible" as const,
    written: true as const,
  };
  const cell = notebook?.cells.find((c) => gradeId(c) === rc.gradeId && c.cell_type === "markdown");
  if (!cell) return { ...base, status: "failed", message: "no response: the answer cell is missing from the submission" };
  const text = sourceOf(cell);
  const hash = answerHash(text);
  if (text.trim() === "" || text.trim() === sourceOf(rc.released).trim()) {
    return { ...base, status: "failed", message: "no response: the answer cell is as released", answer: sanitizeAnswer(text), answerHash: hash };
  }
  return {
    ...base,
    status: "pending",
    message: `${PENDING}: ${rc.points} point${rc.points === 1 ? "" : "s"} at stake`,
    answer: sanitizeAnswer(text),
    answerHash: hash,
  };
}

/** One case per written answer of the lesson, from the sanitized notebook (undefined: unreadable). */
export function writtenCases(record: ReleaseRecord, notebook: Notebook | undefined): CaseResult[] {
  return manualCells(record).map((rc) => caseFor(rc, notebook));
}

/** Points still waiting for a human, and which answers. */
export function pendingOf(cases: CaseResult[]): { points: number; cases: string[] } {
  const pending = cases.filter((c) => c.status === "pending");
  return { points: Math.round(pending.reduce((s, c) => s + c.max, 0) * 1e6) / 1e6, cases: pending.map((c) => c.id) };
}
