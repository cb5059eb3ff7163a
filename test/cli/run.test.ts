/**
 * `nnlab run` end to end: the built command, the real nnlab kernel (direct back end), fixture
 * notebooks. Needs `npm run build` (the root `npm test` does it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readNotebook } from "../../cli/src/notebook";

const root = join(__dirname, "..", "..");
const main = join(root, "cli", "dist", "main.js");
const kernel = join(root, "cli", "dist", "tslab", "kernel.js");
const built = existsSync(main) && existsSync(kernel);
if (!built) console.log(`nnlab run tests skipped: ${main} or ${kernel} missing; run \`npm run build\` first`);
const fixtures = join(root, "test", "fixtures", "notebooks");
const tmp = join(root, "test", ".tmp", "cli-run");

const python = process.env.NNLAB_PYTHON ?? "/usr/bin/python3";
const hasNbformat = spawnSync(python, ["-c", "import nbformat"]).status === 0;
if (!hasNbformat) console.log(`nbformat schema check skipped: ${python} cannot import nbformat (apt-get install python3-nbformat)`);

/** Jupyter's own validator on a written notebook (the schema of its nbformat_minor). */
function nbformatProblems(file: string): string {
  if (!hasNbformat) return "";
  const r = spawnSync(python, ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))", file], {
    encoding: "utf8",
  });
  return r.status === 0 ? "" : r.stderr.trim().split("\n").slice(-3).join("\n");
}

function nnlab(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!built)("nnlab run (real kernel)", () => {
  it("executes a 3-cell notebook and writes the executed .ipynb, HTML and JSON summary", () => {
    const out = join(tmp, "ok");
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const r = nnlab(["run", join(fixtures, "three-cells.ipynb"), "--out", out, "--json", join(out, "summary.json")]);
    expect(r.stderr).toMatch(/three-cells\.ipynb: cell 4\/4 ok \d+\.\ds/);
    expect(r.status).toBe(0);
    const nb = readNotebook(join(out, "three-cells.ipynb"));
    expect(nb.nbformat_minor).toBe(5);
    expect(nbformatProblems(join(out, "three-cells.ipynb"))).toBe("");
    const code = nb.cells.filter((c) => c.cell_type === "code");
    expect(code.map((c) => c.cell_type === "code" && c.execution_count)).toEqual([1, 2, 3]);
    const outputs = JSON.stringify(code.map((c) => (c.cell_type === "code" ? c.outputs : [])));
    expect(outputs).toContain("the answer is 42");
    expect(outputs).toContain("43");
    const html = readFileSync(join(out, "three-cells.html"), "utf8");
    expect(html).toContain("the answer is 42");
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary).toMatchObject({ ok: true, notebooks: [{ ok: true, cells: 4, codeCells: 3, ran: 3, failures: 0 }] });
  });

  it("exits non-zero naming the notebook, the cell, its first line and the error; later cells not run", () => {
    const out = join(tmp, "fail");
    const r = nnlab(["run", join(fixtures, "failing.ipynb"), "--out", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("failing.ipynb: cell 3 failed (`const x = 1;`): TypeError: boom from the fixture");
    expect(nbformatProblems(join(out, "failing.ipynb"))).toBe("");
    const nb = readNotebook(join(out, "failing.ipynb"));
    const last = nb.cells[3]!;
    expect(last.cell_type === "code" && last.execution_count).toBeNull();
    expect(last.cell_type === "code" && last.outputs).toEqual([]);
  });

  it("with --allow-errors runs the cells after the failure", () => {
    const out = join(tmp, "allow");
    const r = nnlab(["run", join(fixtures, "failing.ipynb"), "--out", out, "--allow-errors"]);
    expect(r.status).toBe(1);
    const nb = readNotebook(join(out, "failing.ipynb"));
    expect(JSON.stringify(nb.cells[3])).toContain("after the failure");
  });

  it("rejects bad arguments with usage (exit 2)", () => {
    const r = nnlab(["run", "--timeout", "soon", join(fixtures, "three-cells.ipynb")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--timeout takes a positive number of seconds, got "soon"`);
    expect(r.stderr).toContain("usage: nnlab run");
  });
});

const hasJupyter = spawnSync(python, ["-c", "import jupyter_server"]).status === 0;
if (!hasJupyter) console.log(`nnlab run --server test skipped: ${python} cannot import jupyter_server (apt-get install python3-jupyter-server)`);

describe.skipIf(!built || !hasJupyter)("nnlab run --server (Jupyter Server back end)", () => {
  it("executes the fixture through a running server, kernel in the notebook's folder", async () => {
    const { spawnJupyter, writeKernelspec } = await import("../../cli/src/kernel");
    const jupyterPath = join(tmp, "jupyter");
    writeKernelspec(jupyterPath);
    const server = await spawnJupyter({ module: "jupyter_server", rootDir: join(root, "test"), jupyterPath, python });
    try {
      const out = join(tmp, "server");
      const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
        // Async spawn: the server runs in this process's event loop's children and must keep answering.
        const { spawn } = require("node:child_process") as typeof import("node:child_process");
        const child = spawn(
          process.execPath,
          [
            main,
            "run",
            "--server",
            server.url,
            "--token",
            server.token,
            "--server-root",
            join(root, "test"),
            join(fixtures, "three-cells.ipynb"),
            "--out",
            out,
          ],
          { cwd: root },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
        child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
        child.on("exit", (status) => done({ status, stdout, stderr }));
      });
      expect(r.stderr).toContain("three-cells.ipynb: cell 4/4 ok");
      expect(r.stdout).toBe("");
      expect(r.status).toBe(0);
      const nb = readNotebook(join(out, "three-cells.ipynb"));
      expect(JSON.stringify(nb.cells)).toContain("the answer is 42");
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe.skipIf(!built)("nnlab run timeouts (real kernel)", () => {
  it("interrupts a cell past its metadata nnlab.timeout, names it, and the kernel answers the next cell", () => {
    const out = join(tmp, "hang");
    const r = nnlab(["run", join(fixtures, "hang.ipynb"), "--out", out, "--allow-errors"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/hang\.ipynb: cell 1\/2 timeout 2\.\ds/);
    expect(r.stderr).toContain("hang.ipynb: cell 1 failed (`let n = 0;`): CellTimeoutError: timeout after 2 s");
    expect(r.stderr).toContain("raise --timeout, or the cell's metadata nnlab.timeout");
    const nb = readNotebook(join(out, "hang.ipynb"));
    expect(JSON.stringify(nb.cells[0])).toContain(`"ename":"CellTimeoutError"`);
    expect(JSON.stringify(nb.cells[1])).toContain("kernel still answers");
  });
});
