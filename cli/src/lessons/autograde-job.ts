/**
 * The job the autograde stages (autograde.ts) pass along, and the helpers they share to build
 * and write a result. Kept apart from the stage list so that a stage can be imported alone.
 */
import { basename, join } from "node:path";
import type { KernelClient } from "../kernel/client";
import type { CellRun } from "./execute";
import type { ExpectedValues } from "./expected";
import type { Notebook } from "./format/notebook";
import type { HeldBack } from "./held-back";
import { type ReleaseRecord, allCases } from "./record";
import type { CaseResult } from "./score";
import { signed } from "./state";
import type { Submission } from "./submissions";
import { RESULTS_FORMAT, type SubmissionResult, totalsOf, writeJsonAtomic } from "./write/results-json";

export interface KernelRequest {
  /** The private working directory of this submission's kernel. */
  cwd: string;
  /** The kernel's whole environment (no grader variables, fixed TZ and locale). */
  env: NodeJS.ProcessEnv;
  /** The job slot (0 … jobs-1) this kernel runs in: one at a time per slot (sandbox users are per slot). */
  slot?: number;
}
export type KernelFactory = (req: KernelRequest) => KernelClient;

export interface GradeLimits {
  cellTimeoutMs: number;
  notebookTimeoutMs: number;
  maxOutputBytes: number;
}

/** What every submission of a lesson shares. */
export interface LessonContext {
  lesson: string;
  record: ReleaseRecord;
  expected: ExpectedValues;
  /** Examples the student never sees (heldback.json): inputs injected into test cells, labels kept here. */
  heldBack: HeldBack;
  redact: (s: string) => string;
  limits: GradeLimits;
  outDir: string;
  kernelFactory: KernelFactory;
  /** Signs every results file (state.ts); a rerun trusts only files that verify. */
  key: Buffer;
  log?: (line: string) => void;
}

/** One submission on its way through the stages. */
export interface AutogradeJob {
  ctx: LessonContext;
  sub: Submission;
  slot: number;
  /** false: a kernel that will not start is reported to the batch (which checks the runtime) instead of scored. */
  startFailureIsFinal: boolean;
  started: Date;
  /** The sanitized notebook (an empty one when the submission could not be read). */
  notebook: Notebook;
  /** Set when the submission could not be read: nothing runs, every case is not-run. */
  readError?: string;
  warnings: string[];
  /** Filled by execute (and bounded by limitOutput). */
  runs: CellRun[];
  restarts: number;
  graderError?: string;
  /** Filled by score (test cases) and pendingManual (written answers), in notebook order. */
  cases: CaseResult[];
  /** Filled by write: the result as written, manual grades applied. */
  result?: SubmissionResult;
}

export interface AutogradeStage {
  readonly name: string;
  run(job: AutogradeJob): void | Promise<void>;
}

const VERSIONS = { nnlab: (require("nnlab/package.json") as { version: string }).version, node: process.version };

export function resultPath(outDir: string, student: string): string {
  return join(outDir, "results", `${student}.json`);
}

/** Results files are written signed: a file in --out that does not verify is not the grader's. */
export function writeResult(ctx: LessonContext, student: string, result: SubmissionResult): void {
  writeJsonAtomic(resultPath(ctx.outDir, student), signed(result, ctx.key));
}

/** Cases in the order of their cells in the release (test cases and written answers interleaved). */
export function inRecordOrder(record: ReleaseRecord, cases: CaseResult[]): CaseResult[] {
  const order = new Map(record.cells.map((c, i) => [c.gradeId ?? `#${i}`, i]));
  return cases
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (order.get(a.c.question) ?? 0) - (order.get(b.c.question) ?? 0) || a.i - b.i)
    .map((x) => x.c);
}

export function emptyCases(ctx: LessonContext, status: CaseResult["status"], message: string): CaseResult[] {
  return allCases(ctx.record).map(({ cell, spec }) => ({
    id: spec.id,
    question: cell.gradeId!,
    points: 0,
    max: spec.points,
    status,
    message,
    durationMs: 0,
    visibility: spec.hidden ? "hidden" : "visible",
  }));
}

export function buildResult(
  ctx: LessonContext,
  sub: Submission,
  cases: CaseResult[],
  status: SubmissionResult["status"],
  warnings: string[],
  restarts: number,
  started: Date,
  graderError?: string,
): SubmissionResult {
  const totals = totalsOf(cases);
  const r: SubmissionResult = {
    format: RESULTS_FORMAT,
    lesson: ctx.lesson,
    student: sub.student,
    notebook: basename(sub.notebookPath),
    status,
    score: totals.score,
    maxScore: ctx.record.maxScore,
    questions: totals.questions,
    ...(totals.pendingManual ? { pendingManual: totals.pendingManual } : {}),
    cases,
    warnings,
    restarts,
    timing: { startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() },
    versions: VERSIONS,
  };
  if (graderError !== undefined) r.graderError = graderError;
  return r;
}
