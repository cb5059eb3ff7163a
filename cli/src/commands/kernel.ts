/**
 * `nnlab kernel install`: register the "TypeScript (nnlab)" kernelspec where a Jupyter front end
 * looks for it. Written by hand (no `jupyter kernelspec install`), so no Python is needed.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DISPLAY_NAME, KERNEL_NAME, kernelspecDir, writeKernelspec } from "../kernel/kernelspec";
import type { Command } from "./command";
import { UsageError } from "./command";
import { sysPrefixDataDir, userDataDir } from "./jupyter-paths";
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

export function installKernel(target: InstallScope, grading = false): { specDir: string; dataDir: string } {
  const dataDir = dataDirFor(target);
  try {
    return { specDir: grading ? writeGradingKernelspec(dataDir) : writeKernelspec(dataDir), dataDir };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const hint = err.code === "EACCES" ? " (no permission: try --user, or --prefix DIR)" : "";
    throw new Error(`nnlab kernel install: cannot write the kernelspec under ${dataDir}: ${err.message}${hint}`);
  }
}

const usage = `usage: nnlab kernel install [--grading] [--user | --sys-prefix | --prefix DIR]

Writes the "${DISPLAY_NAME}" kernelspec (kernels/${KERNEL_NAME}/kernel.json).
  (default)       project-local: <repo>/out/jupyter; use it with JUPYTER_PATH=<repo>/out/jupyter
                  (nnlab start does this for you)
  --user          your Jupyter data folder (~/.local/share/jupyter): every Jupyter you start sees it
  --sys-prefix    <sys.prefix>/share/jupyter of /usr/bin/python3 (where Debian's Jupyter looks)
  --prefix DIR    DIR/share/jupyter (a virtualenv or conda prefix)
  --grading       write the "${GRADING_KERNEL_NAME}" kernelspec instead: the kernel inside the bubblewrap
                  grading sandbox, for a Jupyter Server used by nnlab grade --server`;

export const kernelCommand: Command = {
  name: "kernel",
  summary: "kernel install [--user|--sys-prefix|--prefix DIR]: register the TypeScript (nnlab) kernel",
  usage,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub !== "install") throw new UsageError(sub === undefined ? "missing subcommand" : `unknown subcommand ${JSON.stringify(sub)}`);
    const { values } = parseArgs({
      args: rest,
      options: { "user": { type: "boolean" }, "sys-prefix": { type: "boolean" }, "prefix": { type: "string" }, "grading": { type: "boolean" } },
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
    const { specDir, dataDir } = installKernel(target, values.grading === true);
    const lines = [`Installed kernelspec "${values.grading ? GRADING_KERNEL_NAME : KERNEL_NAME}" in ${specDir}`];
    if (target.scope === "project") {
      lines.push(`Jupyter finds it with JUPYTER_PATH=${dataDir} (nnlab start sets this); for every Jupyter, use --user.`);
    } else if (target.scope === "prefix") {
      lines.push(`Jupyter finds it when ${resolve(target.prefix)} is its sys.prefix, or with JUPYTER_PATH=${dataDir}.`);
    }
    lines.push(`In JupyterLab, Notebook or VS Code pick the kernel "${DISPLAY_NAME}".`);
    process.stdout.write(lines.join("\n") + "\n");
    return 0;
  },
};
