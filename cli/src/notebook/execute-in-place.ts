/**
 * `nnlab run`'s policy over the one executor: per-cell limits from the cell's metadata
 * `nnlab.timeout` (seconds, as Jupyter users write it), stop at the first failure unless asked
 * not to, and the outputs and execution counts written back into the notebook.
 */
import type { KernelClient, Output } from "../kernel/client";
import type { CellRun, CellStatus } from "./execute";
import { executeNotebook, firstSourceLine } from "./execute";
import { WidgetStateRecorder } from "./widget-state";
import type { CodeCell, Notebook } from "./types";
import { sourceText } from "./types";

/** One code cell's outcome, as `nnlab run` reports it (and the HTML page shows it). */
export interface CellRecord extends Omit<CellRun, "index" | "outputs" | "executionCount" | "traceback"> {
  /** 1-based position among all cells (what a reader counts in the notebook). */
  cell: number;
  firstLine: string;
}

export interface ExecuteProgress {
  cell: number;
  totalCells: number;
  status: CellStatus;
  durationMs: number;
}

export interface ExecuteInPlaceOptions {
  /** Default per-cell limit; a cell's metadata `nnlab.timeout` (seconds) overrides it. */
  timeoutMs?: number;
  /** Keep going after a failing cell (default: stop, leaving the rest not run). */
  allowErrors?: boolean;
  maxOutputBytes?: number;
  onProgress?: (p: ExecuteProgress) => void;
  /** Called when a cell is sent to the kernel (1-based cell position, total cells). */
  onCellStart?: (cell: number, totalCells: number) => void;
}

export interface ExecuteInPlaceResult {
  cells: CellRecord[];
  /** Code cells that were executed (empty cells excluded). */
  ran: number;
  failures: number;
  durationMs: number;
  /** The first failing cell, if any. */
  firstFailure?: CellRecord;
}

export const DEFAULT_CELL_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

function metadataTimeoutMs(cell: CodeCell): number | undefined {
  const meta = cell.metadata.nnlab;
  const t = typeof meta === "object" && meta !== null ? (meta as Record<string, unknown>).timeout : undefined;
  return typeof t === "number" && t > 0 ? t * 1000 : undefined;
}

function isFailure(status: CellStatus): boolean {
  return status === "error" || status === "timeout" || status === "died" || status === "abort";
}

function savedOutputs(outputs: Output[], count: number | null): Output[] {
  return outputs.map((o) => {
    if (o.output_type === "display_data") {
      const { transient: _t, ...rest } = o;
      return rest;
    }
    if (o.output_type === "execute_result") return { ...o, execution_count: count };
    return o;
  });
}

/**
 * Writes a run into its cell. A timeout or a dead kernel leaves at most the kernel's
 * "interrupted" error, so the cell gets an error output saying what happened (as nbclient
 * does); a plain error is already there as the kernel's error output (or its stderr text).
 */
function fillCell(cell: CodeCell, run: CellRun, count: number): void {
  cell.execution_count = count;
  cell.outputs = savedOutputs(run.outputs, count);
  if (!isFailure(run.status)) return;
  const shown = cell.outputs.some((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"));
  if (run.status !== "error" || !shown) {
    const ename = run.ename ?? "Error";
    const evalue = run.evalue ?? "";
    cell.outputs.push({ output_type: "error", ename, evalue, traceback: run.traceback ?? [`${ename}: ${evalue}`] });
  }
}

function record(nb: Notebook, run: CellRun): CellRecord {
  const { index, outputs: _o, executionCount: _c, traceback: _t, ...rest } = run;
  return { cell: index + 1, firstLine: firstSourceLine(sourceText(nb.cells[index]!.source)), ...rest };
}

/**
 * Runs every code cell of `nb` in the already started `client`, replacing its outputs and
 * execution counts. Never throws for a failing cell; the result lists each cell's outcome.
 */
export async function executeInPlace(nb: Notebook, client: KernelClient, options: ExecuteInPlaceOptions = {}): Promise<ExecuteInPlaceResult> {
  const started = Date.now();
  const total = nb.cells.length;
  let counter = 0;
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  // Widget models the cells create, saved as the notebook's widget state (pages draw them from it).
  const widgets = new WidgetStateRecorder();
  const runs = await executeNotebook(nb, client, {
    onComm: widgets.add.bind(widgets),
    cellTimeoutMs: (cell) => metadataTimeoutMs(cell) ?? options.timeoutMs ?? DEFAULT_CELL_TIMEOUT_MS,
    stopOnError: !options.allowErrors,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    onCellStart: (index) => options.onCellStart?.(index + 1, total),
    onCellDone: (run) => {
      counter = run.executionCount ?? counter + 1;
      fillCell(nb.cells[run.index] as CodeCell, run, counter);
      options.onProgress?.({ cell: run.index + 1, totalCells: total, status: run.status, durationMs: run.durationMs });
    },
  });
  widgets.saveInto(nb);
  const cells = runs.map((run) => record(nb, run));
  const failed = cells.filter((r) => isFailure(r.status));
  return {
    cells,
    ran: cells.filter((r) => r.status !== "not-run" && r.status !== "empty").length,
    failures: failed.length,
    durationMs: Date.now() - started,
    ...(failed[0] ? { firstFailure: failed[0] } : {}),
  };
}
