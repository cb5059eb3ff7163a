/**
 * `nnlab grade`: a folder of submissions → per-student results JSON, feedback HTML, Gradescope
 * results, the graded notebook (hidden regions stripped), and gradebook.csv + summary.json.
 *
 * Per submission: read → sanitize (rebuild from the release record) → execute in a fresh kernel
 * whose cwd is a private temp folder holding only the student's files → score → write. A
 * submission's failure of any kind becomes its result; the batch never stops. Results are
 * written atomically as soon as known (partial results after each test cell), and a rerun skips
 * submissions already graded unless `force`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { KernelClient } from "../kernel/client";
import { removeHiddenRegions } from "./format/delimiters";
import { blindExpectations } from "./format/literal";
import { type Notebook, parseNotebook, serializeNotebook, sourceOf } from "./format/notebook";
import { gradeId, isTestCell } from "./format/nbgrader-meta";
import { type ExpectedValues, readExpected, withHeldBackLabels } from "./expected";
import { type HeldBack, injectHeldBack, readHeldBack } from "./held-back";
import { type CellRun, executeNotebook } from "./execute";
import { type ReleaseRecord, allCases, readRecord } from "./record";
import { applyManual, readManual } from "./manual";
import { makeRedactor, redactRun } from "./redact";
import { sanitize } from "./sanitize";
import { type CaseResult, type ExpressionVerdicts, judgeExpressions, scoreCases } from "./score";
import { graderKey, signed, verifySigned } from "./state";
import { type Submission, discoverSubmissions, readFileNoFollow } from "./submissions";
import { feedbackHtml } from "./write/feedback-html";
import { gradebookCsv } from "./write/gradebook-csv";
import { gradescopeResults } from "./write/gradescope";
import { RESULTS_FORMAT, type SubmissionResult, questionsOf, round, writeJsonAtomic } from "./write/results-json";
import { writeAtomic } from "./release";
import { kernelEnv, makeWorkdir, removeLeftovers } from "./workdir";
import { GraderFault, preflight } from "./preflight";

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

/**
 * Loaded before any student cell, so the helpers capture pristine built-ins. Matrix products stay
 * on the kernel's own thread: under the grader's address-space limit a worker thread's isolate
 * cannot reserve its code range and V8 aborts the kernel ("Failed to reserve virtual memory for
 * CodeRange"); results are the same bit for bit whatever the thread count, and a batch already
 * runs one kernel per core (--jobs).
 */
export const PRELOAD = [
  'import "nnlab/grading";',
  'try { (require("nnlab") as { setNumThreads(n: number): void }).setNumThreads(1); } catch { /* no nnlab where this kernel runs: nothing to limit */ }',
];

interface LessonContext {
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
}

const VERSIONS = { nnlab: (require("nnlab/package.json") as { version: string }).version, node: process.version };

function resultPath(outDir: string, student: string): string {
  return join(outDir, "results", `${student}.json`);
}

/** Results files are written signed: a file in --out that does not verify is not the grader's. */
function writeResult(ctx: LessonContext, student: string, result: SubmissionResult): void {
  writeJsonAtomic(resultPath(ctx.outDir, student), signed(result, ctx.key));
}

function emptyCases(ctx: LessonContext, status: CaseResult["status"], message: string): CaseResult[] {
  return allCases(ctx.record).map(({ cell, spec }) => ({
    id: spec.id, question: cell.gradeId!, points: 0, max: spec.points, status, message, durationMs: 0,
    visibility: spec.hidden ? "hidden" : "visible",
  }));
}

function buildResult(ctx: LessonContext, sub: Submission, cases: CaseResult[], status: SubmissionResult["status"], warnings: string[], restarts: number, started: Date, graderError?: string): SubmissionResult {
  const r: SubmissionResult = {
    format: RESULTS_FORMAT,
    lesson: ctx.lesson,
    student: sub.student,
    notebook: basename(sub.notebookPath),
    status,
    score: round(cases.reduce((s, c) => s + c.points, 0)),
    maxScore: ctx.record.maxScore,
    questions: questionsOf(cases),
    cases,
    warnings,
    restarts,
    timing: { startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() },
    versions: VERSIONS,
  };
  if (graderError !== undefined) r.graderError = graderError;
  return r;
}

