/**
 * Grading pass 2, "autograde" (nbgrader's second list), for one sanitized submission:
 *
 *   execute → limitOutput → score → pendingManual → write
 *
 * Each stage is `(job) => void | Promise<void>` over one typed job (autograde-job.ts; no untyped
 * resources dict), reads what earlier stages left in it and adds its own part, so each can be
 * run and tested alone on a job built by hand (test/grading/autograde-stages.test.ts).
 */
import type { AutogradeStage, AutogradeJob } from "./autograde-job";
import { requireBefore } from "./pipeline";
import type { SubmissionResult } from "./write/results-json";
import { executeCells } from "./stages/execute-cells";
import { limitOutput } from "./stages/limit-output";
import { scoreTests } from "./stages/score-tests";
import { pendingManual } from "./stages/pending-manual";
import { writeOutputs } from "./stages/write-outputs";

export * from "./autograde-job";

export const AUTOGRADE_STAGES: readonly AutogradeStage[] = [executeCells, limitOutput, scoreTests, pendingManual, writeOutputs];
requireBefore(AUTOGRADE_STAGES, "execute", "limitOutput");
requireBefore(AUTOGRADE_STAGES, "limitOutput", "score");
requireBefore(AUTOGRADE_STAGES, "score", "pendingManual");
requireBefore(AUTOGRADE_STAGES, "pendingManual", "write");

/** Run the stages in order; an error names the stage it came from (its class is kept). */
export async function runAutograde(job: AutogradeJob, stages: readonly AutogradeStage[] = AUTOGRADE_STAGES): Promise<SubmissionResult> {
  for (const stage of stages) {
    try {
      await stage.run(job);
    } catch (e) {
      if (e instanceof Error) e.message = `[${stage.name}] ${e.message}`;
      throw e;
    }
  }
  if (!job.result) throw new Error(`the autograde stages (${stages.map((s) => s.name).join(", ")}) wrote no result`);
  return job.result;
}
