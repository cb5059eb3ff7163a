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
  tests: { name: string; score: number; max_score: number; status: "passed" | "failed"; output: string; visibility: string }[];
}

export function gradescopeResults(r: SubmissionResult): GradescopeResults {
  const publicCases = r.cases.filter((c) => c.visibility === "visible");
  const passedPublic = publicCases.filter((c) => c.status === "passed").length;
  return {
    score: r.score,
    execution_time: Math.round(r.timing.durationMs / 1000),
    output: `public ${passedPublic}/${publicCases.length} passed; hidden tests are shown after the due date` + (r.graderError ? `\ngrader error: ${r.graderError}` : ""),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: r.cases.map((c) => ({
      name: `${c.question}: ${c.id}`,
      score: c.points,
      max_score: c.max,
      status: c.status === "passed" ? "passed" : "failed",
      output: c.status === "passed" ? "" : `${c.status}: ${c.message}`,
      visibility: c.visibility === "hidden" ? "after_due_date" : "visible",
    })),
  };
}
