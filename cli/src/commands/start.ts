/**
 * `nnlab start` (what `npm start` runs): JupyterLab on notebooks/ when a Jupyter front end is
 * installed, with the nnlab kernel registered project-locally; otherwise every notebook executed
 * headless into a browsable site under out/site.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  installNbextension,
  KERNEL_NAME,
  kernelspecDir,
  nnlabLabMissing,
  projectConfigDir,
  repoRoot,
  spawnJupyter,
  startNnlabLab,
  writeKernelspec,
} from "../kernel";
import type { Command } from "./command";
import { parseSeconds, UsageError } from "./command";
import type { JupyterApp } from "./jupyter-paths";
import { detectJupyter, isServerExtension, pythonModuleVersion } from "./jupyter-paths";
import type { RunSummary } from "./run";
import type { SiteOptions } from "./site";
import { buildSite } from "./site";

export const INSTALL_HINT =
  "For the interactive notebooks, on Debian/Ubuntu `apt-get install python3-jupyter-server python3-jupyterlab-server` " +
  "(nnlab serves its own JupyterLab on them), or install JupyterLab for /usr/bin/python3: `pip install jupyterlab` " +
  "(another Python: set NNLAB_PYTHON to it), then run `npm start` again.";

/** timeoutMs and clientFactory go on to the headless run; log also gets start's own progress lines. */
export interface StartOptions extends Pick<SiteOptions, "clientFactory" | "timeoutMs" | "log"> {
  notebooksDir?: string;
  /** Site output folder (headless mode); default <repo>/out/site. */
  outDir?: string;
  /** Skip Jupyter even if installed. */
  headless?: boolean;
  port?: number;
}

/**
 * What `nnlab start` opened: an installed front end, or "nnlab-lab", the JupyterLab 4 built from
 * npm in lab/ and served by the installed Jupyter Server (where it has no UI of its own).
 */
export type StartApp = JupyterApp | "nnlab-lab";

export type StartHandle =
  | { mode: "jupyter"; app: StartApp; url: string; token: string; stop(): Promise<void> }
  | { mode: "site"; index: string; summary: RunSummary; stop(): Promise<void> };

function notebooksDirOf(dir: string | undefined): string {
  return resolve(dir ?? join(repoRoot(), "notebooks"));
}

