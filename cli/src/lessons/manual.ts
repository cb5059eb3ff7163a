/**
 * Manual grades (nbgrader: manual_score beats auto_score, and re-autograding keeps it). The
 * instructor writes `<out>/manual/<student>.json`:
 *   {"<case id>": {"points": 1.5, "comment": "partly right: the sign of δ³ is flipped"}}
 * Every grading run, including a resumed one, applies these over the automatic result; the
 * automatic points stay visible as `autoPoints`, and a case whose automatic verdict no longer
 * matches the manual points is flagged for a second look.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type SubmissionResult, questionsOf, round } from "./write/results-json";

export interface ManualGrade {
  points: number;
  comment?: string;
}

export function readManual(outDir: string, student: string): Record<string, ManualGrade> {
  const file = join(outDir, "manual", `${student}.json`);
  if (!existsSync(file)) return {};
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, ManualGrade>;
  for (const [id, g] of Object.entries(raw)) {
    if (typeof g?.points !== "number" || !Number.isFinite(g.points)) {
      throw new Error(`${file}: case "${id}" needs a numeric "points"`);
    }
  }
  return raw;
}

/** A new result with manual grades applied; the input is not changed. */
export function applyManual(result: SubmissionResult, manual: Record<string, ManualGrade>): SubmissionResult {
  if (Object.keys(manual).length === 0) return result;
  const warnings = [...result.warnings];
  const cases = result.cases.map((c) => {
    const m = manual[c.id];
    const auto = c.autoPoints ?? c.points;
    if (!m) return c;
    const points = Math.min(Math.max(m.points, 0), c.max);
    const next = { ...c, points, autoPoints: auto, manual: true as const };
    if (m.comment !== undefined) next.comment = m.comment;
    if (auto !== points) next.needsReview = `manual ${points} kept; the autograder gives ${auto}`;
    return next;
  });
  for (const id of Object.keys(manual)) if (!cases.some((c) => c.id === id)) warnings.push(`manual grade for unknown case "${id}" ignored`);
  const score = round(cases.reduce((s, c) => s + c.points, 0));
  return { ...result, cases, score, questions: questionsOf(cases), warnings };
}
