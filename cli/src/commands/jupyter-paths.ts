/**
 * Jupyter data folders for each install scope, and detection of the installed Jupyter front end.
 * Always the system Python: `python3` on PATH may be another one (pyenv) without Jupyter.
 */
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { SYSTEM_PYTHON } from "../kernel/spawn-jupyter";

export { SYSTEM_PYTHON };

/** ~/.local/share/jupyter, or $JUPYTER_DATA_DIR / $XDG_DATA_HOME/jupyter as Jupyter itself honours them. */
export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  const xdg = process.env.XDG_DATA_HOME;
  return join(xdg && xdg !== "" ? xdg : join(homedir(), ".local", "share"), "jupyter");
}

/** ~/.jupyter, or $JUPYTER_CONFIG_DIR, as Jupyter itself honours it (user-level nbconfig lives there). */
export function userConfigDir(): string {
  return process.env.JUPYTER_CONFIG_DIR || join(homedir(), ".jupyter");
}

function sysPrefix(python: string): string {
  const r = spawnSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" });
  if (r.status !== 0 || !r.stdout.trim()) {
    throw new Error(
      `cannot ask ${python} for sys.prefix (${r.error?.message ?? r.stderr.trim() ?? `exit ${r.status}`}); use --prefix DIR or --user instead`,
    );
  }
  return r.stdout.trim();
}

/** <sys.prefix>/share/jupyter of the system Python (where Debian's Jupyter looks). */
export function sysPrefixDataDir(python: string = SYSTEM_PYTHON): string {
  return join(sysPrefix(python), "share", "jupyter");
}

/** <sys.prefix>/etc/jupyter of the system Python (its nbconfig is read by every user's Notebook). */
export function sysPrefixConfigDir(python: string = SYSTEM_PYTHON): string {
  return join(sysPrefix(python), "etc", "jupyter");
}

export type JupyterApp = "jupyterlab" | "notebook" | "jupyter_server";

/** The Python module's version, or undefined when it cannot be imported. */
export function pythonModuleVersion(module: string, python: string = SYSTEM_PYTHON): string | undefined {
  const r = spawnSync(python, ["-c", `import ${module}; print(getattr(${module}, "__version__", "?"))`], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Notebook >= 7 runs on jupyter_server; 6.x is its own app (spawnJupyter's "notebook" module). */
export function isServerExtension(notebookVersion: string): boolean {
  const major = Number(notebookVersion.split(".")[0]);
  return Number.isFinite(major) && major >= 7;
}

/**
 * The richest installed front end: JupyterLab, then Notebook, then a bare Jupyter Server.
 * NNLAB_NO_JUPYTER=1 pretends none is installed (tests of the headless path).
 */
export function detectJupyter(python: string = SYSTEM_PYTHON): { app: JupyterApp; version: string } | undefined {
  if (process.env.NNLAB_NO_JUPYTER === "1") return undefined;
  for (const app of ["jupyterlab", "notebook", "jupyter_server"] as const) {
    const version = pythonModuleVersion(app, python);
    if (version !== undefined) return { app, version };
  }
  return undefined;
}