/** The notebook as graded, for the instructor, with hidden regions stripped (they live only in the record). */
function gradedNotebook(nb: Notebook, runs: CellRun[]): Notebook {
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

/** The kernel of a submission did not start: the grader's fault or the submission's, decided by a preflight. */
class KernelStartError extends Error {}

async function gradeOne(ctx: LessonContext, sub: Submission, slot: number, startFailureIsFinal: boolean): Promise<SubmissionResult> {
  const started = new Date();
  let nb: Notebook;
  try {
    nb = parseNotebook(readFileNoFollow(sub.notebookPath), sub.notebookPath);
  } catch (e) {
    const msg = `the notebook could not be read: ${(e as Error).message.replace(sub.notebookPath, basename(sub.notebookPath))}`;
    const result = buildResult(ctx, sub, emptyCases(ctx, "not-run", msg), "graded", [msg, ...(sub.refused ?? [])], 0, started);
    return writeOutputs(ctx, sub, result, { ...emptyNotebook(ctx.record), cells: [] }, []);
  }
  const { notebook, warnings } = sanitize(nb, ctx.record, sub.notebookPath);
  warnings.push(...(sub.refused ?? []));
  // Test cells run without their expected values: the grader holds those (literal.ts). Held-back
  // inputs enter here, in test cells only, at grading only (held-back.ts).
  const running = {
    ...notebook,
    cells: notebook.cells.map((c, i) => (isTestCell(c) ? { ...c, source: injectHeldBack(blindExpectations(sourceOf(c)), ctx.heldBack, `${ctx.lesson} cell ${i}`) } : c)),
  };
  const gradeIdAt = new Map<number, string>();
  notebook.cells.forEach((c, i) => {
    if (isTestCell(c) && gradeId(c)) gradeIdAt.set(i, gradeId(c)!);
  });

  const workdir = makeWorkdir(sub.files);
  const cwd = workdir.path;
  let client: KernelClient | undefined;
  const runsByGradeId = new Map<string, CellRun>();
  const expressions: ExpressionVerdicts = new Map();
  let runs: CellRun[] = [];
  let restarts = 0;
  let graderError: string | undefined;
  try {
    client = ctx.kernelFactory({ cwd, env: kernelEnv(cwd), slot });
    try {
      await client.start();
    } catch (e) {
      if (!startFailureIsFinal) throw new KernelStartError((e as Error).message);
      throw e;
    }
    const nbRun = await executeNotebook(running, client, {
      ...ctx.limits,
      preload: PRELOAD,
      trustedCell: (c) => gradeId(c) !== undefined,
      onCell: (run) => {
        const gid = gradeIdAt.get(run.index);
        if (gid === undefined) return;
        runsByGradeId.set(gid, run);
        const partial = scoreCases(ctx.record, ctx.expected, runsByGradeId, ctx.redact, expressions);
        writeResult(ctx, sub.student, buildResult(ctx, sub, partial, "partial", warnings, 0, started));
      },
    });
    runs = nbRun.runs;
    restarts = nbRun.restarts;
    graderError = nbRun.graderError;
  } catch (e) {
    if (e instanceof KernelStartError) throw e;
    graderError = `kernel failed: ${(e as Error).message}`;
  } finally {
    await client?.shutdown().catch(() => undefined);
    workdir.remove();
  }
  for (const run of runs) {
    const gid = gradeIdAt.get(run.index);
    if (gid !== undefined) runsByGradeId.set(gid, run);
  }
  // Expression answers are judged off this thread, within a budget (expression-judge.ts).
  await judgeExpressions(ctx.record, ctx.expected, runsByGradeId, expressions);
  const cases = graderError && runs.length === 0
    ? emptyCases(ctx, "not-run", `not graded: ${graderError}`)
    : scoreCases(ctx.record, ctx.expected, runsByGradeId, ctx.redact, expressions);
  const result = buildResult(ctx, sub, cases, graderError ? "grader-error" : "graded", warnings, restarts, started, graderError);
  return writeOutputs(ctx, sub, result, notebook, runs);
}

function emptyNotebook(record: ReleaseRecord): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: record.kernelspec }, cells: [] };
}

/** Student-facing files first, the results JSON last: its presence means "done" to a rerun. */
function writeOutputs(ctx: LessonContext, sub: Submission, autoResult: SubmissionResult, notebook: Notebook, runs: CellRun[]): SubmissionResult {
  const out = ctx.outDir;
  const result = applyManual(autoResult, readManual(out, sub.student));
  // What a student sees: every cell's outputs redacted of hidden tests and expected values.
  const shown = runs.map((r) => redactRun(r, ctx.redact));
  writeAtomic(join(out, "feedback", `${sub.student}.html`), feedbackHtml(result, notebook, shown, ctx.record));
  writeAtomic(join(out, "autograded", `${sub.student}.ipynb`), serializeNotebook(gradedNotebook(notebook, shown)));
  mkdirSync(join(out, "gradescope", sub.student), { recursive: true });
  writeJsonAtomic(join(out, "gradescope", sub.student, "results.json"), gradescopeResults(result));
  writeResult(ctx, sub.student, result);
  return result;
}

export interface BatchSummary {
  lesson: string;
  results: SubmissionResult[];
  skipped: string[];
  outDir: string;
}

/** Per-case pass rates across the batch (otter #885). */
export function passRates(results: SubmissionResult[]): Record<string, number> {
  const rates: Record<string, number> = {};
  if (results.length === 0) return rates;
  for (const c of results[0].cases) {
    const passed = results.filter((r) => r.cases.find((x) => x.id === c.id)?.status === "passed").length;
    rates[c.id] = round(passed / results.length);
  }
  return rates;
}

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
            results[i] = applyManual(unsigned, readManual(outDir, sub.student));
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
        const r = buildResult(ctx, sub, emptyCases(ctx, "not-run", "grader error"), "grader-error", [], 0, new Date(), (e as Error).stack ?? String(e));
        writeResult(ctx, sub.student, r);
        results[i] = r;
      }
      const r = results[i]!;
      opts.log?.(`${sub.student}: ${r.score}/${r.maxScore}${r.graderError ? ` (grader error: ${r.graderError.split("\n")[0]})` : ""}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, subs.length)) }, (_, slot) => worker(slot)));
  if (fault !== undefined) {
    throw new GraderFault(`grading stopped: kernels cannot run, which is the grader's fault, not the students'; no gradebook was written and no student was scored by this failure. Cause: ${fault}`);
  }
  const done = results.filter((r): r is SubmissionResult => r !== undefined);
  const questions = record.cells.filter((c) => c.role === "test").map((c) => c.gradeId!);
  const timestamps = new Map(subs.filter((s) => s.timestamp).map((s) => [s.student, s.timestamp!]));
  writeAtomic(join(outDir, "gradebook.csv"), gradebookCsv(record.lesson, questions, done, timestamps));
  writeJsonAtomic(join(outDir, "summary.json"), {
    lesson: record.lesson,
    submissions: done.length,
    maxScore: record.maxScore,
    scores: Object.fromEntries(done.map((r) => [r.student, r.score])),
    passRates: passRates(done),
  });
  return { lesson: record.lesson, results: done, skipped, outDir };
}
