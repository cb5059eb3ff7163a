/** A scripted KernelClient for unit tests of the runner: each source maps to a canned result. */
import type { ExecuteOptions, ExecuteResult, KernelClient } from "../../cli/src/kernel/client";

export type Script = (code: string, call: number) => Partial<ExecuteResult>;

export class FakeKernelClient implements KernelClient {
  alive = false;
  readonly executed: { code: string; options?: ExecuteOptions }[] = [];
  started = 0;
  shutdowns = 0;
  restarts = 0;
  private count = 0;
  constructor(private readonly script: Script) {}
  async start(): Promise<void> {
    this.started++;
    this.alive = true;
  }
  async execute(code: string, options?: ExecuteOptions): Promise<ExecuteResult> {
    this.executed.push({ code, ...(options ? { options } : {}) });
    const r = this.script(code, this.executed.length);
    const status = r.status ?? "ok";
    if (status === "died") this.alive = false;
    const stateLost = status === "died";
    return { status, executionCount: status === "abort" ? null : ++this.count, outputs: [], durationMs: 1, stateLost, ...r };
  }
  async interrupt(): Promise<void> {}
  async restart(): Promise<void> {
    this.restarts++;
    this.alive = true;
  }
  async shutdown(): Promise<void> {
    this.shutdowns++;
    this.alive = false;
  }
}
