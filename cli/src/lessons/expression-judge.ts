/**
 * Expression answers are judged in a worker thread with a budget: a wall-clock limit per answer
 * (the worker is terminated and replaced when it is exceeded) and a heap cap, so that a string
 * built to make mathjs run for minutes (a product of 30 `(z+i)` factors) costs its author the
 * case and nobody else a second. One worker serves the whole process, one answer at a time.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { ExpressionVerdict } from "./expression";

export interface ExpressionRequest {
  student: unknown;
  expected: string;
  variables: string[];
  domain?: [number, number];
}

/** Wall-clock budget per answer, and the worker's heap. */
export const EXPRESSION_BUDGET_MS = 3000;
const WORKER_HEAP_MB = 96;

/** The compiled worker, the same path from cli/src/lessons (tests) and cli/dist/lessons. */
export function workerFile(): string {
  return join(__dirname, "..", "..", "dist", "lessons", "expression-worker.js");
}

type Pending = { seq: number; req: ExpressionRequest; budgetMs: number; resolve: (v: ExpressionVerdict) => void };

let worker: Worker | undefined;
let seq = 0;
const queue: Pending[] = [];
let busy: (Pending & { timer: NodeJS.Timeout; worker: Worker }) | undefined;

function spawn(): Worker {
  const file = workerFile();
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" (the expression grader runs compiled code in a worker)`);
  const w = new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  w.unref();
  w.on("message", (m: { seq: number; verdict: ExpressionVerdict }) => {
    if (busy && m.seq === busy.seq) finish(m.verdict);
  });
  const lost = (why: string) => {
    if (worker === w) worker = undefined;
    if (busy?.worker === w) finish({ passed: false, message: `could not judge the expression: ${why}` });
  };
  w.on("error", (e) => lost(e.message));
  w.on("exit", (code) => lost(`the judging worker stopped (exit ${code})`));
  return w;
}

function finish(v: ExpressionVerdict): void {
  const done = busy;
  if (!done) return;
  clearTimeout(done.timer);
  busy = undefined;
  done.resolve(v);
  pump();
}

function pump(): void {
  if (busy || queue.length === 0) return;
  const next = queue.shift()!;
  try {
    worker ??= spawn();
  } catch (e) {
    next.resolve({ passed: false, message: `grader error: ${(e as Error).message}` });
    pump();
    return;
  }
  const w = worker;
  const timer = setTimeout(() => {
    // Over budget: the answer fails, the worker is replaced, the queue moves on.
    worker = undefined;
    const over = busy;
    busy = undefined;
    void w.terminate();
    over?.resolve({ passed: false, message: `the expression took longer than ${next.budgetMs / 1000} s to judge (budget); write it more simply` });
    pump();
  }, next.budgetMs);
  busy = { ...next, timer, worker: w };
  w.postMessage({ seq: next.seq, ...next.req });
}

/** Judge one answer off the main thread; never rejects. */
export function judgeExpression(req: ExpressionRequest, budgetMs: number = EXPRESSION_BUDGET_MS): Promise<ExpressionVerdict> {
  return new Promise((resolve) => {
    queue.push({ seq: ++seq, req, budgetMs, resolve });
    pump();
  });
}
