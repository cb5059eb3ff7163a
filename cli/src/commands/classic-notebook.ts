/**
 * Classic Notebook 6 (Debian's `jupyter-notebook` package) is its own Tornado app, not a
 * jupyter_server extension, and takes NotebookApp options: it needs its own launcher.
 * Notebook 7 and JupyterLab are served by startJupyterServer.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { freePorts } from "../kernel";
import { SYSTEM_PYTHON } from "./jupyter-paths";

/** Notebook ≥ 7 runs on jupyter_server; 6.x is standalone. */
export function isServerExtension(notebookVersion: string): boolean {
  const major = Number(notebookVersion.split(".")[0]);
  return Number.isFinite(major) && major >= 7;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startClassicNotebook(opts: {
  rootDir: string;
  jupyterPath: string;
  /** Prepended to JUPYTER_CONFIG_PATH (the folder holding nbconfig/notebook.d, e.g. projectConfigDir()). */
  configPath?: string;
  port?: number;
  python?: string;
  timeoutMs?: number;
}): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  const python = opts.python ?? SYSTEM_PYTHON;
  const port = opts.port ?? (await freePorts(1))[0]!;
  const token = randomBytes(24).toString("hex");
  const url = `http://127.0.0.1:${port}`;
  const scratch = mkdtempSync(join(tmpdir(), "nnlab-notebook-"));
  const env = {
    ...process.env,
    JUPYTER_PATH: [opts.jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
    JUPYTER_CONFIG_PATH: [opts.configPath, process.env.JUPYTER_CONFIG_PATH].filter(Boolean).join(delimiter),
    JUPYTER_RUNTIME_DIR: join(scratch, "runtime"),
  };
  const args = [
    "-m", "notebook", "--no-browser", "--allow-root",
    "--NotebookApp.ip=127.0.0.1", `--NotebookApp.port=${port}`, "--NotebookApp.port_retries=0",
    `--NotebookApp.token=${token}`, `--NotebookApp.notebook_dir=${resolve(opts.rootDir)}`,
  ];
  // Own process group, so stop() also ends the kernels it started.
  const child = spawn(python, args, { env, stdio: ["ignore", "ignore", "pipe"], detached: true });
  let log = "";
  child.stderr?.on("data", (b: Buffer) => (log = (log + b.toString()).slice(-2000)));
  let exited = false;
  const exit = new Promise<void>((r) => child.on("exit", () => {
    exited = true;
    r();
  }));
  const kill = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = (): void => kill("SIGKILL");
  process.on("exit", killOnExit);
  const stop = async (): Promise<void> => {
    kill("SIGTERM");
    await Promise.race([exit, sleep(5000)]);
    if (!exited) kill("SIGKILL");
    process.off("exit", killOnExit);
    rmSync(scratch, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`${python} -m notebook did not come up on ${url}: ${log.trim().split("\n").slice(-5).join(" | ")}`);
    }
    try {
      if ((await fetch(`${url}/api/status`, { headers: { Authorization: `token ${token}` } })).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  return { url, token, stop };
}
