/**
 * Grading pass 2, "execute": run the sanitized notebook cell by cell in one fresh kernel.
 *
 * - One request in flight; the outcome of a cell comes from the client's status (execute_reply,
 *   timeout, death), never from stderr text.
 * - Per-cell limit (record metadata `nnlab.timeout` in seconds may raise it for a training
 *   cell; a student's own cells cannot), whole-notebook limit (later cells become not-run).
 * - A cell that kills the kernel (timeout past SIGINT, process.exit, heap exhaustion) costs
 *   only itself: the kernel is restarted and every earlier cell that succeeded is replayed, so
 *   later questions that use earlier definitions still score.
 * - Test cells arrive here with their hidden regions; they travel only over the protocol.
 */
import type { ExecuteResult, KernelClient, Output } from "../kernel/client";
import type { CellRun } from "../notebook/execute";
import { executeNotebook } from "../notebook/execute";
import type { Cell, Notebook } from "./format/notebook";
import { sourceOf } from "./format/notebook";

export type { CellRun };

export interface GradingRunOptions {
  cellTimeoutMs: number;
  notebookTimeoutMs: number;
  maxOutputBytes: number;
  /** Code run before the first cell and after every restart (not a notebook cell). */
  preload: string[];
  /** Which cells may carry a `metadata.nnlab.timeout` override (the record's, not the student's). */
  trustedCell: (cell: Cell, index: number) => boolean;
  /** Called as soon as each cell's outcome is known (persist partial results). */
  onCell?: (run: CellRun) => void;
}

export interface NotebookRun {
  runs: CellRun[];
  restarts: number;
  /** Set when the grader itself could not run anything (kernel would not start, preload failed). */
  graderError?: string;
}

/** Rich outputs (images, plots, records) are capped separately from stream text. */
export const MAX_DISPLAY_BYTES = 5_000_000;
/** A test record larger than this is dropped (its case then scores 0: fail-closed). */
export const MAX_RECORD_BYTES = 256 * 1024;
const RECORD_MIME = "application/vnd.nnlab.test+json";

function sizeOf(o: Output): number {
  return o.output_type === "display_data" || o.output_type === "execute_result" ? JSON.stringify(o.data).length : 0;
}

/**
 * Bound what is kept of one cell's rich outputs: the client caps stream bytes while collecting;
 * displays are capped here, and an oversized test record is replaced by a note.
 */
export function boundOutputs(outputs: Output[]): { outputs: Output[]; dropped: number } {
  let used = 0;
  let dropped = 0;
  const kept: Output[] = [];
  for (const o of outputs) {
    const size = sizeOf(o);
    const isRecord = o.output_type === "display_data" && RECORD_MIME in o.data;
    if ((isRecord && size > MAX_RECORD_BYTES) || (!isRecord && size > 0 && used + size > MAX_DISPLAY_BYTES)) {
      dropped++;
      continue;
    }
    if (!isRecord) used += size;
    kept.push(o);
  }
  if (dropped > 0)
    kept.push({
      output_type: "stream",
      name: "stderr",
      text: `[nnlab: ${dropped} display output(s) dropped: over the ${MAX_DISPLAY_BYTES}-byte display cap or the ${MAX_RECORD_BYTES}-byte record cap]\n`,
    });
  return { outputs: kept, dropped };
}

/** Human reason for a dead kernel; SIGABRT is V8's heap-exhaustion abort. */
function deathReason(r: ExecuteResult): string {
  const why = r.reason ?? "kernel died";
  if (/SIGABRT|heap|allocation failed/i.test(why)) return `memory limit: ${why}`;
  return why;
}

function timeoutFor(cell: Cell, index: number, opts: GradingRunOptions): number {
  const meta = cell.metadata.nnlab as { timeout?: unknown } | undefined;
  if (opts.trustedCell(cell, index) && typeof meta?.timeout === "number" && meta.timeout > 0) return meta.timeout * 1000;
  return opts.cellTimeoutMs;
}

