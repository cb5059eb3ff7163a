/**
 * gradebook.csv: nbgrader's `export` columns, then one column per question (test cell), one row
 * per student in sorted order.
 */
import type { SubmissionResult } from "./results-json";

export const NBGRADER_COLUMNS = [
  "assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
  "raw_score", "late_submission_penalty", "score", "max_score",
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

export function gradebookCsv(lesson: string, questions: string[], results: SubmissionResult[], timestamps: Map<string, string> = new Map()): string {
  const rows = [[...NBGRADER_COLUMNS, ...questions]];
  for (const r of [...results].sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0))) {
    const byQ = new Map(r.questions.map((q) => [q.id, q.score]));
    rows.push([
      lesson, "", timestamps.get(r.student) ?? "", r.student, "", "", "",
      String(r.score), "0", String(r.score), String(r.maxScore),
      ...questions.map((q) => String(byQ.get(q) ?? 0)),
    ]);
  }
  return rows.map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}
