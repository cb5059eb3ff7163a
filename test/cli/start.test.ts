/**
 * `nnlab start`: without Jupyter (simulated with NNLAB_NO_JUPYTER=1) it builds the headless site;
 * with Jupyter it starts a server that offers the nnlab kernel.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nnlabLabMissing } from "../../cli/src/kernel/nnlab-lab";

const root = join(__dirname, "..", "..");
const main = join(root, "cli", "dist", "main.js");
const built = existsSync(main) && existsSync(join(root, "cli", "dist", "tslab", "kernel.js"));
if (!built) console.log(`nnlab start tests skipped: ${main} missing; run \`npm run build\` first`);
const fixtures = join(root, "test", "fixtures", "notebooks");
const tmp = join(root, "test", ".tmp", "cli-start");

const python = process.env.NNLAB_PYTHON ?? "/usr/bin/python3";
const hasJupyter = spawnSync(python, ["-c", "import jupyter_server"]).status === 0;
if (!hasJupyter) console.log(`nnlab start (Jupyter) test skipped: ${python} cannot import jupyter_server (apt-get install python3-jupyter-server)`);

function nnlab(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: "utf8", timeout: 180_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!built)("nnlab start", () => {
  it("without Jupyter runs every notebook and writes out/site/index.html linking each with its status", () => {
    const notebooks = join(tmp, "notebooks");
    const out = join(tmp, "site");
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(notebooks, { recursive: true });
    copyFileSync(join(fixtures, "three-cells.ipynb"), join(notebooks, "01-three-cells.ipynb"));
    copyFileSync(join(fixtures, "failing.ipynb"), join(notebooks, "02-failing.ipynb"));
    const r = nnlab(["start", "--notebooks", notebooks, "--out", out], { NNLAB_NO_JUPYTER: "1" });
    // one notebook failed: the command says so in its exit code too
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("NNLAB_NO_JUPYTER=1: not using Jupyter, as asked");
    expect(r.stdout).toContain(`Site written: ${join(out, "index.html")}`);
    expect(r.stdout).toContain("1/2 notebooks ran without error");
    expect(r.stdout).toContain("pip install jupyterlab");
    const index = readFileSync(join(out, "index.html"), "utf8");
    expect(index).toContain(`<a href="01-three-cells.html">Three cells (01-three-cells.ipynb)</a>`);
    expect(index).toContain(`<a href="02-failing.html">Failing on purpose (02-failing.ipynb)</a>`);
    expect(index).toContain(`<td class="failed">cell 3 failed: TypeError: boom from the fixture</td>`);
    expect(index).toMatch(/<td class="ok">ok<\/td><td>3<\/td><td>\d+\.\d s<\/td>/);
    const chapter = readFileSync(join(out, "01-three-cells.html"), "utf8");
    expect(chapter).toContain(`<a href="index.html">`);
    expect(chapter).toContain("the answer is 42");
    expect(existsSync(join(out, "02-failing.ipynb"))).toBe(true);
  });

  it("takes `npm start --headless` (npm_config_headless) as --headless and exits 0 when every notebook runs", () => {
    const notebooks = join(tmp, "notebooks-ok");
    const out = join(tmp, "site-ok");
    rmSync(notebooks, { recursive: true, force: true });
    mkdirSync(notebooks, { recursive: true });
    copyFileSync(join(fixtures, "three-cells.ipynb"), join(notebooks, "01-three-cells.ipynb"));
    const r = nnlab(["start", "--notebooks", notebooks, "--out", out], { npm_config_headless: "true" });
    expect(r.stderr).toContain("headless mode: running every notebook");
    expect(r.stdout).toContain("1/1 notebooks ran without error");
    expect(r.stdout).not.toContain("pip install jupyterlab");
    expect(r.status).toBe(0);
  });

  it.skipIf(!hasJupyter)("with Jupyter starts a server whose /api/kernelspecs lists nnlab, then stops it", () => {
    const r = nnlab(["start", "--notebooks", fixtures, "--exit-after-ready"]);
    expect(r.stderr + r.stdout).not.toContain("Traceback");
    expect(r.stdout).toMatch(/Jupyter \((jupyterlab|notebook|nnlab-lab|jupyter_server)\) is running at:\n {2}http:\/\/127\.0\.0\.1:\d+\/\S*token=\w+/);
    expect(r.stdout).toMatch(/kernelspecs: .*\bnnlab\b/);
    expect(r.status).toBe(0);
  });

  it.skipIf(!hasJupyter)("prefers JupyterLab when importable: same server, Lab as the default URL", () => {
    // A stand-in `jupyterlab` module: checks detection order and the launch arguments (real Lab is
    // not installed on CI; its server extension is loaded by jupyter_server from its own config).
    const fake = join(tmp, "fake-lab");
    mkdirSync(join(fake, "jupyterlab"), { recursive: true });
    writeFileSync(join(fake, "jupyterlab", "__init__.py"), '__version__ = "4.9.9-fake"\n');
    const r = nnlab(["start", "--notebooks", fixtures, "--exit-after-ready"], { PYTHONPATH: fake });
    expect(r.stderr).toContain("starting jupyterlab 4.9.9-fake");
    expect(r.stdout).toMatch(/Jupyter \(jupyterlab\) is running at:\n {2}http:\/\/127\.0\.0\.1:\d+\/lab\?token=\w+/);
    expect(r.stdout).toMatch(/kernelspecs: .*\bnnlab\b/);
    expect(r.status).toBe(0);
  });

  it.skipIf(!hasJupyter || nnlabLabMissing() !== undefined)("NNLAB_UI=lab serves nnlab's JupyterLab (the UI where only Jupyter Server is installed)", () => {
    // Classic Notebook is installed here and on CI, so detection alone would pick it: the switch
    // takes the path a machine with only python3-jupyter-server + python3-jupyterlab-server takes.
    const r = nnlab(["start", "--notebooks", fixtures, "--exit-after-ready"], { NNLAB_UI: "lab" });
    expect(r.stderr).toContain("starting nnlab's JupyterLab");
    expect(r.stdout).toMatch(/Jupyter \(nnlab-lab\) is running at:\n {2}http:\/\/127\.0\.0\.1:\d+\/lab\?token=\w+/);
    expect(r.stdout).toMatch(/kernelspecs: .*\bnnlab\b/);
    expect(r.stdout).toContain("serves the JupyterLab bundle");
    expect(r.status).toBe(0);
  });

  it("rejects an unknown NNLAB_UI and says which value exists", () => {
    const r = nnlab(["start", "--notebooks", fixtures, "--exit-after-ready"], { NNLAB_UI: "retro" });
    expect(r.stderr).toContain('NNLAB_UI=retro is not known: "lab"');
    expect(r.status).not.toBe(0);
  });
});
