/**
 * Conformance with a standard client: Debian's `jupyter-nbconvert --execute` (nbclient) runs a
 * notebook on the nnlab kernel found through JUPYTER_PATH. With tslab as is, a failing middle
 * cell left every later cell empty (abort window) and nbclient's error message was empty (no
 * ename/evalue); these cases fail on that kernel.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pythonHasModules } from "../../cli/src/kernel/spawn-jupyter";
import { writeKernelspec } from "../../cli/src/kernel/kernelspec";
import { kernelEntryBuilt, repoRoot } from "./protocol-cases";

const NBCONVERT = "/usr/bin/jupyter-nbconvert";
const available = existsSync(NBCONVERT) && pythonHasModules(["nbconvert", "nbclient"]);
if (!available)
  console.log(`nbconvert conformance tests skipped: ${NBCONVERT} or python3-nbclient missing (apt-get install jupyter-nbconvert python3-nbclient)`);

const tmp = join(repoRoot, "test", ".tmp", "kernel-nbconvert");

function code(source: string): Record<string, unknown> {
  return { cell_type: "code", metadata: {}, execution_count: null, outputs: [], source };
}

function notebook(cells: string[]): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "nnlab", display_name: "TypeScript (nnlab)", language: "typescript" } },
    cells: cells.map((c, i) => ({ ...code(c), id: `cell-${i}` })),
  };
}

interface OutCell {
  execution_count: number | null;
  outputs: { output_type: string; name?: string; text?: string | string[]; ename?: string; evalue?: string; data?: Record<string, unknown> }[];
}

function nbconvert(input: string, output: string, extra: string[]): { status: number | null; stderr: string } {
  const env = {
    ...process.env,
    JUPYTER_PATH: join(tmp, "jupyter"),
    JUPYTER_RUNTIME_DIR: join(tmp, "runtime"),
    JUPYTER_CONFIG_DIR: join(tmp, "config"),
  };
  const r = spawnSync(NBCONVERT, ["--to", "notebook", "--execute", ...extra, "--ExecutePreprocessor.timeout=120", "--output", output, input], {
    env,
    encoding: "utf8",
    timeout: 180_000,
  });
  return { status: r.status, stderr: r.stderr };
}

/** nbformat may store text as a list of lines. */
function joined(data: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("") : v]));
}

const text = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));

describe.skipIf(!available || !kernelEntryBuilt)("jupyter-nbconvert --execute on the nnlab kernel", () => {
  beforeAll(() => {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeKernelspec(join(tmp, "jupyter"));
    writeFileSync(
      join(tmp, "middle-fails.ipynb"),
      JSON.stringify(
        notebook([
          `let x = 20;\nconsole.log("first");`,
          `throw new TypeError("middle cell failed with x = " + x);`,
          `console.log("after the error");`,
          `x * 2 + 2`,
          `const fig = { [Symbol.for("Jupyter.display")]() { return { "text/plain": "fig", "text/html": "<b>fig</b>" }; } };\nfig`,
        ]),
      ),
    );
  });

  it("--allow-errors keeps every later cell's outputs and records ename/evalue and execution counts", () => {
    const r = nbconvert(join(tmp, "middle-fails.ipynb"), "allow.ipynb", ["--allow-errors"]);
    expect(r.status, r.stderr).toBe(0);
    const cells = (JSON.parse(readFileSync(join(tmp, "allow.ipynb"), "utf8")) as { cells: OutCell[] }).cells;
    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
    expect(text(cells[0].outputs[0]?.text)).toBe("first\n");
    expect(cells[1].outputs).toHaveLength(1);
    expect(cells[1].outputs[0]).toMatchObject({ output_type: "error", ename: "TypeError", evalue: "middle cell failed with x = 20" });
    expect(text(cells[2].outputs[0]?.text)).toBe("after the error\n");
    expect(cells[3].outputs[0]?.output_type).toBe("execute_result");
    expect(joined(cells[3].outputs[0]?.data)).toEqual({ "text/plain": "42" });
    expect(joined(cells[4].outputs[0]?.data)).toEqual({ "text/plain": "fig", "text/html": "<b>fig</b>" });
  });

  it("without --allow-errors nbconvert fails and its message names the error", () => {
    const r = nbconvert(join(tmp, "middle-fails.ipynb"), "strict.ipynb", []);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("TypeError");
    expect(r.stderr).toContain("middle cell failed with x = 20");
  });
});
