import { describe, expect, it } from "vitest";
import type { ExecuteOptions, ExecuteResult, KernelClient } from "../../cli/src/kernel/client";
import type { Notebook } from "../../cli/src/lessons/format/notebook";
import { executeForGrading as executeNotebook, type GradingRunOptions as ExecuteNotebookOptions } from "../../cli/src/lessons/execute";

/**
 * A kernel that understands a toy language, one statement per cell: "def X" defines X,
 * "use X" fails unless X is defined, "hang" times out and loses state like a killed tslab
 * kernel, "spin" times out but SIGINT saves the state, "exit" dies, "abort" is refused.
 */
class FakeKernel implements KernelClient {
  defined = new Set<string>();
  log: string[] = [];
  timeouts: (number | undefined)[] = [];
  restarts = 0;
  alive = true;
  async start() {
    this.alive = true;
  }
  async execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    this.log.push(code);
    this.timeouts.push(opts.timeoutMs);
    const base = { executionCount: null, outputs: [], durationMs: 1, stateLost: false };
    const [op, name] = code.split(" ");
    switch (op) {
      case "def":
        this.defined.add(name);
        return { ...base, status: "ok" };
      case "use":
        return this.defined.has(name)
          ? { ...base, status: "ok" }
          : { ...base, status: "error", outputs: [{ output_type: "stream", name: "stderr", text: `${name} is not defined` }] };
      case "hang":
        this.defined.clear();
        this.restarts++;
        return {
          ...base,
          status: "timeout",
          durationMs: opts.timeoutMs ?? 0,
          stateLost: true,
          reason: `timeout after ${(opts.timeoutMs ?? 0) / 1000} s (kernel killed and restarted; its state is lost)`,
        };
      case "spin":
        return { ...base, status: "timeout", reason: "timeout after 1 s (interrupted; kernel state kept)" };
      case "exit":
        this.alive = false;
        this.defined.clear();
        return { ...base, status: "died", stateLost: true, reason: "kernel died (exit code 3)" };
      case "oom":
        this.alive = false;
        this.defined.clear();
        return { ...base, status: "died", stateLost: true, reason: "kernel died (signal SIGABRT)" };
      case "abort":
        return { ...base, status: "abort", reason: "the kernel aborted the request" };
      case "slow":
        await new Promise((r) => setTimeout(r, 30));
        return { ...base, status: "ok" };
      default:
        return { ...base, status: "ok" };
    }
  }
  async interrupt() {}
  async restart() {
    this.restarts++;
    this.defined.clear();
    this.alive = true;
  }
  async shutdown() {}
}

const nb = (...cells: string[]): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: cells.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
});
const opts = (o: Partial<ExecuteNotebookOptions> = {}): ExecuteNotebookOptions => ({
  cellTimeoutMs: 1000,
  notebookTimeoutMs: 60_000,
  maxOutputBytes: 1000,
  preload: ["preload"],
  trustedCell: () => true,
  ...o,
});

describe("execute stage", () => {
  it("after a kill, restarts and replays the cells that had succeeded (not the offender) so later cells see them", async () => {
    const k = new FakeKernel();
    const run = await executeNotebook(nb("def A", "use B", "hang", "use A"), k, opts());
    expect(run.runs.map((r) => r.status)).toEqual(["ok", "error", "timeout", "ok"]);
    expect(run.restarts).toBe(1);
    expect(k.log).toEqual(["preload", "def A", "use B", "hang", "preload", "def A", "use A"]);
  });

  it("does not replay when SIGINT saved the kernel", async () => {
    const k = new FakeKernel();
    const run = await executeNotebook(nb("def A", "spin", "use A"), k, opts());
    expect(run.runs.map((r) => r.status)).toEqual(["ok", "timeout", "ok"]);
    expect(run.restarts).toBe(0);
  });

  it("restarts a dead kernel, names heap exhaustion as the memory limit", async () => {
    const k = new FakeKernel();
    const run = await executeNotebook(nb("def A", "oom", "use A", "exit", "use A"), k, opts());
    expect(run.runs.map((r) => r.status)).toEqual(["ok", "died", "ok", "died", "ok"]);
    expect(run.runs[1].reason).toBe("memory limit: kernel died (signal SIGABRT)");
    expect(run.runs[3].reason).toBe("kernel died (exit code 3)");
    expect(run.restarts).toBe(2);
  });

  it("marks cells after the notebook time limit as not run", async () => {
    const run = await executeNotebook(nb("slow", "slow", "def A"), new FakeKernel(), opts({ notebookTimeoutMs: 20 }));
    expect(run.runs.map((r) => r.status)).toEqual(["ok", "not-run", "not-run"]);
    expect(run.runs[2].reason).toMatch(/notebook time limit/);
  });

  it("gives replays after a restart only what is left of the notebook's time", async () => {
    const k = new FakeKernel();
    const run = await executeNotebook(nb("def A", "slow", "hang", "use A"), k, opts({ cellTimeoutMs: 10_000, notebookTimeoutMs: 5_000 }));
    expect(run.restarts).toBe(1);
    // The log: preload, def A, slow, hang, preload, then the replays of def A and slow.
    const replays = k.timeouts.slice(5, 7);
    expect(k.log.slice(5, 7)).toEqual(["def A", "slow"]);
    for (const t of replays) expect(t).toBeLessThanOrEqual(5_000);
  });

  it("reports an aborted request as not executed, and honours only trusted timeout overrides", async () => {
    const k = new FakeKernel();
    const book = nb("abort", "hang", "hang");
    book.cells[1].metadata.nnlab = { timeout: 7 };
    book.cells[2].metadata.nnlab = { timeout: 99 };
    const run = await executeNotebook(book, k, opts({ trustedCell: (_c, i) => i === 1 }));
    expect(run.runs[0]).toMatchObject({ status: "abort", reason: "not executed (the kernel aborted the request)" });
    expect(run.runs[1].durationMs).toBe(7000);
    expect(run.runs[2].durationMs).toBe(1000);
  });

  it("stops with a grader error when the preload fails", async () => {
    const run = await executeNotebook(nb("def A"), new FakeKernel(), opts({ preload: ["use nnlab"] }));
    expect(run.graderError).toMatch(/grader preload failed \(error\): nnlab is not defined/);
    expect(run.runs).toEqual([]);
  });
});

describe("output bounds", () => {
  it("drops displays past the display cap and oversized test records, saying so", async () => {
    const { boundOutputs, MAX_DISPLAY_BYTES, MAX_RECORD_BYTES } = await import("../../cli/src/lessons/execute");
    const img = (n: number) => ({ output_type: "display_data" as const, data: { "image/png": "A".repeat(n) }, metadata: {} });
    const record = (n: number) => ({
      output_type: "display_data" as const,
      data: { "application/vnd.nnlab.test+json": { id: "x", pad: "B".repeat(n) } },
      metadata: {},
    });
    const { outputs, dropped } = boundOutputs([img(MAX_DISPLAY_BYTES / 2), img(MAX_DISPLAY_BYTES / 2), record(10), record(MAX_RECORD_BYTES)]);
    expect(dropped).toBe(2);
    expect(outputs).toHaveLength(3);
    expect(outputs[1].output_type === "display_data" && "application/vnd.nnlab.test+json" in outputs[1].data).toBe(true);
    expect(outputs[2]).toMatchObject({ output_type: "stream", name: "stderr" });
  });
});
