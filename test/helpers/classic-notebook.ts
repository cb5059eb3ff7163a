// Classic Notebook 6 (Debian's jupyter-notebook) in Chromium, for the browser tests: whether it can
// run here, a real `python3 -m notebook` server with the project-local layout (`nnlab kernel
// install` into a data folder, the nbextension into a config folder, as `nnlab start` passes them),
// and opening a notebook until its kernel is connected. What a test then does and reads stays in it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { installNbextension, writeKernelspec } from "../../cli/src/kernel";
import { spawnJupyter, SYSTEM_PYTHON, type JupyterServer } from "../../cli/src/kernel/spawn-jupyter";
import { hasChromium, launchChromium, reportMissingChromium } from "./chromium";

const repo = resolve(__dirname, "..", "..");
const KERNEL = join(repo, "cli", "dist", "tslab", "kernel.js");
const KERNEL_LIB = join(repo, "kernel-lib", "dist", "index.js");

// Notebook 7 is also `import notebook`, but a Jupyter Server extension with another front end.
export const hasNotebook6: boolean =
  existsSync(SYSTEM_PYTHON) &&
  spawnSync(SYSTEM_PYTHON, ["-c", "import notebook, sys; sys.exit(0 if notebook.__version__.startswith('6.') else 1)"]).status === 0;

/**
 * Whether a classic Notebook browser test can run here; prints why not (call once per file).
 * `importsNnlab`: its notebooks import nnlab, so kernel-lib/dist must be built as well as cli/dist.
 */
export function classicNotebookAvailable(what: string, opts: { importsNnlab?: boolean } = {}): boolean {
  reportMissingChromium(what);
  if (!hasNotebook6) console.log(`${what} skipped: ${SYSTEM_PYTHON} has no classic Notebook 6 (apt-get install jupyter-notebook)`);
  const missing = [KERNEL, ...(opts.importsNnlab ? [KERNEL_LIB] : [])].filter((f) => !existsSync(f));
  if (missing.length > 0) console.log(`${what} skipped: ${missing.map((f) => relative(repo, f)).join(", ")} missing; run \`npm run build\` first`);
  return hasChromium && hasNotebook6 && missing.length === 0;
}

/** The text of a notebook for the nnlab kernel, one code cell per source, never run. */
export function nnlabNotebook(cells: string[]): string {
  return JSON.stringify(
    {
      cells: cells.map((source, i) => ({ cell_type: "code", execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source })),
      metadata: { kernelspec: { name: "nnlab", display_name: "TypeScript (nnlab)", language: "typescript" }, language_info: { name: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

export interface ClassicNotebook {
  server: JupyterServer;
  browser: Browser;
  /** The folder the server serves: the notebooks written at the start, and any a test adds. */
  notebooks: string;
  /** Opens a notebook in a new tab (logging its page errors) and waits until its kernel is connected. */
  open(name: string, viewport: { width: number; height: number }): Promise<Page>;
  /** Closes the browser, then stops the server and its kernels. */
  stop(): Promise<void>;
}

/**
 * A classic Notebook server on a fresh `dir` (emptied first) that serves `files` (name → text)
 * from dir/notebooks, and Chromium. `nbextension`: install nnlab-plotly, for figures.
 */
export async function startClassicNotebook(
  dir: string,
  files: Record<string, string>,
  opts: { nbextension?: boolean } = {},
): Promise<ClassicNotebook> {
  rmSync(dir, { recursive: true, force: true });
  const notebooks = join(dir, "notebooks");
  mkdirSync(notebooks, { recursive: true });
  const dataDir = join(dir, "jupyter");
  writeKernelspec(dataDir);
  const configDir = join(dir, "jupyter-config");
  if (opts.nbextension) installNbextension(dataDir, configDir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(notebooks, name), text);
  const server = await spawnJupyter({
    module: "notebook",
    rootDir: notebooks,
    jupyterPath: dataDir,
    ...(opts.nbextension ? { configPath: configDir } : {}),
  });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (e) {
    // afterAll only sees what beforeAll returned: without this the server would outlive the run.
    await server.stop();
    throw e;
  }
  return {
    server,
    browser,
    notebooks,
    async open(name, viewport) {
      const page = await browser.newPage({ viewport });
      page.on("pageerror", (e) => console.log(`[${name}] page error: ${e.message}`));
      await page.goto(`${server.url}/notebooks/${name}?token=${server.token}`);
      await waitNotebookLoaded(page);
      return page;
    },
    async stop() {
      await browser.close();
      await server.stop();
    },
  };
}

/** Waits until the page's notebook is loaded and its kernel connected (after opening, a reload, a restart). */
export async function waitNotebookLoaded(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const nb = (window as unknown as { Jupyter?: { notebook?: { _fully_loaded?: boolean; kernel?: { is_connected(): boolean } } } }).Jupyter
        ?.notebook;
      return nb?._fully_loaded === true && nb.kernel?.is_connected() === true;
    },
    undefined,
    { timeout: 60_000 },
  );
}
