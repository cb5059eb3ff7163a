/**
 * gradebook.csv: nbgrader's `export` columns, then one column per question (test cell or written
 * answer), one row per student in sorted order. A lesson with written answers adds a last column,
 * `manual_grading`: "pending manual grading: N points" or "done"; a pending answer's own column
 * says "pending" rather than a 0 that would read as a verdict.
 */
import type { SubmissionResult } from "./results-json";

export const NBGRADER_COLUMNS = [
  "assignment",
  "duedate",
  "timestamp",
  "student_id",
  "last_name",
  "first_name",
  "email",
  "raw_score",
  "late_submission_penalty",
  "score",
  "max_score",
];

/**
 * One CSV field. A spreadsheet runs a cell that starts with = + - @ (or tab/CR before one) as a
 * formula, so a student folder named `=HYPERLINK(…)` would become a link or worse: such a field is
 * prefixed with ' (OWASP's CSV-injection advice) and then quoted as usual.
 */
export function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function gradebookCsv(
  lesson: string,
  questions: string[],
  results: SubmissionResult[],
  timestamps: Map<string, string> = new Map(),
  written: string[] = [],
): string {
  const rows = [[...NBGRADER_COLUMNS, ...questions, ...(written.length > 0 ? ["manual_grading"] : [])]];
  for (const r of [...results].sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0))) {
    const byQ = new Map(r.questions.map((q) => [q.id, q.score]));
    const pending = new Set(r.pendingManual?.cases ?? []);
    rows.push([
      lesson,
      "",
      timestamps.get(r.student) ?? "",
      r.student,
      "",
      "",
      "",
      String(r.score),
      "0",
      String(r.score),
      String(r.maxScore),
      ...questions.map((q) => (pending.has(q) ? "pending" : String(byQ.get(q) ?? 0))),
      ...(written.length > 0 ? [r.pendingManual ? `pending manual grading: ${r.pendingManual.points} points` : "done"] : []),
    ]);
  }
  return rows.map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}