export async function start(options: StartOptions = {}): Promise<StartHandle> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const notebooksDir = notebooksDirOf(options.notebooksDir);
  if (!existsSync(notebooksDir) || !statSync(notebooksDir).isDirectory()) {
    throw new Error(`the notebooks folder ${notebooksDir} does not exist; pass --notebooks DIR`);
  }
  const ui = process.env.NNLAB_UI;
  if (ui !== undefined && ui !== "" && ui !== "lab" && ui !== "notebook") {
    throw new Error(
      `NNLAB_UI=${ui} is not known: "lab" opens nnlab's own JupyterLab, "notebook" the installed front end even where it is ` +
        "classic Notebook 6 or a JupyterLab without jupyterlab_widgets; unset: JupyterLab with jupyterlab_widgets, then nnlab's JupyterLab, " +
        "then Notebook, then Jupyter Server",
    );
  }
  const jupyter = options.headless ? undefined : detectJupyter();
  if (jupyter) {
    const jupyterPath = kernelspecDir();
    const configPath = projectConfigDir();
    writeKernelspec(jupyterPath);
    // Figures in classic Notebook / nbclassic are drawn by the nnlab-plotly nbextension.
    installNbextension(jupyterPath, configPath);
    // A bare Jupyter Server has no UI: serve nnlab's JupyterLab on it. Classic Notebook 6 has one,
    // but its widgets (Debian's ipywidgets 6) cannot show the chapters' sliders, which nnlab's
    // JupyterLab does: that wins unless NNLAB_UI=notebook asks for the classic one (docs/widgets.md).
    const classic = jupyter.app === "notebook" && !isServerExtension(jupyter.version);
    // An installed JupyterLab draws widgets only with jupyterlab_widgets (pip's ipywidgets 8 brings
    // it; a bare `pip install jupyterlab` does not): without it the chapters' sliders show as text.
    const labWithoutWidgets = jupyter.app === "jupyterlab" && pythonModuleVersion("jupyterlab_widgets") === undefined;
    if (ui === "lab" || jupyter.app === "jupyter_server" || ((classic || labWithoutWidgets) && ui !== "notebook")) {
      const missing = nnlabLabMissing();
      if (missing === undefined) {
        if (labWithoutWidgets && ui !== "lab") {
          log(
            `JupyterLab ${jupyter.version} is installed without jupyterlab_widgets, so the chapters' sliders would not show there ` +
              "(pip install jupyterlab_widgets, or NNLAB_UI=notebook to open it anyway)",
          );
        }
        log(
          `starting nnlab's JupyterLab (JupyterLab 4 from npm, lab/) on ${jupyter.app} ${jupyter.version} on ${notebooksDir} (kernel "${KERNEL_NAME}" from ${jupyterPath}) …`,
        );
        const server = await startNnlabLab({ rootDir: notebooksDir, jupyterPath, isolated: false, ...(options.port ? { port: options.port } : {}) });
        return { mode: "jupyter", app: "nnlab-lab", url: server.url, token: server.token, stop: () => server.stop() };
      }
      if (ui === "lab") throw new Error(`NNLAB_UI=lab: nnlab's JupyterLab cannot start: ${missing}`);
      log(
        classic
          ? `nnlab's JupyterLab cannot start (${missing}): opening classic Notebook ${jupyter.version}, where the chapters' sliders do not show`
          : labWithoutWidgets
            ? `nnlab's JupyterLab cannot start (${missing}): opening JupyterLab ${jupyter.version}, where the chapters' sliders do not show without jupyterlab_widgets`
            : `nnlab's JupyterLab cannot start (${missing}): serving Jupyter Server without a UI`,
      );
    }
    log(`starting ${jupyter.app} ${jupyter.version} on ${notebooksDir} (kernel "${KERNEL_NAME}" from ${jupyterPath}) …`);
    if (jupyter.app === "notebook" && !isServerExtension(jupyter.version)) {
      const server = await spawnJupyter({
        module: "notebook",
        rootDir: notebooksDir,
        jupyterPath,
        configPath,
        isolated: false,
        ...(options.port ? { port: options.port } : {}),
      });
      return { mode: "jupyter", app: jupyter.app, url: server.url, token: server.token, stop: () => server.stop() };
    }
    // JupyterLab and Notebook 7 are jupyter_server extensions: the plain server loads them (their
    // enabling config lives in sys.prefix/etc/jupyter), so the one launcher serves all three.
    const defaultUrl =
      jupyter.app === "jupyterlab" ? ["--ServerApp.default_url=/lab"] : jupyter.app === "notebook" ? ["--ServerApp.default_url=/tree"] : [];
    const server = await spawnJupyter({
      module: "jupyter_server",
      rootDir: notebooksDir,
      jupyterPath,
      configPath,
      args: defaultUrl,
      // A student's JupyterLab settings and workspaces must outlive the session.
      isolated: false,
      ...(options.port ? { port: options.port } : {}),
    });
    return { mode: "jupyter", app: jupyter.app, url: server.url, token: server.token, stop: () => server.stop() };
  }
  const outDir = resolve(options.outDir ?? join(repoRoot(), "out", "site"));
  log(
    options.headless
      ? "headless mode: running every notebook"
      : process.env.NNLAB_NO_JUPYTER === "1"
        ? "NNLAB_NO_JUPYTER=1: not using Jupyter, as asked; running every notebook headless"
        : "no JupyterLab, Notebook or Jupyter Server found: running every notebook headless",
  );
  const { index, summary } = await buildSite({
    notebooksDir,
    outDir,
    ...(options.headless ? {} : { note: INSTALL_HINT }),
    ...(options.clientFactory ? { clientFactory: options.clientFactory } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    log,
  });
  return { mode: "site", index, summary, stop: async () => undefined };
}

/** The URL a person opens: with the token, and the Lab UI path when it is JupyterLab. */
export function openUrl(h: { app: StartApp; url: string; token: string }): string {
  const base = h.url.endsWith("/") ? h.url : `${h.url}/`;
  const path = h.app === "jupyterlab" || h.app === "nnlab-lab" ? "lab" : h.app === "notebook" ? "tree" : "";
  return `${base}${path}?token=${encodeURIComponent(h.token)}`;
}

/** Kernelspec names the server offers (GET /api/kernelspecs). */
export async function serverKernelspecs(url: string, token: string): Promise<string[]> {
  const base = url.endsWith("/") ? url : `${url}/`;
  const res = await fetch(`${base}api/kernelspecs`, { headers: { Authorization: `token ${token}` } });
  if (!res.ok) throw new Error(`GET ${base}api/kernelspecs: HTTP ${res.status}`);
  const body = (await res.json()) as { kernelspecs?: Record<string, unknown> };
  return Object.keys(body.kernelspecs ?? {});
}

