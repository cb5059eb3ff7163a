import { type AutogradeStage, buildResult, inRecordOrder, writeResult } from "../autograde-job";
import { type CellRun, executeForGrading } from "../execute";
import { blindExpectations } from "../format/literal";
import { gradeId, isTestCell } from "../format/nbgrader-meta";
import { sourceOf } from "../format/notebook";
import { injectHeldBack } from "../held-back";
import { PRELOAD } from "../preload";
import { type ExpressionVerdicts, scoreCases } from "../score";
import { kernelEnv, makeWorkdir } from "../workdir";
import { writtenCases } from "../written-answers";

/** The kernel of a submission did not start: the grader's fault or the submission's, decided by a preflight. */
export class KernelStartError extends Error {}

/**
 * Autograde "execute": the sanitized notebook in a fresh kernel whose cwd is a private folder
 * holding only the student's files. Test cells run blind (their expected values replaced, the
 * grader holds them: literal.ts) and receive held-back inputs at grading only (held-back.ts).
 * A partial result is written after each test cell, so a killed grader loses nothing known.
 */
export const executeCells: AutogradeStage = {
  name: "execute",
  async run(job) {
    const { ctx, sub } = job;
    if (job.readError !== undefined) return;
    const running = {
      ...job.notebook,
      cells: job.notebook.cells.map((c, i) =>
        isTestCell(c) ? { ...c, source: injectHeldBack(blindExpectations(sourceOf(c)), ctx.heldBack, `${ctx.lesson} cell ${i}`) } : c,
      ),
    };
    const gradeIdAt = new Map<number, string>();
    job.notebook.cells.forEach((c, i) => {
      if (isTestCell(c) && gradeId(c)) gradeIdAt.set(i, gradeId(c)!);
    });
    const runsByGradeId = new Map<string, CellRun>();
    const expressions: ExpressionVerdicts = new Map();
    const written = writtenCases(ctx.record, job.notebook);
    const workdir = makeWorkdir(sub.files);
    const cwd = workdir.path;
    let client: ReturnType<typeof ctx.kernelFactory> | undefined;
    try {
      client = ctx.kernelFactory({ cwd, env: kernelEnv(cwd), slot: job.slot });
      try {
        await client.start();
      } catch (e) {
        if (!job.startFailureIsFinal) throw new KernelStartError((e as Error).message);
        throw e;
      }
      const nbRun = await executeForGrading(running, client, {
        ...ctx.limits,
        preload: PRELOAD,
        trustedCell: (c) => gradeId(c) !== undefined,
        onCell: (run) => {
          const gid = gradeIdAt.get(run.index);
          if (gid === undefined) return;
          runsByGradeId.set(gid, run);
          const partial = inRecordOrder(ctx.record, [...scoreCases(ctx.record, ctx.expected, runsByGradeId, ctx.redact, expressions), ...written]);
          writeResult(ctx, sub.student, buildResult(ctx, sub, partial, "partial", job.warnings, 0, job.started));
        },
      });
      job.runs = nbRun.runs;
      job.restarts = nbRun.restarts;
      if (nbRun.graderError !== undefined) job.graderError = nbRun.graderError;
    } catch (e) {
      if (e instanceof KernelStartError) throw e;
      job.graderError = `kernel failed: ${(e as Error).message}`;
    } finally {
      await client?.shutdown().catch(() => undefined);
      workdir.remove();
    }
  },
};