async function runPreload(client: KernelClient, opts: GradingRunOptions): Promise<string | undefined> {
  for (const code of opts.preload) {
    const r = await client.execute(code, { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 });
    if (r.status !== "ok") {
      const text = r.outputs.map((o) => (o.output_type === "stream" ? o.text : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : "")).join("");
      return `grader preload failed (${r.status}${r.reason ? `: ${r.reason}` : ""}): ${text.trim().slice(0, 500)}`;
    }
  }
  return undefined;
}

class GraderError extends Error {}

/**
 * The grader's policy over the one executor: the preload before the first cell and after every
 * restart, a display flood interrupted, displays bounded, and after a cell that lost the kernel's
 * state a restart and a replay of the cells that had succeeded. Empty cells are not listed.
 */
export async function executeForGrading(nb: Notebook, client: KernelClient, opts: GradingRunOptions): Promise<NotebookRun> {
  let restarts = 0;
  const t0 = Date.now();
  const preloadError = await runPreload(client, opts);
  if (preloadError) return { runs: [], restarts, graderError: preloadError };
  const succeeded: number[] = [];
  const runs: CellRun[] = [];
  let displayBytes = 0;
  let interrupted = false;

  const replaySucceeded = async (): Promise<void> => {
    // Replays spend the notebook's time too: a notebook that keeps killing its kernel must not
    // run for a multiple of the notebook limit.
    for (const k of succeeded) {
      const remaining = opts.notebookTimeoutMs - (Date.now() - t0);
      if (remaining <= 0) break;
      const cell = nb.cells[k]!;
      const replay = await client.execute(sourceOf(cell), {
        timeoutMs: Math.min(timeoutFor(cell, k, opts), remaining),
        maxOutputBytes: opts.maxOutputBytes,
      });
      if (replay.status !== "ok" && !client.alive) await client.restart();
    }
  };
  const afterCell = async (cellRun: CellRun, r: ExecuteResult | undefined): Promise<void> => {
    const run = bounded(cellRun, r);
    runs.push(run);
    opts.onCell?.(run);
    if (r?.status === "ok") succeeded.push(run.index);
    if (!r?.stateLost) return;
    restarts++;
    try {
      if (!client.alive) await client.restart();
      const err = await runPreload(client, opts);
      if (err) throw new GraderError(err);
      // Replay what had worked, skipping the offender, so later cells see earlier definitions.
      await replaySucceeded();
    } catch (e) {
      if (e instanceof GraderError) throw e;
      throw new GraderError(`kernel restart failed after cell ${run.index}: ${(e as Error).message}`);
    }
  };
  try {
    await executeNotebook(nb, client, {
      cellTimeoutMs: (cell, index) => timeoutFor(cell, index, opts),
      stopOnError: false,
      maxOutputBytes: opts.maxOutputBytes,
      notebookTimeoutMs: opts.notebookTimeoutMs - (Date.now() - t0),
      onCellStart: () => {
        displayBytes = 0;
        interrupted = false;
      },
      // A display flood (e.g. images in a loop) is interrupted once far over the cap.
      onOutput: (o, interrupt) => {
        displayBytes += sizeOf(o);
        if (!interrupted && displayBytes > 4 * MAX_DISPLAY_BYTES) {
          interrupted = true;
          interrupt();
        }
      },
      onCellDone: afterCell,
    });
  } catch (e) {
    if (e instanceof GraderError) return { runs, restarts, graderError: e.message };
    throw e;
  }
  return { runs, restarts };
}

/** What is kept of a cell's run: displays bounded, and a reason a reader of the feedback understands. */
function bounded(cellRun: CellRun, r: ExecuteResult | undefined): CellRun {
  const { outputs, dropped } = boundOutputs(cellRun.outputs);
  const run: CellRun = { ...cellRun, outputs };
  if (dropped > 0) run.truncated = true;
  if (r?.status === "died") run.reason = deathReason(r);
  if (r?.status === "abort") run.reason = "not executed (the kernel aborted the request)";
  return run;
}
