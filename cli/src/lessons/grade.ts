/**
 * `nnlab grade`: a folder of submissions → per-student results JSON, feedback HTML, Gradescope
 * results, the graded notebook (hidden regions stripped), and gradebook.csv + summary.json.
 *
 * Per submission: read → sanitize (rebuild from the release record) → the autograde stages
 * (autograde.ts): execute in a fresh kernel whose cwd is a private temp folder holding only the
 * student's files → limit output → score → written answers pending → write. A
 * submission's failure of any kind becomes its result; the batch never stops. Results are
 * written atomically as soon as known (partial results after each test cell), and a rerun skips
 * submissions already graded unless `force`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { type Notebook, parseNotebook } from "./format/notebook";
import { readExpected, withHeldBackLabels } from "./expected";
import { readHeldBack } from "./held-back";
import { type ReleaseRecord, readRecord } from "./record";
import { makeRedactor } from "./redact";
import { sanitize } from "./sanitize";
import { graderKey, verifySigned } from "./state";
import { type Submission, discoverSubmissions, readFileNoFollow } from "./submissions";
import { writeExports } from "./write/exports";
import type { SubmissionResult } from "./write/results-json";
import { removeLeftovers } from "./workdir";
import { GraderFault, preflight } from "./preflight";
import {
  type AutogradeJob,
  type GradeLimits,
  type KernelFactory,
  type LessonContext,
  buildResult,
  emptyCases,
  resultPath,
  runAutograde,
  writeResult,
} from "./autograde";
import { KernelStartError } from "./stages/execute-cells";
import { withManualGrades } from "./stages/write-outputs";
import { PRELOAD } from "./preload";

export type { GradeLimits, KernelFactory, KernelRequest } from "./autograde";
export { AUTOGRADE_STAGES } from "./autograde";
export { PRELOAD } from "./preload";

export const DEFAULT_LIMITS: GradeLimits = { cellTimeoutMs: 30_000, notebookTimeoutMs: 600_000, maxOutputBytes: 1_000_000 };

export interface GradeBatchOptions {
  lessonDir: string;
  submissionsDir: string;
  outDir: string;
  jobs: number;
  force?: boolean;
  limits?: Partial<GradeLimits>;
  kernelFactory: KernelFactory;
  /**
   * Start one kernel on a trivial cell before the first submission (default true), so that a
   * grader-side fault (the runtime cannot start, the sandbox cannot be set up) stops the batch
   * with its cause instead of becoming every student's zero.
   */
  preflight?: boolean;
  log?: (line: string) => void;
}

function emptyNotebook(record: ReleaseRecord): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: record.kernelspec }, cells: [] };
}

/** read → sanitize (sanitize.ts) → the autograde stages (autograde.ts). */
async function gradeOne(ctx: LessonContext, sub: Submission, slot: number, startFailureIsFinal: boolean): Promise<SubmissionResult> {
  const started = new Date();
  const job: AutogradeJob = {
    ctx,
    sub,
    slot,
    startFailureIsFinal,
    started,
    notebook: emptyNotebook(ctx.record),
    warnings: [...(sub.refused ?? [])],
    runs: [],
    restarts: 0,
    cases: [],
  };
  let nb: Notebook | undefined;
  try {
    nb = parseNotebook(readFileNoFollow(sub.notebookPath), sub.notebookPath);
  } catch (e) {
    job.readError = `the notebook could not be read: ${(e as Error).message.replace(sub.notebookPath, basename(sub.notebookPath))}`;
  }
  if (nb) {
    const { notebook, warnings } = sanitize(nb, ctx.record, sub.notebookPath);
    job.notebook = notebook;
    job.warnings = [...warnings, ...job.warnings];
  }
  return runAutograde(job);
}

export interface BatchSummary {
  lesson: string;
  results: SubmissionResult[];
  skipped: string[];
  outDir: string;
}

export { passRates } from "./write/exports";

