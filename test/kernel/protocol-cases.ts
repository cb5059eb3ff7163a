/**
 * Protocol cases every KernelClient back end must pass against the real nnlab kernel. The
 * caller starts one client in beforeAll (kernel starts cost ≈3.5 s each) and passes a getter;
 * cases run in order and some depend on state left by earlier ones (noted where they do).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { ExecuteResult, KernelClient, Output } from "../../cli/src/kernel/client";

export const repoRoot = join(__dirname, "..", "..");
export const kernelEntryBuilt = existsSync(join(repoRoot, "cli", "dist", "tslab", "kernel.js"));
if (!kernelEntryBuilt) console.log("kernel protocol tests skipped: cli/dist/tslab/kernel.js missing; run `npm run build` first");

export function streamText(r: ExecuteResult, name: "stdout" | "stderr" = "stdout"): string {
  return r.outputs
    .filter((o): o is Extract<Output, { output_type: "stream" }> => o.output_type === "stream" && o.name === name)
    .map((o) => o.text)
    .join("");
}

export function resultData(r: ExecuteResult): Record<string, unknown> | undefined {
  const o = r.outputs.find((x) => x.output_type === "execute_result");
  return o && o.output_type === "execute_result" ? o.data : undefined;
}

/** Explains a failed expectation: the whole result, not just one field. */
function show(r: ExecuteResult): string {
  return JSON.stringify(r, null, 1).slice(0, 2000);
}

export interface ProtocolSuiteOptions {
  /** What the death reason must say for `process.exit(3)`. */
  deathReason: RegExp;
  /**
   * Sends all `codes` as execute_requests at once (as "Run All" does, without waiting for
   * replies) with the given stop_on_error, and resolves with each execute_reply's status.
   */
  sendQueued(codes: string[], stopOnError: boolean): Promise<string[]>;
  /** complete_request → the reply's matches. */
  complete(code: string, cursorPos: number): Promise<string[]>;
}

