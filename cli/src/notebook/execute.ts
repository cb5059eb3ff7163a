/**
 * The one notebook executor: runs the code cells of a notebook in order through a KernelClient,
 * one request at a time, and returns each cell's outcome. What differs between `nnlab run` and
 * the grader (time limits, stopping on an error, output caps, restarts and replays) is policy,
 * passed in as hooks; see notebook/execute-in-place.ts (`nnlab run`) and lessons/execute.ts.
 *
 * A cell's outcome is the client's ExecuteResult status (execute_reply, timeout, death), and the
 * error's name is the kernel's `ename`: nothing here reads stderr text.
 */
import type { ExecuteOptions, ExecuteResult, ExecuteStatus, KernelClient, Output } from "../kernel/client";
import type { CodeCell, Notebook } from "./types";
import { sourceText } from "./types";

export type CellStatus = ExecuteStatus | "not-run" | "empty";

export interface CellRun {
  /** Position in `nb.cells` (0-based). */
  index: number;
  status: CellStatus;
  outputs: Output[];
  executionCount: number | null;
  durationMs: number;
  /** The limit the cell ran under. */
  timeoutMs?: number;
  /** For a failure: the kernel's error name and message, or what the client observed. */
  ename?: string;
  evalue?: string;
  traceback?: string[];
  reason?: string;
  truncated?: boolean;
}

export interface ExecutionHooks {
  /** Time limit of this cell in ms (before the notebook's own limit is applied). */
  cellTimeoutMs(cell: CodeCell, index: number): number;
  /** After a failing cell, record the remaining code cells as not run. */
  stopOnError: boolean;
  /** Stream bytes kept per cell (a print flood must not blow up the .ipynb). */
  maxOutputBytes: number;
  /** Whole-notebook limit in ms: no cell runs past it, later cells are recorded as not run. */
  notebookTimeoutMs?: number;
  /** Called when a cell is sent to the kernel. */
  onCellStart?(index: number): void;
  /** Every output of the running cell as it arrives; `interrupt` stops the cell (e.g. a flood). */
  onOutput?(output: Output, interrupt: () => void): void;
  /** Every comm message the kernel sends while a cell runs (widget models: see widget-state.ts). */
  onComm?: ExecuteOptions["onComm"];
  /**
   * Called with the outcome of each cell that ran or met the notebook limit (`result` is then
   * undefined), before the next cell starts; awaited, so it may restart the kernel and replay
   * earlier cells. An error thrown here ends the run and is passed on.
   */
  onCellDone?(run: CellRun, result: ExecuteResult | undefined): void | Promise<void>;
}

/** Error text for a one-line message: lines joined with "; ", at most `max` characters. */
export function oneLine(text: string, max = 400): string {
  const t = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join("; ");
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}

/** The first non-blank source line, trimmed to a readable length, for messages. */
export function firstSourceLine(source: string): string {
  const line = source.split("\n").find((l) => l.trim() !== "") ?? "";
  const t = line.trim();
  return t.length > 70 ? `${t.slice(0, 67)}...` : t;
}

/**
 * Names a failure for messages: the client's own observation (timeout, death) first, because a
 * killed cell may also carry the kernel's report of the SIGINT it received; else the kernel's ename.
 */
export function describeFailure(result: ExecuteResult): { ename: string; evalue: string } {
  if (result.status === "timeout") return { ename: "CellTimeoutError", evalue: result.reason ?? "cell timed out" };
  if (result.status === "died") return { ename: "DeadKernelError", evalue: result.reason ?? "kernel died" };
  if (result.ename) return { ename: result.ename, evalue: result.evalue ?? "" };
  if (result.status === "abort") return { ename: "AbortedError", evalue: result.reason ?? "kernel aborted the request" };
  return { ename: "Error", evalue: result.reason ?? `cell failed (${result.status}) without an error message` };
}

function cellRun(index: number, r: ExecuteResult, timeoutMs: number): CellRun {
  const run: CellRun = { index, status: r.status, outputs: r.outputs, executionCount: r.executionCount, durationMs: r.durationMs, timeoutMs };
  if (r.status !== "ok") {
    Object.assign(run, describeFailure(r));
    if (r.traceback) run.traceback = r.traceback;
  }
  if (r.reason) run.reason = r.reason;
  if (r.truncated) run.truncated = true;
  return run;
}

/**
 * Runs every code cell of `nb` (which is not modified) in the already started `client`. Never
 * throws for a failing cell: the runs list each code cell's outcome, in notebook order.
 */
export async function executeNotebook(nb: Notebook, client: KernelClient, hooks: ExecutionHooks): Promise<CellRun[]> {
  const runs: CellRun[] = [];
  const t0 = Date.now();
  let stopped = false;
  const skip = (index: number, status: "not-run" | "empty", reason?: string): void => {
    runs.push({ index, status, outputs: [], executionCount: null, durationMs: 0, ...(reason ? { reason } : {}) });
  };
  for (const [index, cell] of nb.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    const source = sourceText(cell.source);
    if (stopped) skip(index, "not-run");
    else if (source.trim() === "") skip(index, "empty");
    else {
      const left = (hooks.notebookTimeoutMs ?? Infinity) - (Date.now() - t0);
      if (left <= 0) {
        skip(index, "not-run", "notebook time limit reached before this cell");
        await hooks.onCellDone?.(runs.at(-1)!, undefined);
        continue;
      }
      if (!client.alive) await client.restart();
      hooks.onCellStart?.(index);
      const timeoutMs = Math.min(hooks.cellTimeoutMs(cell, index), left);
      const onOutput = hooks.onOutput;
      const interrupt = (): void => void client.interrupt();
      const result = await client.execute(source, {
        timeoutMs,
        maxOutputBytes: hooks.maxOutputBytes,
        ...(onOutput ? { onOutput: (o: Output) => onOutput(o, interrupt) } : {}),
        ...(hooks.onComm ? { onComm: hooks.onComm } : {}),
      });
      const run = cellRun(index, result, timeoutMs);
      runs.push(run);
      await hooks.onCellDone?.(run, result);
      if (result.status !== "ok" && hooks.stopOnError) stopped = true;
    }
  }
  return runs;
}