export async function gradeBatch(opts: GradeBatchOptions): Promise<BatchSummary> {
  const lessonDir = resolve(opts.lessonDir);
  const record = readRecord(lessonDir);
  const heldBack = readHeldBack(lessonDir);
  const expected = withHeldBackLabels(readExpected(lessonDir), heldBack, lessonDir);
  const outDir = resolve(opts.outDir);
  for (const d of ["results", "feedback", "autograded", "gradescope"]) mkdirSync(join(outDir, d), { recursive: true });
  const ctx: LessonContext = {
    lesson: record.lesson,
    record,
    expected,
    heldBack,
    redact: makeRedactor(record, expected),
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    outDir,
    kernelFactory: opts.kernelFactory,
    key: graderKey(outDir),
    ...(opts.log ? { log: opts.log } : {}),
  };
  const left = removeLeftovers();
  if (left.length > 0) opts.log?.(`removed ${left.length} work folder(s)/connection file(s) left by a grader that was killed: ${left.join(", ")}`);
  // One preflight for the batch, run when the first submission needs a kernel (a resumed,
  // complete batch starts none); rerun when a submission's kernel will not start.
  let checked: Promise<string | undefined> | undefined;
  const check = (slot: number, again = false): Promise<string | undefined> => {
    if (opts.preflight === false) return Promise.resolve(undefined);
    if (!checked || again) checked = preflight(opts.kernelFactory, slot, PRELOAD);
    return checked;
  };
  let fault: string | undefined;
  const subs = discoverSubmissions(resolve(opts.submissionsDir), record.notebook, opts.log);
  const results: (SubmissionResult | undefined)[] = new Array(subs.length);
  const skipped: string[] = [];
  let next = 0;
  const worker = async (slot: number) => {
    while (next < subs.length && fault === undefined) {
      const i = next++;
      const sub = subs[i];
      const existing = resultPath(outDir, sub.student);
      if (!opts.force && existsSync(existing)) {
        try {
          const prev = JSON.parse(readFileNoFollow(existing)) as SubmissionResult;
          if (!verifySigned(prev, ctx.key)) {
            opts.log?.(`${sub.student}: results/${sub.student}.json is not signed by this grader (planted or from another --out); grading again`);
          } else if (prev.status === "graded") {
            // Manual grades added since the last run still apply.
            const { mac: _mac, ...unsigned } = prev as SubmissionResult & { mac?: string };
            results[i] = withManualGrades(ctx, unsigned);
            if (results[i] !== unsigned) writeResult(ctx, sub.student, results[i]!);
            skipped.push(sub.student);
            opts.log?.(`${sub.student}: already graded (${prev.score}/${prev.maxScore}); --force to regrade`);
            continue;
          }
        } catch {
          /* unreadable previous result: grade again */
        }
      }
      const why = await check(slot);
      if (why !== undefined) {
        fault = why;
        break;
      }
      try {
        try {
          results[i] = await gradeOne(ctx, sub, slot, false);
        } catch (e) {
          if (!(e instanceof KernelStartError)) throw e;
          // Is the runtime broken (the grader's fault: stop) or only this submission's kernel?
          const again = await check(slot, true);
          if (again !== undefined) {
            fault = again;
            break;
          }
          results[i] = await gradeOne(ctx, sub, slot, true);
        }
      } catch (e) {
        // Last line of defence: a bug in a stage must cost one submission, not the batch.
        const r = buildResult(
          ctx,
          sub,
          emptyCases(ctx, "not-run", "grader error"),
          "grader-error",
          [],
          0,
          new Date(),
          (e as Error).stack ?? String(e),
        );
        writeResult(ctx, sub.student, r);
        results[i] = r;
      }
      const r = results[i]!;
      opts.log?.(`${sub.student}: ${r.score}/${r.maxScore}${r.graderError ? ` (grader error: ${r.graderError.split("\n")[0]})` : ""}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, subs.length)) }, (_, slot) => worker(slot)));
  if (fault !== undefined) {
    throw new GraderFault(
      `grading stopped: kernels cannot run, which is the grader's fault, not the students'; no gradebook was written and no student was scored by this failure. Cause: ${fault}`,
    );
  }
  const done = results.filter((r): r is SubmissionResult => r !== undefined);
  const timestamps = new Map(subs.filter((s) => s.timestamp).map((s) => [s.student, s.timestamp!]));
  writeExports(outDir, record, done, timestamps);
  return { lesson: record.lesson, results: done, skipped, outDir };
}
