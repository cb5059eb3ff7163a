/**
 * Starting a throw-away Jupyter Server for tests and `nnlab start`.
 *
 * Measured facts (docs/tslab.md, "Jupyter Server and classic Notebook"): Debian's python3-jupyter-server has no `jupyter server`
 * subcommand, so it runs as `python3 -m jupyter_server`; as root it needs `--allow-root`; 1.23
 * takes `--ServerApp.token`; ready after ≈0.8 s. It runs in its own process group (detached =
 * setsid) so a stuck server can be killed with everything it started; SIGTERM during a kernel
 * restart has been seen to hang it, hence the SIGKILL fallback.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePorts } from "./connection";

export const SYSTEM_PYTHON = "/usr/bin/python3";

export interface JupyterServerOptions {
  /** The server's root_dir: kernels started for path P run in rootDir/P. */
  rootDir: string;
  /** Prepended to JUPYTER_PATH (the folder holding kernels/nnlab, e.g. kernelspecDir()). */
  jupyterPath?: string;
  /** Prepended to JUPYTER_CONFIG_PATH (the folder holding nbconfig/, for nbclassic's nbextensions). */
  configPath?: string;
  /** Python with jupyter_server; default /usr/bin/python3 (the `python3` on PATH may lack it). */
  python?: string;
  port?: number;
  token?: string;
  env?: NodeJS.ProcessEnv;
  extraArgs?: string[];
  startupTimeoutMs?: number;
  /**
   * Default true: runtime files and config go to a private temp folder, so nothing under $HOME
   * is read or written (tests, CI). `nnlab start` for a student may pass false to keep the
   * user's Jupyter config and JupyterLab settings (they live under the config dir).
   */
  isolated?: boolean;
  /** Server log lines (stderr/stdout of the server process). */
  onLog?: (line: string) => void;
}

export interface JupyterServer {
  url: string;
  token: string;
  process: ChildProcess;
  /** Shuts down its kernels, then the server; SIGKILL to its process group if it hangs. */
  stop(): Promise<void>;
}

/** Whether `python` can import the given modules (e.g. "jupyter_server", "nbconvert"). */
export function pythonHasModules(modules: string[], python: string = SYSTEM_PYTHON): boolean {
  if (!fs.existsSync(python)) return false;
  const r = spawnSync(python, ["-c", modules.map((m) => `import ${m}`).join("; ")], { stdio: "ignore", timeout: 20_000 });
  return r.status === 0;
}

export function jupyterServerAvailable(python: string = SYSTEM_PYTHON): boolean {
  return pythonHasModules(["jupyter_server"], python);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startJupyterServer(opts: JupyterServerOptions): Promise<JupyterServer> {
  const python = opts.python ?? SYSTEM_PYTHON;
  const port = opts.port ?? (await freePorts(1))[0];
  const token = opts.token ?? randomBytes(24).toString("hex");
  const url = `http://127.0.0.1:${port}`;
  // Runtime (connection files, cookie secret) and config in a private temp folder unless
  // isolated is false: nothing under $HOME is read or written, a user's config cannot interfere.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "nnlab-jupyter-"));
  const baseEnv = opts.env ?? process.env;
  const jupyterPath = [opts.jupyterPath, baseEnv.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    ...(opts.isolated === false ? {} : { JUPYTER_RUNTIME_DIR: path.join(scratch, "runtime"), JUPYTER_CONFIG_DIR: path.join(scratch, "config") }),
    ...(jupyterPath ? { JUPYTER_PATH: jupyterPath } : {}),
  };
  const configPath = [opts.configPath, baseEnv.JUPYTER_CONFIG_PATH].filter(Boolean).join(path.delimiter);
  if (configPath) env.JUPYTER_CONFIG_PATH = configPath;
  const args = [
    "-m", "jupyter_server", "--no-browser", "--allow-root",
    "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0",
    `--ServerApp.token=${token}`, `--ServerApp.root_dir=${path.resolve(opts.rootDir)}`,
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(python, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let logTail = "";
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    logTail = (logTail + text).slice(-3000);
    if (opts.onLog) for (const line of text.split("\n")) if (line.trim()) opts.onLog(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.on("exit", () => {
      exited = true;
      resolve();
    });
    child.on("error", () => {
      exited = true;
      resolve();
    });
  });
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = (): void => killGroup("SIGKILL");
  process.on("exit", killOnExit);

  const headers = { Authorization: `token ${token}` };
  const deadline = Date.now() + (opts.startupTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) {
      process.off("exit", killOnExit);
      throw new Error(`startJupyterServer: ${python} -m jupyter_server exited during startup (root ${opts.rootDir}). Its log: ${logTail.trim().split("\n").slice(-5).join(" | ")}`);
    }
    try {
      const res = await fetch(`${url}/api/status`, { headers });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup("SIGKILL");
      process.off("exit", killOnExit);
      throw new Error(`startJupyterServer: no answer from ${url}/api/status within ${(opts.startupTimeoutMs ?? 30_000) / 1000} s. Log: ${logTail.trim().split("\n").slice(-5).join(" | ")}`);
    }
    await sleep(100);
  }

  const stop = async (): Promise<void> => {
    if (!exited) {
      // Kernels run in their own sessions: shut them down through the API, or they outlive us.
      try {
        const res = await fetch(`${url}/api/kernels`, { headers, signal: AbortSignal.timeout(3000) });
        const kernels = (await res.json()) as { id: string }[];
        await Promise.all(kernels.map((k) => fetch(`${url}/api/kernels/${k.id}`, { method: "DELETE", headers, signal: AbortSignal.timeout(5000) }).catch(() => undefined)));
      } catch {
        // server already unresponsive: fall through to signals
      }
      killGroup("SIGTERM");
      await Promise.race([exitedPromise, sleep(5000)]);
      if (!exited) {
        killGroup("SIGKILL");
        await Promise.race([exitedPromise, sleep(2000)]);
      }
    }
    process.off("exit", killOnExit);
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  return { url, token, process: child, stop };
}
