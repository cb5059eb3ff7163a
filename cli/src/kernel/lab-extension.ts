/**
 * The prebuilt JupyterLab 4 extension @nnlab/jupyterlab-plotly (nnlab's plotly renderer, built in
 * lab/extension by @jupyterlab/builder), installed beside the kernelspec: JupyterLab loads every
 * <data dir>/labextensions/<name>/ on its Jupyter path, as `pip install` would have put it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./kernelspec";

export const LAB_EXTENSION_NAME = "@nnlab/jupyterlab-plotly";

/** The builder's output folder (package.json with jupyterlab._build, static/, install.json). */
export function labExtensionBuildDir(): string {
  return path.join(repoRoot(), "lab", "extension", "labextension");
}

/**
 * Copies the built extension to <dataDir>/labextensions/@nnlab/jupyterlab-plotly (replacing an
 * older copy, whose remoteEntry has another hash). Returns the folder, or undefined when the
 * extension is not built.
 */
export function installLabExtension(dataDir: string): string | undefined {
  const src = labExtensionBuildDir();
  if (!fs.existsSync(path.join(src, "package.json"))) return undefined;
  const dest = path.join(dataDir, "labextensions", ...LAB_EXTENSION_NAME.split("/"));
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(src, dest, { recursive: true });
  return dest;
}
