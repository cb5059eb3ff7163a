/**
 * KernelClient: the one interface `nnlab run`, `check` and `grade` use to execute code in a
 * kernel. Two back ends implement it: `direct` (spawns the kernel from its kernelspec and speaks
 * the Jupyter wire protocol over ZeroMQ) and `server` (@jupyterlab/services against a Jupyter
 * Server, JupyterHub single-user server or Kernel Gateway).
 *
 * The outcome of a request is taken from `execute_reply.status` plus what the client observed
 * (timeout, kernel death), never from stderr text.
 */
import type { IDisplayData, IError, IExecuteResult, IStream } from "@jupyterlab/nbformat";

/**
 * One nbformat 4 output as the clients collect it: nbformat's own output types, with stream text
 * joined into one string and a display's transient display_id kept until the notebook is written.
 */
export type Output = StreamOutput | DisplayOutput | IExecuteResult | IError;

export interface StreamOutput extends IStream {
  text: string;
}

export interface DisplayOutput extends IDisplayData {
  transient?: { display_id?: string } | undefined;
}

export type ExecuteStatus =
  | "ok" // execute_reply status ok
  | "error" // execute_reply status error (runtime throw, type error, interrupted)
  | "abort" // the kernel answered `aborted` (a request queued behind an error with stop_on_error)
  | "timeout" // ran past its time limit; interrupted (and, if that failed, the kernel was killed)
  | "died"; // the kernel process exited or was killed while the request ran

export interface ExecuteResult {
  status: ExecuteStatus;
  executionCount: number | null;
  /** Outputs in arrival order, with update_display_data already applied to the display they name. */
  outputs: Output[];
  ename?: string;
  evalue?: string;
  traceback?: string[];
  durationMs: number;
  /**
   * True when the kernel's state (definitions, imports) is gone: the kernel died, or it was
   * killed and restarted after a timeout. False when an interrupt stopped the cell in time.
   */
  stateLost: boolean;
  /** Human-readable reason for a non-ok status, e.g. "timeout after 30 s (kernel killed)", "kernel died (exit 3)". */
  reason?: string;
  /** True when stream output was cut at the byte cap. */
  truncated?: boolean;
}

export interface ExecuteOptions {
  /** Per-request limit; on expiry the client interrupts, then kills and restarts the kernel. */
  timeoutMs?: number;
  /** Called when the kernel starts running the request (iopub execute_input), with its count. */
  onStart?: (executionCount: number | null) => void;
  /** Called for every output as it arrives (live progress). */
  onOutput?: (output: Output) => void;
  /** Called when update_display_data changed an output already collected (this cell's or an earlier one's). */
  onDisplayUpdate?: (output: Output) => void;
  /** Cap on stream bytes kept for this request (extra bytes are dropped while collecting). */
  maxOutputBytes?: number;
  /** Called for each comm message the kernel sends while the request runs (widget models). */
  onComm?: (msgType: "comm_open" | "comm_msg" | "comm_close", content: Record<string, unknown>) => void;
}

export interface KernelClient {
  /** Start (or connect to) the kernel; resolves once kernel_info has been answered. */
  start(): Promise<void>;
  /** Run one cell's source. Never rejects for a cell failure: the status says what happened. */
  execute(code: string, options?: ExecuteOptions): Promise<ExecuteResult>;
  interrupt(): Promise<void>;
  /** Kill the kernel if needed and start a fresh one (all state lost). */
  restart(): Promise<void>;
  shutdown(): Promise<void>;
  readonly alive: boolean;
}
