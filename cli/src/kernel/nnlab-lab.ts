/**
 * nnlab's own JupyterLab (lab/ in the repository): JupyterLab 4's front end built from npm,
 * served by the system's Jupyter Server through jupyterlab_server, with the server extension
 * lab/python/nnlab_lab loaded from PYTHONPATH (nothing is pip-installed). What `nnlab start`
 * opens where Jupyter Server is installed but JupyterLab is not, and what the lab tests drive.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pythonHasModules, spawnJupyter, SYSTEM_PYTHON, type JupyterServer, type SpawnJupyterOptions } from "./spawn-jupyter";
import { repoRoot } from "./kernelspec";

export function nnlabLabDir(): string {
  return path.join(repoRoot(), "lab");
}

/** Why nnlab's JupyterLab cannot start here, or undefined when it can. */
export function nnlabLabMissing(python: string = SYSTEM_PYTHON): string | undefined {
  if (!pythonHasModules(["jupyter_server", "jupyterlab_server"], python)) {
    return `${python} cannot import jupyter_server and jupyterlab_server (Debian: apt-get install python3-jupyter-server python3-jupyterlab-server)`;
  }
  const bundle = path.join(nnlabLabDir(), "build", "static", "bundle.js");
  if (!fs.existsSync(bundle)) return `the front end is not built (${bundle} is missing): run \`npm run build -w lab\``;
  return undefined;
}

/** Starts Jupyter Server with nnlab's JupyterLab as its default UI at /lab. */
export async function startNnlabLab(opts: Omit<SpawnJupyterOptions, "module">): Promise<JupyterServer> {
  const baseEnv = opts.env ?? process.env;
  const pythonPath = [path.join(nnlabLabDir(), "python"), baseEnv.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return spawnJupyter({
    ...opts,
    module: "jupyter_server",
    env: { ...baseEnv, PYTHONPATH: pythonPath },
    args: ["--ServerApp.jpserver_extensions=nnlab_lab=True", "--ServerApp.default_url=/lab", ...(opts.args ?? [])],
  });
}
