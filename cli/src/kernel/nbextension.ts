/**
 * The front-end side of nnlab's figures for classic Notebook 6 and nbclassic: the `nnlab-plotly`
 * nbextension (a renderer for application/vnd.plotly.v1+json) with the plotly.js it loads, in a
 * Jupyter data folder's nbextensions/, enabled by a file in a config folder's
 * nbconfig/notebook.d/. Written by hand, like the kernelspec, so no Python is needed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PLOTLY_FILE, plotlyJsPath } from "../html/plotly";
import { cliRoot, repoRoot } from "./kernelspec";

export const NBEXTENSION_NAME = "nnlab-plotly";
/** The require path classic Notebook loads (nbextensions/<it>.js). */
export const NBEXTENSION_REQUIRE = `${NBEXTENSION_NAME}/main`;

/** The project-local Jupyter config folder (JUPYTER_CONFIG_PATH entry) that `nnlab start` uses. */
export function projectConfigDir(): string {
  return path.join(repoRoot(), "out", "jupyter-config");
}

/** The extension's sources in this package. */
export function nbextensionSourceDir(): string {
  return path.join(cliRoot(), "nbextension", NBEXTENSION_NAME);
}

export interface NbextensionInstall {
  /** <dataDir>/nbextensions/nnlab-plotly */
  extensionDir: string;
  /** <configDir>/nbconfig/notebook.d/nnlab-plotly.json */
  configFile: string;
}

/**
 * Copies the extension and plotly.min.js into `<dataDir>/nbextensions/nnlab-plotly/` and enables
 * it in `<configDir>/nbconfig/notebook.d/nnlab-plotly.json` (the .d folder, so other extensions'
 * settings in notebook.json stay untouched).
 */
export function installNbextension(dataDir: string, configDir: string): NbextensionInstall {
  const extensionDir = path.join(dataDir, "nbextensions", NBEXTENSION_NAME);
  fs.mkdirSync(extensionDir, { recursive: true });
  for (const name of fs.readdirSync(nbextensionSourceDir())) {
    fs.copyFileSync(path.join(nbextensionSourceDir(), name), path.join(extensionDir, name));
  }
  fs.copyFileSync(plotlyJsPath(), path.join(extensionDir, PLOTLY_FILE));
  const confDir = path.join(configDir, "nbconfig", "notebook.d");
  fs.mkdirSync(confDir, { recursive: true });
  const configFile = path.join(confDir, `${NBEXTENSION_NAME}.json`);
  fs.writeFileSync(configFile, JSON.stringify({ load_extensions: { [NBEXTENSION_REQUIRE]: true } }, null, 2) + "\n");
  return { extensionDir, configFile };
}