const usage = `usage: nnlab start [options]

With JupyterLab (or Notebook, or Jupyter Server) installed for /usr/bin/python3: registers the
"TypeScript (nnlab)" kernel project-locally and starts it on the notebooks folder.
Without: runs every notebook headless and writes a browsable site (index.html).

options:
  --headless          build the site even if Jupyter is installed
  --notebooks DIR     the notebooks folder (default: <repo>/notebooks)
  --out DIR           site output folder (default: <repo>/out/site)
  --port N            Jupyter port (default: a free one)
  --timeout S         per-cell limit in seconds in headless mode (default 120)
  --exit-after-ready  start Jupyter, check it lists the nnlab kernel, stop (a smoke test)
  --no-browser        do not open a browser (the default; accepted for familiarity)

Which UI: an installed JupyterLab with jupyterlab_widgets; else nnlab's own JupyterLab (JupyterLab 4
built from npm in lab/, served by the installed Jupyter Server; needs jupyterlab_server: Debian
python3-jupyterlab-server), which shows the chapters' sliders where classic Notebook 6 and a JupyterLab
without jupyterlab_widgets cannot; else Notebook; else Jupyter Server.

env: NNLAB_NO_JUPYTER=1 behaves as if Jupyter were not installed; NNLAB_PYTHON picks the Python;
     NNLAB_UI=lab opens nnlab's JupyterLab even where JupyterLab is installed;
     NNLAB_UI=notebook opens the installed front end even where it is classic Notebook 6 or a
     JupyterLab without jupyterlab_widgets.`;

export const startCommand: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        headless: { type: "boolean" },
        notebooks: { type: "string" },
        out: { type: "string" },
        port: { type: "string" },
        timeout: { type: "string" },
        "exit-after-ready": { type: "boolean" },
        "no-browser": { type: "boolean" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
      throw new UsageError(`--port takes a port number, got ${JSON.stringify(values.port)}`);
    const timeoutS = parseSeconds("--timeout", values.timeout);
    // `npm start --headless` hands the flag to npm, which passes it on only as npm_config_headless.
    const headless = values.headless === true || process.env.npm_config_headless === "true";
    const handle = await start({
      ...(headless ? { headless: true } : {}),
      ...(values.notebooks !== undefined ? { notebooksDir: values.notebooks } : {}),
      ...(values.out !== undefined ? { outDir: values.out } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
    });
    if (handle.mode === "site") {
      const failed = handle.summary.notebooks.filter((n) => !n.ok);
      const lines = [
        `Site written: ${handle.index}`,
        `  open file://${handle.index} in a browser`,
        `  ${handle.summary.notebooks.length - failed.length}/${handle.summary.notebooks.length} notebooks ran without error in ${handle.summary.seconds.toFixed(1)} s`,
        ...failed.map((n) => `  FAILED ${n.error ?? n.notebook}`),
      ];
      if (!headless) lines.push(INSTALL_HINT);
      process.stdout.write(lines.join("\n") + "\n");
      return failed.length > 0 ? 1 : 0;
    }
    if (handle.app === "jupyter_server") {
      process.stdout.write(
        `Jupyter (jupyter_server) is running at:\n  ${openUrl(handle)}\n` +
          `It has no notebook UI (only Jupyter Server is installed). Connect VS Code to it ("Existing Jupyter Server",\n` +
          `  URL ${handle.url}/?token=${handle.token}), or run notebooks through it:\n` +
          `  nnlab run --server ${handle.url} --token ${handle.token} --server-root ${notebooksDirOf(values.notebooks)} <notebook.ipynb>\n` +
          `${INSTALL_HINT}\nStop with Ctrl-C.\n`,
      );
    } else if (handle.app === "nnlab-lab") {
      process.stdout.write(
        `Jupyter (nnlab-lab) is running at:\n  ${openUrl(handle)}\n` +
          `This is nnlab's JupyterLab: JupyterLab 4 built from npm (lab/), served by the installed Jupyter Server; it draws\n` +
          `the chapters' sliders (NNLAB_UI=notebook opens classic Notebook instead, where installed). Pick the kernel\n` +
          `"TypeScript (nnlab)". Stop with Ctrl-C.\n`,
      );
    } else {
      process.stdout.write(`Jupyter (${handle.app}) is running at:\n  ${openUrl(handle)}\nPick the kernel "TypeScript (nnlab)". Stop with Ctrl-C.\n`);
    }
    if (values["exit-after-ready"]) {
      try {
        const specs = await serverKernelspecs(handle.url, handle.token);
        process.stdout.write(`kernelspecs: ${specs.join(", ")}\n`);
        if (!specs.includes(KERNEL_NAME)) {
          process.stderr.write(`nnlab start: the server does not list the "${KERNEL_NAME}" kernel\n`);
          return 1;
        }
        if (handle.app === "nnlab-lab") {
          const page = await fetch(openUrl(handle));
          const html = await page.text();
          if (!page.ok || !html.includes("bundle.js")) {
            process.stderr.write(`nnlab start: ${handle.url}/lab answered HTTP ${page.status} without the JupyterLab bundle\n`);
            return 1;
          }
          process.stdout.write(`lab page: ${handle.url}/lab serves the JupyterLab bundle\n`);
        }
        return 0;
      } finally {
        await handle.stop();
      }
    }
    await new Promise<void>((resolveStop) => {
      const onSignal = (): void => {
        process.stderr.write("stopping Jupyter …\n");
        resolveStop();
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
    });
    await handle.stop();
    return 0;
  },
};
