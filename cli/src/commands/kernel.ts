/**
 * `nnlab kernel install`: register the "TypeScript (nnlab)" kernelspec where a Jupyter front end
 * looks for it, and beside it the nnlab-plotly nbextension that draws figures in classic Notebook.
 * Written by hand (no `jupyter kernelspec install`), so no Python is needed.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DISPLAY_NAME, KERNEL_NAME, kernelspecDir, writeKernelspec } from "../kernel/kernelspec";
import { installLabExtension, LAB_EXTENSION_NAME } from "../kernel/lab-extension";
import { installNbextension, NBEXTENSION_NAME, projectConfigDir } from "../kernel/nbextension";
import type { Command } from "./command";
import { UsageError } from "./command";
import { sysPrefixConfigDir, sysPrefixDataDir, userConfigDir, userDataDir } from "./jupyter-paths";
import { GRADING_KERNEL_NAME, writeGradingKernelspec } from "../lessons/grading-kernelspec";

export type InstallScope = { scope: "project" } | { scope: "user" } | { scope: "sys-prefix" } | { scope: "prefix"; prefix: string };

/** The Jupyter data folder of a scope (the kernelspec goes to <it>/kernels/nnlab). */
export function dataDirFor(target: InstallScope): string {
  switch (target.scope) {
    case "project":
      return kernelspecDir();
    case "user":
      return userDataDir();
    case "sys-prefix":
      return sysPrefixDataDir();
    case "prefix":
      return join(resolve(target.prefix), "share", "jupyter");
  }
}

/** Runs one write into a Jupyter folder; a failure says what was being written and, when denied, what to do. */
function writing<T>(what: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const hint = err.code === "EACCES" ? " (no permission: try --user, or --prefix DIR)" : "";
    throw new Error(`nnlab kernel install: cannot write ${what}: ${err.message}${hint}`);
  }
}

/** Writes the grading kernelspec (the kernel inside the bubblewrap sandbox) in the scope's data folder. */
export function installGradingKernel(target: InstallScope): { specDir: string; dataDir: string } {
  const dataDir = dataDirFor(target);
  return { specDir: writing(`the ${GRADING_KERNEL_NAME} kernelspec under ${dataDir}`, () => writeGradingKernelspec(dataDir)), dataDir };
}

/** The Jupyter config folder of a scope (the nbextension is enabled in <it>/nbconfig/notebook.d). */
export function configDirFor(target: InstallScope): string {
  switch (target.scope) {
    case "project":
      return projectConfigDir();
    case "user":
      return userConfigDir();
    case "sys-prefix":
      return sysPrefixConfigDir();
    case "prefix":
      return join(resolve(target.prefix), "etc", "jupyter");
  }
}

export interface KernelInstall {
  specDir: string;
  dataDir: string;
  configDir: string;
  extensionDir: string;
  configFile: string;
  /** The JupyterLab extension's folder; undefined when it is not built. */
  labExtensionDir: string | undefined;
}

/** Writes the kernelspec and installs and enables the nbextension, in the scope's folders. */
export function installKernel(target: InstallScope): KernelInstall {
  const dataDir = dataDirFor(target);
  const configDir = configDirFor(target);
  const specDir = writing(`the kernelspec under ${dataDir}`, () => writeKernelspec(dataDir));
  const nbextension = writing(`the ${NBEXTENSION_NAME} nbextension under ${dataDir} and ${configDir}`, () => installNbextension(dataDir, configDir));
  const labExtensionDir = writing(`the JupyterLab extension ${LAB_EXTENSION_NAME} under ${dataDir}`, () => installLabExtension(dataDir));
  return { specDir, dataDir, configDir, ...nbextension, labExtensionDir };
}

