/**
 * The one Jupyter launcher, for tests and `nnlab start`: `python3 -m <module>` on a free port
 * with a fresh token, ready once /api/status answers.
 *
 * - `jupyter_server` serves JupyterLab, Notebook 7 and nnlab's own lab (they are its extensions);
 *   Debian's python3-jupyter-server has no `jupyter server` subcommand, hence `-m`.
 * - `notebook` is classic Notebook 6 (Debian's `jupyter-notebook`), its own Tornado app with
 *   NotebookApp options instead of ServerApp ones.
 *
 * Kernels and the process group: the server runs in its own process group (detached = setsid),
 * but jupyter_client starts every kernel in a new session of its own, so killing the server's
 * group does not kill the kernels. A running nnlab kernel (like ipykernel) then ends itself
 * within about a second, because its parent is gone (tslab/sockets.ts); one orphaned during its
 * first seconds of start-up, before that watch is set, lives on. So stop() does not rely on it:
 * it shuts the kernels down through the REST API first, then sends SIGTERM to the group, and
 * SIGKILL if the server hangs (SIGTERM during a kernel restart has been seen to hang it).
 * test/kernel/spawn-jupyter.test.ts checks these statements.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePorts } from "./connection";

/** The Python with Jupyter: the system one (`python3` on PATH may be a pyenv one without it); NNLAB_PYTHON overrides. */
export const SYSTEM_PYTHON = process.env.NNLAB_PYTHON ?? "/usr/bin/python3";

export type JupyterModule = "jupyter_server" | "notebook";

export interface SpawnJupyterOptions {
  module: JupyterModule;
  /** The app's own options beyond address, token and root (e.g. `--ServerApp.default_url=/lab`). */
  args?: string[];
  /** The folder the server serves: kernels started for path P run in rootDir/P. */
  rootDir: string;
  /** Prepended to JUPYTER_PATH (the folder holding kernels/nnlab, e.g. kernelspecDir()). */
  jupyterPath?: string;
  /** Prepended to JUPYTER_CONFIG_PATH (the folder holding nbconfig/, for the nbextensions). */
  configPath?: string;
  python?: string;
  port?: number;
  token?: string;
  env?: NodeJS.ProcessEnv;
  startupTimeoutMs?: number;
  /**
   * Default true: Jupyter's config folder is a private temp folder, so nothing under $HOME is read
   * or written (tests, CI). `nnlab start` passes false to keep a student's settings and workspaces.
   * Runtime files (connection files, cookie secret) always go to a private folder.
   */
  isolated?: boolean;
  /** Server log lines (its stdout and stderr). */
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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The command line: the address, token and root options are named after the module's app class. */
function commandLine(opts: SpawnJupyterOptions, port: number, token: string): string[] {
  const app = opts.module === "notebook" ? "NotebookApp" : "ServerApp";
  const root = opts.module === "notebook" ? "notebook_dir" : "root_dir";
  return [
    "-m",
    opts.module,
    "--no-browser",
    "--allow-root",
    `--${app}.ip=127.0.0.1`,
    `--${app}.port=${port}`,
    `--${app}.port_retries=0`,
    `--${app}.token=${token}`,
    `--${app}.${root}=${path.resolve(opts.rootDir)}`,
    ...(opts.args ?? []),
  ];
}

function environment(opts: SpawnJupyterOptions, scratch: string): NodeJS.ProcessEnv {
  const base = opts.env ?? process.env;
  const joined = (first: string | undefined, rest: string | undefined): string => [first, rest].filter(Boolean).join(path.delimiter);
  const env: NodeJS.ProcessEnv = { ...base, JUPYTER_RUNTIME_DIR: path.join(scratch, "runtime") };
  if (opts.isolated !== false) env.JUPYTER_CONFIG_DIR = path.join(scratch, "config");
  const jupyterPath = joined(opts.jupyterPath, base.JUPYTER_PATH);
  if (jupyterPath) env.JUPYTER_PATH = jupyterPath;
  const configPath = joined(opts.configPath, base.JUPYTER_CONFIG_PATH);
  if (configPath) env.JUPYTER_CONFIG_PATH = configPath;
  return env;
}

/** Polls /api/status until it answers; throws with the server's last log lines if it exits or is too slow. */
async function waitReady(url: string, token: string, deadlineMs: number, exited: () => boolean, describe: () => string): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (exited()) throw new Error(`exited during startup. ${describe()}`);
    try {
      if ((await fetch(`${url}/api/status`, { headers: { Authorization: `token ${token}` } })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}/api/status within ${deadlineMs / 1000} s. ${describe()}`);
    await sleep(100);
  }
}

/** Kernels run in sessions of their own (see above): shut them down through the API. */
async function shutdownKernels(url: string, token: string): Promise<void> {
  const headers = { Authorization: `token ${token}` };
  try {
    const res = await fetch(`${url}/api/kernels`, { headers, signal: AbortSignal.timeout(3000) });
    const kernels = (await res.json()) as { id: string }[];
    const remove = (id: string): Promise<unknown> =>
      fetch(`${url}/api/kernels/${id}`, { method: "DELETE", headers, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    await Promise.all(kernels.map((k) => remove(k.id)));
  } catch {
    // the server is already unresponsive: the signals below end it, and its kernels follow it
  }
}

export async function spawnJupyter(opts: SpawnJupyterOptions): Promise<JupyterServer> {
  const python = opts.python ?? SYSTEM_PYTHON;
  const port = opts.port ?? (await freePorts(1))[0]!;
  const token = opts.token ?? randomBytes(24).toString("hex");
  const url = `http://127.0.0.1:${port}`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "nnlab-jupyter-"));
  const child = spawn(python, commandLine(opts, port, token), { env: environment(opts, scratch), stdio: ["ignore", "pipe", "pipe"], detached: true });
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
    const done = (): void => {
      exited = true;
      resolve();
    };
    child.on("exit", done);
    child.on("error", done);
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
  const stop = async (): Promise<void> => {
    if (!exited) {
      await shutdownKernels(url, token);
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

  try {
    const describe = (): string => `Its log: ${logTail.trim().split("\n").slice(-5).join(" | ")}`;
    await waitReady(url, token, opts.startupTimeoutMs ?? 30_000, () => exited, describe);
  } catch (e) {
    await stop();
    throw new Error(`${python} -m ${opts.module} (root ${opts.rootDir}): ${(e as Error).message}`);
  }
  return { url, token, process: child, stop };
}
