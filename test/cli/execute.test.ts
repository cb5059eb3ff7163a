import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runNotebooks } from "../../cli/src/commands/run";
import { describeFailure, executeInPlace as executeNotebook, parseNotebook, readNotebook } from "../../cli/src/notebook";
import { FakeKernelClient } from "./fake-kernel";

const fixtures = join(__dirname, "..", "fixtures", "notebooks");
const tmp = join(__dirname, "..", ".tmp", "cli-execute");
mkdirSync(tmp, { recursive: true });

function notebookOf(sources: string[], meta: Record<string, unknown>[] = []): ReturnType<typeof parseNotebook> {
  return parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: "markdown", id: "m", metadata: {}, source: "# t" },
        ...sources.map((s, i) => ({ cell_type: "code", id: `c${i}`, metadata: meta[i] ?? {}, source: s, outputs: [], execution_count: null })),
      ],
    }),
    "fake.ipynb",
  );
}

describe("executeNotebook with a scripted kernel", () => {
  it("fills outputs and counts, stops at the first failure and leaves the rest not run", async () => {
    const nb = notebookOf(["ok1", "boom", "", "later"]);
    const client = new FakeKernelClient((code) =>
      code === "boom"
        ? {
            status: "error",
            ename: "RangeError",
            evalue: "too far",
            outputs: [{ output_type: "stream", name: "stderr", text: "RangeError: too far\n    at <cell>:1\n" }],
          }
        : { outputs: [{ output_type: "stream", name: "stdout", text: `${code}\n` }] },
    );
    await client.start();
    const r = await executeNotebook(nb, client);
    expect(client.executed.map((e) => e.code)).toEqual(["ok1", "boom"]);
    expect(r.cells.map((c) => [c.cell, c.status])).toEqual([
      [2, "ok"],
      [3, "error"],
      [4, "not-run"],
      [5, "not-run"],
    ]);
    expect(r.failures).toBe(1);
    expect(r.firstFailure).toMatchObject({ cell: 3, ename: "RangeError", evalue: "too far", firstLine: "boom" });
    const cells = nb.cells.filter((c) => c.cell_type === "code");
    expect(cells[0]).toMatchObject({ execution_count: 1, outputs: [{ output_type: "stream", text: "ok1\n" }] });
    // The stderr already tells the story: no synthetic error output is added.
    expect(cells[1]).toMatchObject({ execution_count: 2, outputs: [{ output_type: "stream", name: "stderr" }] });
    expect(cells[3]).toMatchObject({ execution_count: null, outputs: [] });
  });

  it("with allowErrors runs every cell; a timeout gets an error output; metadata nnlab.timeout overrides", async () => {
    const nb = notebookOf(["slow", "fine"], [{ nnlab: { timeout: 7 } }]);
    const client = new FakeKernelClient((code) => (code === "slow" ? { status: "timeout", reason: "timeout after 7 s (interrupted)" } : {}));
    await client.start();
    const r = await executeNotebook(nb, client, { allowErrors: true, timeoutMs: 30_000 });
    expect(client.executed.map((e) => e.options?.timeoutMs)).toEqual([7000, 30000]);
    expect(r.cells.map((c) => c.status)).toEqual(["timeout", "ok"]);
    const slow = nb.cells[1]!;
    expect(slow.cell_type === "code" && slow.outputs).toEqual([
      {
        output_type: "error",
        ename: "CellTimeoutError",
        evalue: "timeout after 7 s (interrupted)",
        traceback: ["CellTimeoutError: timeout after 7 s (interrupted)"],
      },
    ]);
  });

  it("reports an aborted request as a failure without re-sending it, and restarts a dead kernel before the next cell", async () => {
    const nb = notebookOf(["a", "die", "b"]);
    const client = new FakeKernelClient((code) => {
      if (code === "a") return { status: "abort", reason: "the kernel aborted the request" };
      return code === "die" ? { status: "died", reason: "kernel died (code=1, signal=null)" } : {};
    });
    await client.start();
    const r = await executeNotebook(nb, client, { allowErrors: true });
    expect(client.executed.map((e) => e.code)).toEqual(["a", "die", "b"]);
    expect(client.restarts).toBe(1);
    expect(r.cells.map((c) => c.status)).toEqual(["abort", "died", "ok"]);
    expect(r.firstFailure).toMatchObject({ ename: "AbortedError", evalue: "the kernel aborted the request" });
  });

  it("names a failure by the kernel's ename, never by parsing stderr text", () => {
    const base = { executionCount: 1, durationMs: 1, stateLost: false } as const;
    const stderr = [{ output_type: "stream" as const, name: "stderr" as const, text: "RangeError: looks like an error\n" }];
    expect(describeFailure({ ...base, status: "error", outputs: stderr })).toEqual({
      ename: "Error",
      evalue: "cell failed (error) without an error message",
    });
    expect(
      describeFailure({
        ...base,
        status: "error",
        outputs: stderr,
        ename: "TypeScriptError",
        evalue: "Cell In[1], line 1, column 7: Type 'number' is not assignable to type 'string'.",
      }),
    ).toEqual({
      ename: "TypeScriptError",
      evalue: "Cell In[1], line 1, column 7: Type 'number' is not assignable to type 'string'.",
    });
    expect(describeFailure({ ...base, status: "timeout", outputs: [], ename: "Interrupted", reason: "timeout after 2 s" })).toEqual({
      ename: "CellTimeoutError",
      evalue: "timeout after 2 s",
    });
  });
});

describe("runNotebooks with a scripted kernel", () => {
  it("writes the executed notebook, the HTML and a JSON summary naming the failing cell", async () => {
    const out = join(tmp, "run");
    const lines: string[] = [];
    const clients: FakeKernelClient[] = [];
    const summary = await runNotebooks([join(fixtures, "failing.ipynb")], {
      outDir: out,
      jsonFile: join(out, "summary.json"),
      log: (l) => lines.push(l),
      clientFactory: () => {
        const c = new FakeKernelClient((code) =>
          code.includes("throw")
            ? {
                status: "error",
                ename: "TypeError",
                evalue: "boom from the fixture",
                outputs: [
                  {
                    output_type: "error",
                    ename: "TypeError",
                    evalue: "boom from the fixture",
                    traceback: ["TypeError: boom from the fixture", "    at cell 3"],
                  },
                ],
              }
            : { outputs: [{ output_type: "stream", name: "stdout", text: "before the failure\n" }] },
        );
        clients.push(c);
        return c;
      },
    });
    expect(summary.ok).toBe(false);
    expect(clients[0]!.shutdowns).toBe(1);
    const n = summary.notebooks[0]!;
    expect(n.error).toBe(
      "failing.ipynb: cell 3 failed (`const x = 1;`): TypeError: boom from the fixture (1 later code cell not run; --allow-errors runs them anyway)",
    );
    expect(lines).toContain("failing.ipynb: cell 2/4 ok 0.0s");
    expect(lines.some((l) => /^failing\.ipynb: cell 3\/4 error \d+\.\ds$/.test(l))).toBe(true);
    const written = readNotebook(join(out, "failing.ipynb"));
    expect(written.cells[1]).toMatchObject({ execution_count: 1, outputs: [{ text: ["before the failure\n"] }] });
    const html = readFileSync(join(out, "failing.html"), "utf8");
    expect(html).toContain("<b>TypeError: boom from the fixture</b>");
    expect(html).toContain(`<span class="badge not-run">not run</span>`);
    const json = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(json.notebooks[0]).toMatchObject({ ok: false, cells: 4, codeCells: 3, ran: 2, failures: 1 });
  });
});
