/**
 * Gradescope's autograder results.json for one submission
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/): one test per case; hidden
 * cases keep their name and score but are shown only after the due date.
 */
import type { SubmissionResult } from "./results-json";

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  stdout_visibility: "visible" | "hidden";
  tests: { name: string; score: number; max_score: number; status?: "passed" | "failed"; output: string; visibility: string }[];
}

/** A written answer has no pass/fail: Gradescope's `status` is optional, and left out for it. */
function testOf(c: SubmissionResult["cases"][number]): GradescopeResults["tests"][number] {
  const t = {
    name: `${c.question}: ${c.id}`,
    score: c.points,
    max_score: c.max,
    visibility: c.visibility === "hidden" ? "after_due_date" : "visible",
  };
  if (c.status === "pending") return { ...t, output: `pending manual grading: ${c.max} point${c.max === 1 ? "" : "s"} at stake` };
  if (c.status === "graded") return { ...t, output: `graded by hand: ${c.points}/${c.max}${c.comment ? `\n${c.comment}` : ""}` };
  return {
    ...t,
    status: c.status === "passed" ? "passed" : "failed",
    output: c.status === "passed" ? (c.comment ?? "") : `${c.status}: ${c.message}${c.comment ? `\n${c.comment}` : ""}`,
  };
}

export function gradescopeResults(r: SubmissionResult): GradescopeResults {
  const publicCases = r.cases.filter((c) => c.visibility === "visible" && !c.written);
  const passedPublic = publicCases.filter((c) => c.status === "passed").length;
  return {
    score: r.score,
    execution_time: Math.round(r.timing.durationMs / 1000),
    output:
      `public ${passedPublic}/${publicCases.length} passed; hidden tests are shown after the due date` +
      (r.pendingManual ? `\npending manual grading: ${r.pendingManual.points} point(s) of written answers not yet graded` : "") +
      (r.graderError ? `\ngrader error: ${r.graderError}` : ""),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: r.cases.map(testOf),
  };
}