const usage = `usage: nnlab kernel install [--grading] [--user | --sys-prefix | --prefix DIR]

Writes the "${DISPLAY_NAME}" kernelspec (kernels/${KERNEL_NAME}/kernel.json) and, in the same data
folder, the ${NBEXTENSION_NAME} nbextension that draws figures in classic Notebook and nbclassic
(nbextensions/${NBEXTENSION_NAME}/, with plotly.js), enabled in the matching config folder
(nbconfig/notebook.d/${NBEXTENSION_NAME}.json), and, when built, the JupyterLab 4 extension that
draws them in JupyterLab (labextensions/${LAB_EXTENSION_NAME}).
  (default)       project-local: data <repo>/out/jupyter, config <repo>/out/jupyter-config; use them
                  with JUPYTER_PATH=<repo>/out/jupyter JUPYTER_CONFIG_PATH=<repo>/out/jupyter-config
                  (nnlab start does this for you)
  --user          your Jupyter folders (~/.local/share/jupyter, ~/.jupyter): every Jupyter you start sees them
  --sys-prefix    <sys.prefix>/share/jupyter and <sys.prefix>/etc/jupyter of /usr/bin/python3
                  (where Debian's Jupyter looks)
  --prefix DIR    DIR/share/jupyter and DIR/etc/jupyter (a virtualenv or conda prefix)
  --grading       write only the "${GRADING_KERNEL_NAME}" kernelspec: the kernel inside the bubblewrap
                  grading sandbox, for a Jupyter Server used by nnlab grade --server`;

export const kernelCommand: Command = {
  usage,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub !== "install") throw new UsageError(sub === undefined ? "missing subcommand" : `unknown subcommand ${JSON.stringify(sub)}`);
    const { values } = parseArgs({
      args: rest,
      options: { user: { type: "boolean" }, "sys-prefix": { type: "boolean" }, prefix: { type: "string" }, grading: { type: "boolean" } },
    });
    const chosen = [values.user, values["sys-prefix"], values.prefix !== undefined].filter(Boolean).length;
    if (chosen > 1) throw new UsageError("choose one of --user, --sys-prefix, --prefix DIR");
    const target: InstallScope = values.user
      ? { scope: "user" }
      : values["sys-prefix"]
        ? { scope: "sys-prefix" }
        : values.prefix !== undefined
          ? { scope: "prefix", prefix: values.prefix }
          : { scope: "project" };
    if (values.grading === true) {
      const { specDir, dataDir } = installGradingKernel(target);
      process.stdout.write(
        `Installed kernelspec "${GRADING_KERNEL_NAME}" in ${specDir}\nA Jupyter Server finds it with JUPYTER_PATH=${dataDir} (or install it with --user / --sys-prefix).\n`,
      );
      return 0;
    }
    const { specDir, dataDir, configDir, extensionDir, configFile, labExtensionDir } = installKernel(target);
    const lines = [
      `Installed kernelspec "${KERNEL_NAME}" in ${specDir}`,
      `Installed the ${NBEXTENSION_NAME} nbextension (figures in classic Notebook) in ${extensionDir}, enabled in ${configFile}`,
      labExtensionDir
        ? `Installed the JupyterLab extension ${LAB_EXTENSION_NAME} (plotly figures) in ${labExtensionDir}`
        : `JupyterLab extension ${LAB_EXTENSION_NAME} not installed: it is not built (npm run build -w lab/extension)`,
    ];
    if (target.scope === "project") {
      lines.push(
        `Jupyter finds them with JUPYTER_PATH=${dataDir} JUPYTER_CONFIG_PATH=${configDir} (nnlab start sets these); for every Jupyter, use --user.`,
      );
    } else if (target.scope === "prefix") {
      lines.push(
        `Jupyter finds them when ${resolve(target.prefix)} is its sys.prefix, or with JUPYTER_PATH=${dataDir} JUPYTER_CONFIG_PATH=${configDir}.`,
      );
    }
    lines.push(`In JupyterLab, Notebook or VS Code pick the kernel "${DISPLAY_NAME}".`);
    process.stdout.write(lines.join("\n") + "\n");
    return 0;
  },
};
