import { type AutogradeStage, emptyCases } from "../autograde-job";
import type { CellRun } from "../execute";
import { gradeId, isTestCell } from "../format/nbgrader-meta";
import { judgeExpressions, scoreCases } from "../score";

/**
 * Autograde "score": every test case of the record judged in the grader (score.ts), expression
 * answers first judged in their worker. A notebook that could not be read or run at all scores
 * every test case not-run, with the reason.
 */
export const scoreTests: AutogradeStage = {
  name: "score",
  async run(job) {
    const { ctx } = job;
    if (job.readError !== undefined) {
      job.cases = emptyCases(ctx, "not-run", job.readError);
      return;
    }
    if (job.graderError !== undefined && job.runs.length === 0) {
      job.cases = emptyCases(ctx, "not-run", `not graded: ${job.graderError}`);
      return;
    }
    const runsByGradeId = new Map<string, CellRun>();
    for (const run of job.runs) {
      const cell = job.notebook.cells[run.index];
      if (cell && isTestCell(cell) && gradeId(cell) !== undefined) runsByGradeId.set(gradeId(cell)!, run);
    }
    const expressions = await judgeExpressions(ctx.record, ctx.expected, runsByGradeId);
    job.cases = scoreCases(ctx.record, ctx.expected, runsByGradeId, ctx.redact, expressions);
  },
};
