/**
 * Expression answers are judged in a worker thread with a budget: a wall-clock limit per answer
 * (the worker is terminated and replaced when it is exceeded) and a heap cap, so that a string
 * built to make mathjs run for minutes (a product of 30 `(z+i)` factors) costs its author the
 * case and nobody else a second. One worker serves the whole process, one answer at a time.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { ExpressionSamples, ExpressionVerdict } from "./expression";

export interface ExpressionRequest {
  student: unknown;
  expected: string;
  variables: string[];
  domain?: [number, number] | undefined;
  /** `nnlab check`: judge against these released samples instead of `expected`. */
  samples?: ExpressionSamples | undefined;
}

/** Wall-clock budget per answer, and the worker's heap. */
export const EXPRESSION_BUDGET_MS = 3000;
const WORKER_HEAP_MB = 96;

/** The compiled worker, the same path from cli/src/lessons (tests) and cli/dist/lessons. */
export function workerFile(): string {
  return join(__dirname, "..", "..", "dist", "lessons", "expression-worker.js");
}

type Pending = { seq: number; req: ExpressionRequest; budgetMs: number; resolve: (v: ExpressionVerdict) => void };

/** Loading mathjs in a fresh worker takes seconds on a loaded machine: not part of an answer's budget. */
const STARTUP_LIMIT_MS = 60_000;

interface Judge {
  worker: Worker;
  ready: Promise<void>;
}

let judge: Judge | undefined;
let seq = 0;
const queue: Pending[] = [];
let busy: (Pending & { timer?: NodeJS.Timeout; worker: Worker }) | undefined;

function spawn(): Judge {
  const file = workerFile();
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" (the expression grader runs compiled code in a worker)`);
  const w = new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  let started: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (started = resolve));
  w.on("message", (m: { ready?: true; seq?: number; verdict?: ExpressionVerdict }) => {
    if (m.ready) started();
    else if (busy && busy.worker === w && m.seq === busy.seq && m.verdict) finish(m.verdict);
  });
  const lost = (why: string) => {
    if (judge?.worker === w) judge = undefined;
    started();
    if (busy?.worker === w) finish({ passed: false, message: `could not judge the expression: ${why}` });
  };
  w.on("error", (e) => lost(e.message));
  w.on("exit", (code) => lost(`the judging worker stopped (exit ${code})`));
  // After the listeners: adding a "message" listener refs the worker's port again. An idle
  // judge must not keep `nnlab grade` from exiting.
  w.unref();
  return { worker: w, ready };
}

function finish(v: ExpressionVerdict): void {
  const done = busy;
  if (!done) return;
  if (done.timer) clearTimeout(done.timer);
  busy = undefined;
  done.resolve(v);
  pump();
}

/** Over a limit: the answer fails, the worker is replaced, the queue moves on. */
function overrun(w: Worker, message: string): void {
  if (busy?.worker !== w) return;
  if (judge?.worker === w) judge = undefined;
  void w.terminate();
  finish({ passed: false, message });
}

function pump(): void {
  if (busy || queue.length === 0) return;
  const next = queue.shift()!;
  let j: Judge;
  try {
    j = judge ??= spawn();
  } catch (e) {
    next.resolve({ passed: false, message: `grader error: ${(e as Error).message}` });
    pump();
    return;
  }
  const w = j.worker;
  busy = { ...next, worker: w };
  const startup = setTimeout(
    () => overrun(w, `grader error: the expression worker did not start within ${STARTUP_LIMIT_MS / 1000} s`),
    STARTUP_LIMIT_MS,
  );
  void j.ready.then(() => {
    clearTimeout(startup);
    if (busy?.worker !== w || busy.seq !== next.seq) return;
    busy.timer = setTimeout(
      () => overrun(w, `the expression took longer than ${next.budgetMs / 1000} s to judge (budget); write it more simply`),
      next.budgetMs,
    );
    w.postMessage({ seq: next.seq, ...next.req });
  });
}

/** Judge one answer off the main thread; never rejects. */
export function judgeExpression(req: ExpressionRequest, budgetMs: number = EXPRESSION_BUDGET_MS): Promise<ExpressionVerdict> {
  return new Promise((resolve) => {
    queue.push({ seq: ++seq, req, budgetMs, resolve });
    pump();
  });
}
