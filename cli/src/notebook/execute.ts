/**
 * Executes a notebook cell by cell through a KernelClient and fills in outputs and execution
 * counts. The outcome of each cell comes from the client's ExecuteResult status (which the client
 * takes from execute_reply or from what it observed), never from scanning stderr; stderr is only
 * read to *describe* a failure, because tslab sends no ename/evalue (docs/tslab.md,
 * "Where tslab breaks the protocol").
 */
import type { ExecuteResult, KernelClient, Output } from "../kernel/client";
import type { CodeCell, Notebook } from "./types";
import { sourceText } from "./types";
import { WidgetStateRecorder } from "./widget-state";

export type CellStatus = "ok" | "error" | "timeout" | "died" | "abort" | "not-run" | "empty";

export interface CellRecord {
  /** 1-based position among all cells (what a reader counts in the notebook). */
  cell: number;
  status: CellStatus;
  seconds: number;
  firstLine: string;
  ename?: string;
  evalue?: string;
  reason?: string;
  /** The limit the cell ran under, in seconds. */
  timeoutS?: number;
}

export interface ExecuteProgress {
  cell: number;
  totalCells: number;
  status: CellStatus;
  seconds: number;
}

export interface ExecuteNotebookOptions {
  /** Default per-cell limit in seconds; a cell's metadata `nnlab.timeout` overrides it. */
  timeoutS?: number;
  /** Keep going after a failing cell (default: stop, leaving the rest not run). */
  allowErrors?: boolean;
  /** Stream bytes kept per cell (a print flood must not blow up the .ipynb). */
  maxOutputBytes?: number;
  onProgress?: (p: ExecuteProgress) => void;
  /** Called when a cell is sent to the kernel (1-based cell position, total cells). */
  onCellStart?: (cell: number, totalCells: number) => void;
}

export interface ExecuteNotebookResult {
  cells: CellRecord[];
  /** Code cells that were executed (empty cells excluded). */
  ran: number;
  failures: number;
  seconds: number;
  /** The first failing cell, if any. */
  firstFailure?: CellRecord;
}

export const DEFAULT_CELL_TIMEOUT_S = 120;
const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/**
 * Plain tslab answers `abort` to requests arriving within 200 ms of an error (docs/tslab.md,
 * "Where tslab breaks the protocol").
 * The nnlab kernel aborts only requests queued behind an error with stop_on_error, which the
 * clients never set, so only a foreign kernel needs this pause before the one retry.
 */
const ABORT_WINDOW_MS = 300;

/** Error text for a one-line message: lines joined with "; ", at most `max` characters. */
export function oneLine(text: string, max = 400): string {
  const t = text.split("\n").map((l) => l.trim()).filter((l) => l !== "").join("; ");
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}

/** The first non-blank source line, trimmed to a readable length, for messages. */
export function firstSourceLine(source: string): string {
  const line = source.split("\n").find((l) => l.trim() !== "") ?? "";
  const t = line.trim();
  return t.length > 70 ? `${t.slice(0, 67)}...` : t;
}

function cellTimeoutS(cell: CodeCell, fallback: number): number {
  const meta = cell.metadata.nnlab;
  if (typeof meta === "object" && meta !== null) {
    const t = (meta as Record<string, unknown>).timeout;
    if (typeof t === "number" && t > 0) return t;
  }
  return fallback;
}

const ERROR_LINE = /^([A-Za-z_$][\w$]*(?:Error|Exception|Rejection))(?::\s*(.*))?$/;
const TS_DIAGNOSTIC = /^\d+:\d+ - /;

/**
 * Names a failure for messages. tslab reports runtime errors as "TypeError: msg" on stderr and
 * compile errors as "1:7 - Type 'number' is not …"; anything else is reported as its first line.
 */
