/** Building an ExecuteResult from the reply and the collected outputs (both back ends). */
import type { ExecuteResult, ExecuteStatus } from "./client";
import type { OutputCollector } from "./collect";

/** The outcome is the reply's status; anything but ok/error (IPython's `aborted`) is "abort". */
export function replyStatus(reply: Record<string, unknown> | null): ExecuteStatus {
  const s = reply?.status;
  return s === "ok" ? "ok" : s === "error" ? "error" : "abort";
}

/**
 * ename/evalue/traceback come from the reply when the kernel sends them (ours does), else from
 * the first iopub error output (kernels that only publish the error).
 */
export function buildResult(
  status: ExecuteStatus,
  out: OutputCollector,
  reply: Record<string, unknown> | null,
  durationMs: number,
  outcome: { stateLost: boolean; reason?: string } = { stateLost: false },
): ExecuteResult {
  const r: ExecuteResult = {
    status,
    executionCount: out.executionCount,
    outputs: out.outputs,
    durationMs: Math.round(durationMs),
    stateLost: outcome.stateLost,
  };
  const err = out.firstError;
  const ename = typeof reply?.ename === "string" ? reply.ename : err?.ename;
  if (ename !== undefined && status !== "ok") {
    r.ename = ename;
    r.evalue = typeof reply?.evalue === "string" ? reply.evalue : (err?.evalue ?? "");
    r.traceback = Array.isArray(reply?.traceback) ? (reply.traceback as unknown[]).map(String) : (err?.traceback ?? []);
  }
  if (outcome.reason) r.reason = outcome.reason;
  if (out.truncated) r.truncated = true;
  return r;
}
