/** The dispatcher and `nnlab kernel install`, through the built command. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configDirFor, dataDirFor } from "../../cli/src/commands/kernel";

const root = join(__dirname, "..", "..");
const main = join(root, "cli", "dist", "main.js");
const built = existsSync(main);
if (!built) console.log(`nnlab command tests skipped: ${main} missing; run \`npm run build\` first`);
const tmp = join(root, "test", ".tmp", "cli-commands");

function nnlab(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!built)("nnlab dispatcher", () => {
  it("lists every command with no arguments and with help", () => {
    for (const args of [[], ["help"]]) {
      const r = nnlab(args);
      expect(r.status).toBe(0);
      for (const name of ["start", "run", "kernel", "release", "check", "grade", "help"])
        expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    }
    expect(nnlab(["help", "run"]).stdout).toMatch(/^usage: nnlab run/);
  });

  it("rejects an unknown command (exit 2) and an unknown option with the command's usage", () => {
    const a = nnlab(["frobnicate"]);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain(`nnlab: unknown command "frobnicate"`);
    const c = nnlab(["start", "--notebooks", join(tmp, "no-such-folder")]);
    expect(c.status).toBe(1);
    expect(c.stderr).toContain(`nnlab start: the notebooks folder ${join(tmp, "no-such-folder")} does not exist; pass --notebooks DIR`);
    const b = nnlab(["start", "--bogus"]);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain("usage: nnlab start");
  });
});

describe.skipIf(!built)("nnlab kernel install", () => {
  it("--prefix writes DIR/share/jupyter/kernels/nnlab/kernel.json naming the nnlab kernel", () => {
    const prefix = join(tmp, "prefix");
    rmSync(prefix, { recursive: true, force: true });
    const r = nnlab(["kernel", "install", "--prefix", prefix]);
    expect(r.status).toBe(0);
    const file = join(prefix, "share", "jupyter", "kernels", "nnlab", "kernel.json");
    expect(r.stdout).toContain(`Installed kernelspec "nnlab" in ${join(prefix, "share", "jupyter", "kernels", "nnlab")}`);
    expect(r.stdout).toContain(`pick the kernel "TypeScript (nnlab)"`);
    const spec = JSON.parse(readFileSync(file, "utf8"));
    expect(spec.display_name).toBe("TypeScript (nnlab)");
    expect(spec.language).toBe("typescript");
    expect(spec.argv).toContain("{connection_file}");
    // The nbextension beside the kernelspec, with the plotly.js it loads, enabled in DIR/etc/jupyter.
    const ext = join(prefix, "share", "jupyter", "nbextensions", "nnlab-plotly");
    expect(readFileSync(join(ext, "main.js"), "utf8")).toContain("register_mime_type");
    expect(readFileSync(join(ext, "plotly.min.js"), "utf8").length).toBeGreaterThan(1_000_000);
    const conf = JSON.parse(readFileSync(join(prefix, "etc", "jupyter", "nbconfig", "notebook.d", "nnlab-plotly.json"), "utf8"));
    expect(conf).toEqual({ load_extensions: { "nnlab-plotly/main": true } });
    expect(r.stdout).toContain(`enabled in ${join(prefix, "etc", "jupyter", "nbconfig", "notebook.d", "nnlab-plotly.json")}`);
  });

  it("--user honours JUPYTER_DATA_DIR and JUPYTER_CONFIG_DIR (Jupyter's own overrides of ~/.local/share/jupyter, ~/.jupyter)", () => {
    const data = join(tmp, "user-data");
    const config = join(tmp, "user-config");
    rmSync(data, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
    const r = nnlab(["kernel", "install", "--user"], { JUPYTER_DATA_DIR: data, JUPYTER_CONFIG_DIR: config });
    expect(r.status).toBe(0);
    expect(existsSync(join(data, "kernels", "nnlab", "kernel.json"))).toBe(true);
    expect(existsSync(join(data, "nbextensions", "nnlab-plotly", "main.js"))).toBe(true);
    expect(existsSync(join(config, "nbconfig", "notebook.d", "nnlab-plotly.json"))).toBe(true);
  });

  it("--sys-prefix targets <sys.prefix>/share/jupyter and <sys.prefix>/etc/jupyter of /usr/bin/python3", () => {
    const python = process.env.NNLAB_PYTHON ?? "/usr/bin/python3";
    const prefix = spawnSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).stdout.trim();
    expect(dataDirFor({ scope: "sys-prefix" })).toBe(join(prefix, "share", "jupyter"));
    expect(configDirFor({ scope: "sys-prefix" })).toBe(join(prefix, "etc", "jupyter"));
  });

  it("refuses two scopes at once", () => {
    const r = nnlab(["kernel", "install", "--user", "--prefix", tmp]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("choose one of --user, --sys-prefix, --prefix DIR");
  });
});
