import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type AutogradeStage, type LessonContext, buildResult, writeResult } from "../autograde-job";
import type { CellRun } from "../execute";
import { removeHiddenRegions } from "../format/delimiters";
import { isTestCell } from "../format/nbgrader-meta";
import { type Notebook, serializeNotebook, sourceOf } from "../format/notebook";
import { applyManual, readManual } from "../manual";
import { redactRun } from "../redact";
import { writeAtomic } from "../release";
import { type SubmissionResult, writeJsonAtomic } from "../write/results-json";
import { feedbackHtml } from "../write/feedback-html";
import { gradescopeResults } from "../write/gradescope";

/** The notebook as graded, for the instructor, with hidden regions stripped (they live only in the record). */
export function gradedNotebook(nb: Notebook, runs: CellRun[]): Notebook {
  const byIndex = new Map(runs.map((r) => [r.index, r]));
  return {
    ...nb,
    cells: nb.cells.map((cell, i) => {
      const c = { ...cell, metadata: { ...cell.metadata } };
      if (isTestCell(c)) c.source = removeHiddenRegions(sourceOf(c), `cell ${i}`).source;
      if (c.cell_type === "code") {
        const run = byIndex.get(i);
        // Test cells' outputs are summarised by the case results; hidden values stay out.
        c.outputs = run && !isTestCell(c) ? run.outputs.map((o) => ({ ...o, transient: undefined })) : [];
        if (run && run.status !== "ok") {
          c.outputs.push({ output_type: "stream", name: "stderr", text: `[nnlab grader] ${run.status}${run.reason ? `: ${run.reason}` : ""}\n` });
        }
        c.execution_count = null;
      }
      return c;
    }),
  };
}

/** The signed manual grades of a student applied to a result (a file that does not verify is logged, not believed). */
export function withManualGrades(ctx: Pick<LessonContext, "outDir" | "key" | "log">, result: SubmissionResult): SubmissionResult {
  const { grades, problem } = readManual(ctx.outDir, result.student, ctx.key);
  if (problem) ctx.log?.(`${result.student}: ${problem}`);
  const applied = applyManual(result, grades);
  for (const c of applied.cases)
    if (c.written && c.needsReview)
      ctx.log?.(
        `${result.student}: written answer "${c.id}": ${c.needsReview}; ${c.status === "pending" ? "pending manual grading again" : c.message}`,
      );
  return applied;
}

/** The student-facing files of one result: feedback page and Gradescope results. */
export function writeStudentFiles(outDir: string, result: SubmissionResult, html: string): void {
  writeAtomic(join(outDir, "feedback", `${result.student}.html`), html);
  mkdirSync(join(outDir, "gradescope", result.student), { recursive: true });
  writeJsonAtomic(join(outDir, "gradescope", result.student, "results.json"), gradescopeResults(result));
}

/**
 * Autograde "write": student-facing files first, the signed results JSON last (its presence
 * means "done" to a rerun). Manual grades recorded earlier apply here, so regrading keeps them.
 */
export const writeOutputs: AutogradeStage = {
  name: "write",
  run(job) {
    const { ctx, sub } = job;
    const status = job.readError === undefined && job.graderError !== undefined ? "grader-error" : "graded";
    const warnings = job.readError !== undefined ? [job.readError, ...job.warnings] : job.warnings;
    const auto = buildResult(
      ctx,
      sub,
      job.cases,
      status,
      warnings,
      job.restarts,
      job.started,
      job.readError === undefined ? job.graderError : undefined,
    );
    const result = withManualGrades(ctx, auto);
    // What a student sees: every cell's outputs redacted of hidden tests and expected values.
    const shown = job.runs.map((r) => redactRun(r, ctx.redact));
    writeStudentFiles(ctx.outDir, result, feedbackHtml(result, job.notebook, shown, ctx.record));
    writeAtomic(join(ctx.outDir, "autograded", `${sub.student}.ipynb`), serializeNotebook(gradedNotebook(job.notebook, shown)));
    writeResult(ctx, sub.student, result);
    job.result = result;
  },
};
