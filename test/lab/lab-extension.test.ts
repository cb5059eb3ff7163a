/**
 * The prebuilt JupyterLab extension @nnlab/jupyterlab-plotly (lab/extension, built with
 * @jupyterlab/builder) and its install by `nnlab kernel install`: the layout JupyterLab 4's
 * loader reads (package.json jupyterlab._build, static/remoteEntry.*.js, install.json), checked
 * on the folder the command writes. That the remote entry loads in a federation and draws is in
 * jupyterlab.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { labExtensionBuildDir, LAB_EXTENSION_NAME } from "../../cli/src/kernel/lab-extension";

const repo = join(__dirname, "..", "..");
const main = join(repo, "cli", "dist", "main.js");
const built = existsSync(main) && existsSync(join(labExtensionBuildDir(), "package.json"));
if (!built) console.log("lab extension tests skipped: run `npm run build` (cli/dist and lab/extension/labextension)");

describe.skipIf(!built)(`${LAB_EXTENSION_NAME} installed by nnlab kernel install`, () => {
  const prefix = mkdtempSync(join(tmpdir(), "nnlab-labext-"));
  afterAll(() => rmSync(prefix, { recursive: true, force: true }));

  it("lands in share/jupyter/labextensions/<name>/ beside the kernelspec, in JupyterLab 4's layout", () => {
    const r = spawnSync(process.execPath, [main, "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const data = join(prefix, "share", "jupyter");
    const dir = join(data, "labextensions", "@nnlab", "jupyterlab-plotly");
    expect(r.stdout).toContain(`Installed the JupyterLab extension ${LAB_EXTENSION_NAME} (plotly figures) in ${dir}`);
    expect(existsSync(join(data, "kernels", "nnlab", "kernel.json"))).toBe(true);

    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      name: string;
      version: string;
      jupyterlab: { mimeExtension: boolean; _build: { load: string; mimeExtension: string; extension?: string } };
    };
    expect(pkg.name).toBe(LAB_EXTENSION_NAME);
    expect(pkg.jupyterlab.mimeExtension).toBe(true);
    expect(pkg.jupyterlab._build.mimeExtension).toBe("./mimeExtension");
    expect(pkg.jupyterlab._build.extension).toBeUndefined();
    expect(pkg.jupyterlab._build.load).toMatch(/^static\/remoteEntry\.[0-9a-f]+\.js$/);
    // Exactly one remote entry, the one package.json names (a stale one would be loaded by nobody).
    expect(readdirSync(join(dir, "static")).filter((f) => f.startsWith("remoteEntry."))).toEqual([
      pkg.jupyterlab._build.load.slice("static/".length),
    ]);
    const entry = readFileSync(join(dir, pkg.jupyterlab._build.load), "utf8");
    // The container JupyterLab looks up: window._JUPYTERLAB[<name>], exposing ./mimeExtension.
    expect(entry).toContain("_JUPYTERLAB");
    expect(entry).toContain(JSON.stringify(LAB_EXTENSION_NAME));
    expect(entry).toContain('"./mimeExtension"');
    // lumino is taken from JupyterLab (shared singleton), not bundled a second time.
    expect(entry).toContain('"@lumino/widgets"');
    const install = JSON.parse(readFileSync(join(dir, "install.json"), "utf8")) as {
      packageName: string;
      packageManager: string;
      uninstallInstructions: string;
    };
    expect(install.packageName).toBe(LAB_EXTENSION_NAME);
    expect(install.uninstallInstructions).toContain("labextensions/@nnlab/jupyterlab-plotly");
  });

  it("replaces an earlier install instead of leaving its remote entry beside the new one", () => {
    const dir = join(prefix, "share", "jupyter", "labextensions", "@nnlab", "jupyterlab-plotly");
    // An older build's entry (another hash), as an earlier `kernel install` would have left it.
    writeFileSync(join(dir, "static", "remoteEntry.0123456789abcdef.js"), "// stale\n");
    const r = spawnSync(process.execPath, [main, "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, "static")).filter((f) => f.startsWith("remoteEntry.")).length).toBe(1);
    expect(existsSync(join(dir, "static", "remoteEntry.0123456789abcdef.js"))).toBe(false);
  });
});
