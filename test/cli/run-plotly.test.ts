/**
 * Where `nnlab run` puts plotly.js: one plotly.min.js beside the pages of a run (only when a page
 * has a figure), or inlined in each page with figures under --standalone; never in a notebook.
 */
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runNotebooks } from "../../cli/src/commands/run";
import { FakeKernelClient } from "./fake-kernel";

const fixtures = join(__dirname, "..", "fixtures", "notebooks");
const tmp = join(__dirname, "..", ".tmp", "run-plotly");
const figure = { "application/vnd.plotly.v1+json": { data: [{ type: "scatter", y: [1, 2] }], layout: {} }, "text/plain": "Figure: 1 trace" };

// Every cell of a notebook answers with a figure (or with plain text when `figures` is false).
const client = (figures: boolean) => () =>
  new FakeKernelClient(() => ({
    outputs: [{ output_type: "display_data", data: figures ? figure : { "text/plain": "x" }, metadata: {} }],
  }));

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe("nnlab run: plotly.js beside the pages or inlined", () => {
  it("pages of one run share one plotly.min.js; a run without figures writes none", async () => {
    rmSync(tmp, { recursive: true, force: true });
    const out = join(tmp, "shared");
    const files = [join(fixtures, "three-cells.ipynb"), join(fixtures, "live-plot.ipynb")];
    const summary = await runNotebooks(files, { outDir: out, clientFactory: client(true), log: () => undefined });
    expect(summary.ok).toBe(true);
    expect(statSync(join(out, "plotly.min.js")).size).toBeGreaterThan(1_000_000);
    for (const n of summary.notebooks) {
      const html = readFileSync(n.html!, "utf8");
      expect(count(html, `<script src="plotly.min.js"></script>`)).toBe(1);
      expect(html).not.toContain("* plotly.js v");
      expect(readFileSync(n.ipynb!, "utf8")).not.toContain("* plotly.js v");
    }
    const plain = join(tmp, "plain");
    await runNotebooks([join(fixtures, "three-cells.ipynb")], { outDir: plain, clientFactory: client(false), log: () => undefined });
    expect(existsSync(join(plain, "plotly.min.js"))).toBe(false);
    expect(readFileSync(join(plain, "three-cells.html"), "utf8")).not.toContain("<script");
  });

  it("--standalone inlines plotly.js once per page and writes no plotly.min.js", async () => {
    const out = join(tmp, "standalone");
    const summary = await runNotebooks([join(fixtures, "three-cells.ipynb")], {
      outDir: out,
      clientFactory: client(true),
      standalone: true,
      log: () => undefined,
    });
    const html = readFileSync(summary.notebooks[0]!.html!, "utf8");
    expect(count(html, "* plotly.js v")).toBe(1);
    expect(html).not.toContain(`src="plotly.min.js"`);
    expect(existsSync(join(out, "plotly.min.js"))).toBe(false);
  });
});