export function defineProtocolCases(client: () => KernelClient, opts: ProtocolSuiteOptions): void {
  it("ok cell: stdout, execute_input count, last value as execute_result", async () => {
    const r = await client().execute(`let kept = 20;\nconsole.log("hello");\nkept + 1`);
    expect(r.status, show(r)).toBe("ok");
    expect(streamText(r)).toBe("hello\n");
    expect(typeof r.executionCount).toBe("number");
    const res = r.outputs.find((o) => o.output_type === "execute_result");
    expect(res).toMatchObject({ output_type: "execute_result", execution_count: r.executionCount, data: { "text/plain": "21" } });
    // The value is no longer printed to stdout as tslab did.
    expect(streamText(r)).not.toContain("21");
  });

  it("a shorthand property naming an earlier cell's variable works ({ kept }, tslab alone: ReferenceError)", async () => {
    const r = await client().execute(`const o = { kept, twice: kept * 2 };\nlet { kept: again } = { kept };\n[o, again]`);
    expect(r.status, show(r)).toBe("ok");
    expect(resultData(r)?.["text/plain"]).toBe("[ { kept: 20, twice: 40 }, 20 ]");
  });

  it("plain values are util.inspect text; null and undefined send nothing", async () => {
    const r = await client().execute(`({ a: 1, b: [1, 2] })`);
    expect(resultData(r), show(r)).toEqual({ "text/plain": "{ a: 1, b: [ 1, 2 ] }" });
    const n = await client().execute(`null`);
    expect(n.status).toBe("ok");
    expect(n.outputs).toEqual([]);
  });

  it("runtime error: status error with ename/evalue/traceback and an iopub error output", async () => {
    const r = await client().execute(`function failDeep() { throw new RangeError("bad range " + kept); }\nfailDeep();`);
    expect(r.status, show(r)).toBe("error");
    expect(r.ename).toBe("RangeError");
    expect(r.evalue).toBe("bad range 20");
    expect(r.traceback?.[0]).toBe("RangeError: bad range 20");
    expect(r.traceback?.join("\n")).toMatch(/at failDeep/);
    // tslab internals are cut from the traceback.
    expect(r.traceback?.join("\n")).not.toMatch(/tslab[\\/]dist|node:vm|evalmachine|nnlab-cell/);
    expect(r.outputs).toContainEqual({ output_type: "error", ename: "RangeError", evalue: "bad range 20", traceback: r.traceback });
  });

  it("a traceback names the cell and the line of each frame, and shows the failing line", async () => {
    const r = await client().execute(`const ok1 = 1;\nfunction inner(x: number) {\n  if (x > 0) throw new TypeError("no " + x);\n}\ninner(ok1);`);
    expect(r.status, show(r)).toBe("error");
    const n = r.executionCount;
    expect(r.traceback?.slice(0, 3)).toEqual(["TypeError: no 1", `    at inner (Cell In[${n}], line 3)`, `    at Cell In[${n}], line 5`]);
    expect(r.traceback).toContain(`----> 3   if (x > 0) throw new TypeError("no " + x);`);
    // A function from an earlier cell is named with that cell's number.
    const later = await client().execute(`\ninner(2);`);
    expect(later.traceback?.slice(1, 3), show(later)).toEqual([
      `    at inner (Cell In[${n}], line 3)`,
      `    at Cell In[${later.executionCount}], line 2`,
    ]);
  });

  it("a queued cell is aborted after an error with stop_on_error, and runs without it", async () => {
    // The first cell holds the kernel 1 s, so the two others are queued behind it (even when a
    // loaded machine slows the Jupyter server that relays them). It waits without blocking the
    // thread, so the kernel has read them before the error; with a busy-wait they sat unread on
    // the socket, and whether they were aborted depended on how soon zeromq handed them over (seen
    // both ways; the kernel drains the socket after an error, but that race is not what this tests).
    const hold = `await new Promise((r) => setTimeout(r, 1000));`;
    const stopped = await opts.sendQueued([`let qa = 1; ${hold}\nthrow new Error("queued")`, `qa = 2`, `qa = 3`], true);
    expect(stopped).toEqual(["error", "aborted", "aborted"]);
    // The failing cell's assignment before the throw is kept; the aborted ones did not run.
    const after = await client().execute(`qa`);
    expect(resultData(after), show(after)).toEqual({ "text/plain": "1" });
    const going = await opts.sendQueued([`${hold}\nthrow new Error("again")`, `qa = 5`], false);
    expect(going).toEqual(["error", "ok"]);
    expect(resultData(await client().execute(`qa`))).toEqual({ "text/plain": "5" });
  });

  it("the request sent right after an error runs (no abort window)", async () => {
    const failing = await client().execute(`throw new Error("first");`);
    expect(failing.status).toBe("error");
    // The clients never re-send an aborted request, so an `abort` reply would show here.
    const next = await client().execute(`kept * 2`);
    expect(next.status, show(next)).toBe("ok");
    expect(resultData(next)).toEqual({ "text/plain": "40" });
  });

  it("TypeScript error: status error, TypeScriptError with the diagnostic, nothing of the cell runs", async () => {
    const r = await client().execute(`console.log("must not print");\nlet s: string = 1;`);
    expect(r.status, show(r)).toBe("error");
    expect(r.ename).toBe("TypeScriptError");
    expect(r.evalue).toBe(`Cell In[${r.executionCount}], line 2, column 5: Type 'number' is not assignable to type 'string'.`);
    expect(r.traceback).toContain("----> 2 let s: string = 1;");
    expect(streamText(r)).toBe("");
    expect(r.outputs.some((o) => o.output_type === "error" && o.ename === "TypeScriptError")).toBe(true);
  });

  it("execution_count increases by one per executed request, errors included", async () => {
    const a = await client().execute(`1`);
    const b = await client().execute(`throw new Error("x")`);
    const c = await client().execute(`2`);
    expect(b.executionCount).toBe(a.executionCount! + 1);
    expect(c.executionCount).toBe(a.executionCount! + 2);
  });

  it("display_data with 3 update_display_data leaves one output holding the last value", async () => {
    const updates: Output[] = [];
    const r = await client().execute(
      `const d = require("tslab").newDisplay();\nd.text("step 0");\nfor (let i = 1; i <= 3; i++) d.text("step " + i);`,
      { onDisplayUpdate: (o) => updates.push(o) },
    );
    expect(r.status, show(r)).toBe("ok");
    const displays = r.outputs.filter((o) => o.output_type === "display_data");
    expect(displays).toHaveLength(1);
    expect(displays[0]).toMatchObject({ data: { "text/plain": "step 3" } });
    expect(updates).toHaveLength(3);
  });

  it("tslab's internal lastWriteDisplayData (how nnlab displays bundles) still sends one multi-mime display", async () => {
    const r = await client().execute(
      [
        `const key = Object.keys(require.cache).find((k) => /[\\\\/]tslab[\\\\/]dist[\\\\/]jupyter\\.js$/.test(k));`,
        `const write = require.cache[key].exports.lastWriteDisplayData;`,
        `const msg = (n: number) => ({ data: { "text/plain": "epoch " + n, "text/html": "<b>epoch " + n + "</b>" }, metadata: {}, transient: { display_id: "nnlab-test-1" } });`,
        `write(msg(1), false);`,
        `write(msg(2), true);`,
      ].join("\n"),
    );
    expect(r.status, show(r)).toBe("ok");
    const displays = r.outputs.filter((o) => o.output_type === "display_data");
    expect(displays).toHaveLength(1);
    expect(displays[0]).toMatchObject({ data: { "text/plain": "epoch 2", "text/html": "<b>epoch 2</b>" } });
  });

  it('execute_result carries the mime bundle of Symbol.for("Jupyter.display")', async () => {
    const r = await client().execute(
      [
        `const fig = {`,
        `  [Symbol.for("Jupyter.display")]() {`,
        `    return { "text/plain": "Figure(1 trace)", "text/html": "<div class='fig'></div>",`,
        `             "application/vnd.plotly.v1+json": { data: [{ y: [1, 2, 3] }], layout: { title: "t" } } };`,
        `  },`,
        `};`,
        `fig`,
      ].join("\n"),
    );
    expect(r.status, show(r)).toBe("ok");
    expect(resultData(r)).toEqual({
      "text/plain": "Figure(1 trace)",
      "text/html": "<div class='fig'></div>",
      "application/vnd.plotly.v1+json": { data: [{ y: [1, 2, 3] }], layout: { title: "t" } },
    });
  });

  it("a display method may return {data, metadata}; a throwing one falls back to text with a warning", async () => {
    const r = await client().execute(
      `({ [Symbol.for("Jupyter.display")]() { return { data: { "text/html": "<p>w</p>" }, metadata: { "text/html": { isolated: false } } }; }, toString() { return "W"; } })`,
    );
    const res = r.outputs.find((o) => o.output_type === "execute_result");
    expect(res && res.output_type === "execute_result" && res.metadata, show(r)).toEqual({ "text/html": { isolated: false } });
    expect(resultData(r)?.["text/html"]).toBe("<p>w</p>");
    expect(typeof resultData(r)?.["text/plain"]).toBe("string");
    const bad = await client().execute(`({ n: 3, [Symbol.for("Jupyter.display")]() { throw new Error("no repr"); } })`);
    expect(bad.status).toBe("ok");
    expect(streamText(bad, "stderr")).toContain("no repr");
    expect(String(resultData(bad)?.["text/plain"])).toContain("n: 3");
  });

  it("stream output is capped while collecting and flagged truncated", async () => {
    const r = await client().execute(`for (let i = 0; i < 300; i++) console.log("line " + i);`, { maxOutputBytes: 300 });
    expect(r.status).toBe("ok");
    expect(r.truncated).toBe(true);
    const text = streamText(r);
    expect(text.startsWith("line 0\nline 1\n")).toBe(true);
    expect(text).toContain("output truncated at 300 bytes");
    expect(Buffer.byteLength(text)).toBeLessThan(400);
  });

  it("interrupt stops `while (true) {}` and keeps the kernel's state, including what the cell assigned", async () => {
    let interrupted = false;
    const r = await client().execute(`let spun = 0;\nwhile (true) { if (++spun === 1e6) console.log("spinning"); }`, {
      timeoutMs: 60_000,
      onOutput: (o) => {
        // Interrupt only once the loop has run a million times: a SIGINT during compilation is not
        // seen by the cell, and one landing while an earlier console.log returns would leave spun
        // at its start (under load it did).
        if (!interrupted && o.output_type === "stream" && o.text.includes("spinning")) {
          interrupted = true;
          void client().interrupt();
        }
      },
    });
    expect(r.status, show(r)).toBe("error");
    expect(r.evalue).toMatch(/interrupted/i);
    const after = await client().execute(`kept * 3`);
    expect(resultData(after), show(after)).toEqual({ "text/plain": "60" });
    const spun = await client().execute(`spun >= 1e6`);
    expect(resultData(spun), show(spun)).toEqual({ "text/plain": "true" });
  });

  it("completion on a Tensor offers its public API and no name starting with _", async () => {
    const r = await client().execute(`import { tensor } from "nnlab";\nconst tt = tensor([1, 2], { requiresGrad: true });`);
    expect(r.status, show(r)).toBe("ok");
    const code = `tt.`;
    const matches = await opts.complete(code, code.length);
    expect(matches).toEqual(expect.arrayContaining(["backward", "shape", "grad"]));
    expect(matches.filter((m) => m.startsWith("_"))).toEqual([]);
  });

  it("timeout on `await null; while (true) {}`: interrupt fails, kernel killed and restarted, later cells run", async () => {
    const r = await client().execute(`await null;\nwhile (true) {}`, { timeoutMs: 3000 });
    expect(r.status, show(r)).toBe("timeout");
    expect(r.reason).toMatch(/timeout after 3 s/);
    expect(r.reason).toMatch(/restart/);
    // The new kernel has none of the old state.
    const gone = await client().execute(`typeof kept`);
    expect(gone.status, show(gone)).toBe("error");
    expect(gone.evalue).toContain("Cannot find name 'kept'");
    const ok = await client().execute(`let fresh = 5; fresh * 2`);
    expect(resultData(ok), show(ok)).toEqual({ "text/plain": "10" });
  }, 120_000); // timeout + grace + a kernel start, on a loaded 2-core machine

  it("process.exit(3) is reported as kernel death; the next cell runs in a fresh kernel", async () => {
    const r = await client().execute(`process.exit(3)`);
    expect(r.status, show(r)).toBe("died");
    expect(r.reason).toMatch(opts.deathReason);
    const next = await client().execute(`fresh`);
    expect(next.evalue, show(next)).toContain("Cannot find name 'fresh'");
    const ok = await client().execute(`"alive"`);
    expect(resultData(ok), show(ok)).toEqual({ "text/plain": "'alive'" });
  }, 120_000);
}