export function describeFailure(result: ExecuteResult): { ename: string; evalue: string } {
  // A timeout or a death is the story even when the kernel also reported the SIGINT it received.
  if (result.status === "timeout") return { ename: "CellTimeoutError", evalue: result.reason ?? "cell timed out" };
  if (result.status === "died") return { ename: "DeadKernelError", evalue: result.reason ?? "kernel died" };
  if (result.ename) return { ename: result.ename, evalue: result.evalue ?? "" };
  if (result.status === "abort") return { ename: "AbortedError", evalue: result.reason ?? "kernel aborted the request" };
  const stderr = result.outputs
    .filter((o): o is Extract<Output, { output_type: "stream" }> => o.output_type === "stream" && o.name === "stderr")
    .map((o) => o.text)
    .join("");
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const diagnostics = lines.filter((l) => TS_DIAGNOSTIC.test(l));
  if (diagnostics.length > 0) return { ename: "TypeScriptError", evalue: diagnostics.join("; ") };
  for (const l of lines) {
    const m = ERROR_LINE.exec(l);
    if (m) return { ename: m[1]!, evalue: m[2] ?? "" };
  }
  if (lines.length > 0) return { ename: "Error", evalue: lines[0]! };
  return { ename: "Error", evalue: result.reason ?? `cell failed (${result.status})` };
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

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs every code cell of `nb` (mutating it: outputs and execution counts are replaced) in the
 * already started `client`. Never throws for a failing cell; the result lists each cell's outcome.
 */
export async function executeNotebook(
  nb: Notebook,
  client: KernelClient,
  options: ExecuteNotebookOptions = {},
): Promise<ExecuteNotebookResult> {
  const defaultTimeout = options.timeoutS ?? DEFAULT_CELL_TIMEOUT_S;
  const started = Date.now();
  const records: CellRecord[] = [];
  let stopped = false;
  let counter = 0;
  const total = nb.cells.length;
  const widgets = new WidgetStateRecorder();

  for (let i = 0; i < nb.cells.length; i++) {
    const cell = nb.cells[i]!;
    if (cell.cell_type !== "code") continue;
    const source = sourceText(cell.source);
    const record: CellRecord = { cell: i + 1, status: "not-run", seconds: 0, firstLine: firstSourceLine(source) };
    records.push(record);
    cell.outputs = [];
    cell.execution_count = null;
    if (stopped) continue;
    if (source.trim() === "") {
      record.status = "empty";
      continue;
    }
    if (!client.alive) await client.restart();
    options.onCellStart?.(i + 1, total);
    const t0 = Date.now();
    record.timeoutS = cellTimeoutS(cell, defaultTimeout);
    const request = {
      timeoutMs: record.timeoutS * 1000,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      onComm: widgets.add.bind(widgets),
    };
    let result = await client.execute(source, request);
    if (result.status === "abort") {
      // A foreign kernel's abort window after an error: one retry once it has closed.
      await wait(ABORT_WINDOW_MS);
      result = await client.execute(source, request);
    }
    record.seconds = (Date.now() - t0) / 1000;
    record.status = result.status;
    counter = result.executionCount ?? counter + 1;
    cell.execution_count = counter;
    cell.outputs = savedOutputs(result.outputs, counter);
    if (result.status !== "ok") {
      const { ename, evalue } = describeFailure(result);
      record.ename = ename;
      record.evalue = evalue;
      if (result.reason) record.reason = result.reason;
      const hasStderr = cell.outputs.some((o) => o.output_type === "stream" && o.name === "stderr");
      const hasError = cell.outputs.some((o) => o.output_type === "error");
      // A timeout or a dead kernel leaves at most the kernel's "interrupted" error, so the saved
      // notebook gets an error output saying what happened (as nbclient does); a plain error is
      // already there as an error output or as stderr text (plain tslab).
      if (result.status !== "error" || (!hasError && !hasStderr)) {
        cell.outputs.push({ output_type: "error", ename, evalue, traceback: result.traceback ?? [`${ename}: ${evalue}`] });
      }
      if (!options.allowErrors) stopped = true;
    }
    options.onProgress?.({ cell: i + 1, totalCells: total, status: record.status, seconds: record.seconds });
  }

  widgets.saveInto(nb);
  const failed = records.filter((r) => r.status === "error" || r.status === "timeout" || r.status === "died" || r.status === "abort");
  return {
    cells: records,
    ran: records.filter((r) => r.status !== "not-run" && r.status !== "empty").length,
    failures: failed.length,
    seconds: (Date.now() - started) / 1000,
    ...(failed[0] ? { firstFailure: failed[0] } : {}),
  };
}
