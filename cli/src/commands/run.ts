/**
 * `nnlab run`: execute notebooks headless, each in a fresh kernel, and write the executed .ipynb
 * plus an HTML rendering. Progress goes to stderr; the summary can be written as JSON.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { KernelClient } from "../kernel/client";
import { clearOutputs, executeInPlace, oneLine, readNotebook, writeNotebook } from "../notebook";
import type { CellRecord, ExecuteInPlaceResult, Notebook } from "../notebook";
import { hasFigures, notebookTitle, PLOTLY_FILE, plotlyJsPath, renderNotebookHtml } from "../html";
import { createKernelClient } from "./backend";
import type { ServerTarget } from "./backend";
import type { Command } from "./command";
import { parseSeconds, UsageError } from "./command";

export interface RunOptions {
  /** Where executed notebooks and HTML go (default: out/run under the current folder). */
  outDir?: string;
  /** Use a running Jupyter server instead of spawning kernels directly. */
  server?: ServerTarget;
  /** Default per-cell limit (cell metadata nnlab.timeout overrides it). */
  timeoutMs?: number;
  allowErrors?: boolean;
  /** Also write the summary as JSON to this file. */
  jsonFile?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** Makes the kernel client for a notebook (tests inject fakes); default: direct or server back end. */
  clientFactory?: (notebookPath: string) => KernelClient;
  /** Link from each page back to an index (the headless site). */
  indexHref?: string;
  /**
   * Inline plotly.js in every page with figures (one file to mail). Default: pages share one
   * plotly.min.js written beside them.
   */
  standalone?: boolean;
}

export interface NotebookSummary {
  notebook: string;
  title: string;
  ipynb?: string;
  html?: string;
  ok: boolean;
  /** All cells, and code cells among them. */
  cells: number;
  codeCells: number;
  ran: number;
  failures: number;
  seconds: number;
  kernelStartSeconds?: number;
  /** The message naming the notebook, cell and error, when something failed. */
  error?: string;
  failedCell?: CellRecord;
  cellRecords?: CellRecord[];
}

export interface RunSummary {
  ok: boolean;
  seconds: number;
  notebooks: NotebookSummary[];
}

const HEARTBEAT_MS = 15_000;

/** Kernels of runs in progress, shut down on Ctrl-C (a kernel takes SIGINT as "interrupt" and would survive). */
const activeClients = new Set<KernelClient>();

function shutdownOnSignals(): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: shutting down ${activeClients.size} kernel(s)\n`);
    const done = Promise.all([...activeClients].map((c) => c.shutdown().catch(() => undefined)));
    const limit = new Promise((r) => setTimeout(r, 5000).unref());
    void Promise.race([done, limit]).then(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

function failureMessage(name: string, f: CellRecord, notRun: number, allowErrors: boolean): string {
  const hint = f.status === "timeout" ? "; raise --timeout, or the cell's metadata nnlab.timeout" : "";
  const what = `${f.ename}: ${oneLine(f.evalue ?? "")}${hint}`;
  const rest = !allowErrors && notRun > 0 ? ` (${notRun} later code cell${notRun === 1 ? "" : "s"} not run; --allow-errors runs them anyway)` : "";
  return `${name}: cell ${f.cell} failed (\`${f.firstLine}\`): ${what}${rest}`;
}

function uniqueStem(file: string, used: Set<string>): string {
  let stem = basename(file).replace(/\.ipynb$/i, "");
  if (used.has(stem)) stem = `${basename(dirname(resolve(file)))}-${stem}`;
  for (let n = 2; used.has(stem); n++) stem = `${stem}-${n}`;
  used.add(stem);
  return stem;
}

/** Reads the notebook without its old outputs; a file that cannot be read fails its summary. */
function loadNotebook(file: string, summary: NotebookSummary): Notebook | undefined {
  try {
    const nb = clearOutputs(readNotebook(file));
    summary.title = notebookTitle(nb) ?? summary.title;
    summary.cells = nb.cells.length;
    summary.codeCells = nb.cells.filter((c) => c.cell_type === "code").length;
    return nb;
  } catch (e) {
    summary.error = (e as Error).message;
    summary.failures = 1;
    return undefined;
  }
}

/** Starts the client's kernel, timing the start, with an error that names the notebook. */
async function startKernel(client: KernelClient, name: string, summary: NotebookSummary, log: (l: string) => void): Promise<void> {
  const k0 = Date.now();
  try {
    await client.start();
  } catch (e) {
    throw new Error(`${name}: the kernel did not start: ${(e as Error).message}`);
  }
  summary.kernelStartSeconds = (Date.now() - k0) / 1000;
  log(`${name}: kernel ready in ${summary.kernelStartSeconds.toFixed(1)}s`);
}

/** executeInPlace with progress lines; a long cell (training) says it is still running, so a silent minute is not mistaken for a hang. */
async function executeWithProgress(
  nb: Notebook,
  client: KernelClient,
  name: string,
  options: RunOptions,
  log: (l: string) => void,
): Promise<ExecuteInPlaceResult> {
  let heartbeat: NodeJS.Timeout | undefined;
  return executeInPlace(nb, client, {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    allowErrors: options.allowErrors ?? false,
    onCellStart: (cell, total) => {
      const began = Date.now();
      clearInterval(heartbeat);
      heartbeat = setInterval(() => log(`${name}: cell ${cell}/${total} running ${Math.round((Date.now() - began) / 1000)}s`), HEARTBEAT_MS);
    },
    onProgress: (p) => {
      clearInterval(heartbeat);
      log(`${name}: cell ${p.cell}/${p.totalCells} ${p.status} ${(p.durationMs / 1000).toFixed(1)}s`);
    },
  }).finally(() => clearInterval(heartbeat));
}

/** Copies the execution's outcome into the summary, with the message naming the first failing cell. */
function summarizeExecution(summary: NotebookSummary, result: ExecuteInPlaceResult, name: string, allowErrors: boolean): void {
  summary.cellRecords = result.cells;
  summary.ran = result.ran;
  summary.failures = result.failures;
  if (!result.firstFailure) return;
  const notRun = result.cells.filter((r) => r.status === "not-run").length;
  summary.failedCell = result.firstFailure;
  summary.error = failureMessage(name, result.firstFailure, notRun, allowErrors);
  if (result.failures > 1) summary.error += ` (${result.failures} failing cells in all)`;
}

/** Writes the executed notebook and its HTML page into the output folder. */
function writeRunOutputs(nb: Notebook, summary: NotebookSummary, stem: string, options: RunOptions): void {
  const name = basename(summary.notebook);
  const out = resolve(options.outDir ?? join("out", "run"));
  mkdirSync(out, { recursive: true });
  summary.ipynb = join(out, `${stem}.ipynb`);
  summary.html = join(out, `${stem}.html`);
  writeNotebook(summary.ipynb, nb);
  // summary.error already starts with the notebook's name.
  const status = summary.ok
    ? `${name}: ${summary.ran} code cells ran without error in ${summary.seconds.toFixed(1)} s`
    : `${summary.error ?? `${name}: failed`} (${summary.seconds.toFixed(1)} s)`;
  // One copy of plotly.js per output folder, shared by its pages (rewritten, so an upgraded
  // plotly.js-dist-min replaces an old copy).
  if (hasFigures(nb) && !options.standalone) copyFileSync(plotlyJsPath(), join(out, PLOTLY_FILE));
  writeFileSync(
    summary.html,
    renderNotebookHtml(nb, {
      cells: summary.cellRecords ?? [],
      summary: status,
      plotly: options.standalone ? "inline" : { href: PLOTLY_FILE },
      ...(options.indexHref ? { indexHref: options.indexHref } : {}),
    }),
  );
}

/** One notebook in a fresh kernel: read, start, execute, write; a failure is in the summary, never thrown. */
async function runOne(file: string, stem: string, options: RunOptions, log: (l: string) => void): Promise<NotebookSummary> {
  const name = basename(file);
  const t0 = Date.now();
  const summary: NotebookSummary = { notebook: file, title: name, ok: false, cells: 0, codeCells: 0, ran: 0, failures: 0, seconds: 0 };
  const nb = loadNotebook(file, summary);
  if (!nb) {
    log(summary.error!);
    return summary;
  }
  const client = (options.clientFactory ?? ((p: string) => createKernelClient(p, options.server)))(resolve(file));
  activeClients.add(client);
  try {
    await startKernel(client, name, summary, log);
    summarizeExecution(summary, await executeWithProgress(nb, client, name, options, log), name, options.allowErrors ?? false);
  } catch (e) {
    summary.error = (e as Error).message;
    summary.failures = Math.max(1, summary.failures);
  } finally {
    await client.shutdown().catch(() => undefined);
    activeClients.delete(client);
  }
  summary.seconds = (Date.now() - t0) / 1000;
  summary.ok = summary.failures === 0 && summary.error === undefined;
  summary.cellRecords ??= [];
  writeRunOutputs(nb, summary, stem, options);
  if (summary.error) log(summary.error);
  log(
    `${name}: ${summary.ok ? "ok" : "FAILED"} ${summary.ran}/${summary.codeCells} code cells, ${summary.seconds.toFixed(1)}s -> ${relative(process.cwd(), summary.html!)}`,
  );
  return summary;
}

/** Runs notebooks one after another (each in its own kernel). Never throws for a notebook failure. */
export async function runNotebooks(files: string[], options: RunOptions = {}): Promise<RunSummary> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const t0 = Date.now();
  const used = new Set<string>();
  const out = resolve(options.outDir ?? join("out", "run"));
  for (const file of files) {
    if (dirname(resolve(file)) === out) {
      throw new Error(`${file}: --out ${out} is the notebook's own folder; the executed copy would overwrite it. Choose another --out.`);
    }
  }
  const notebooks: NotebookSummary[] = [];
  for (const file of files) notebooks.push(await runOne(file, uniqueStem(file, used), options, log));
  const summary: RunSummary = { ok: notebooks.every((n) => n.ok), seconds: (Date.now() - t0) / 1000, notebooks };
  if (options.jsonFile) {
    mkdirSync(dirname(resolve(options.jsonFile)), { recursive: true });
    writeFileSync(options.jsonFile, JSON.stringify(summary, null, 2) + "\n");
  }
  return summary;
}

const usage = `usage: nnlab run <notebook.ipynb…> [options]

Executes each notebook in a fresh kernel, cell by cell, and writes the executed notebook and an
HTML rendering of it. Exit code 1 if any cell fails.

options:
  --out DIR         where to write <name>.ipynb and <name>.html (default: out/run)
  --server URL      run on a Jupyter server instead of a directly spawned kernel
  --token TOKEN     the server's token (with --server; default $JUPYTER_TOKEN)
  --server-root DIR the local folder the server serves: kernels then start in each notebook's folder
  --timeout S       per-cell time limit in seconds (default 120; cell metadata nnlab.timeout overrides)
  --allow-errors    keep running after a failing cell (default: stop there)
  --json FILE       also write the run summary as JSON
  --standalone      put plotly.js inside each HTML page that has figures (a single file to mail);
                    by default the pages share one plotly.min.js written beside them`;

export const runCommand: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        server: { type: "string" },
        token: { type: "string" },
        "server-root": { type: "string" },
        timeout: { type: "string" },
        "allow-errors": { type: "boolean" },
        json: { type: "string" },
        standalone: { type: "boolean" },
      },
    });
    if (positionals.length === 0) throw new UsageError("no notebook given");
    if ((values.token ?? values["server-root"]) !== undefined && values.server === undefined)
      throw new UsageError("--token and --server-root need --server URL");
    const timeoutS = parseSeconds("--timeout", values.timeout);
    if (values.server !== undefined) {
      // @jupyterlab/services logs connection chatter with console.log; keep stdout for results.
      const toStderr = (...a: unknown[]): void => console.error(...a);
      console.log = toStderr;
      console.info = toStderr;
      console.debug = toStderr;
    }
    const releaseSignals = shutdownOnSignals();
    let summary: RunSummary;
    try {
      summary = await runNotebooks(positionals, {
        ...(values.out !== undefined ? { outDir: values.out } : {}),
        ...(values.server !== undefined
          ? {
              server: {
                url: values.server,
                token: values.token ?? process.env.JUPYTER_TOKEN ?? "",
                ...(values["server-root"] !== undefined ? { root: values["server-root"] } : {}),
              },
            }
          : {}),
        ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
        allowErrors: values["allow-errors"] ?? false,
        ...(values.json !== undefined ? { jsonFile: values.json } : {}),
        ...(values.standalone ? { standalone: true } : {}),
      });
    } finally {
      releaseSignals();
    }
    const failed = summary.notebooks.filter((n) => !n.ok);
    if (summary.notebooks.length > 1) {
      process.stderr.write(
        `${summary.notebooks.length - failed.length}/${summary.notebooks.length} notebooks ok in ${summary.seconds.toFixed(1)}s\n`,
      );
    }
    for (const n of failed) process.stderr.write(`FAILED ${n.error ?? n.notebook}\n`);
    return failed.length === 0 ? 0 : 1;
  },
};
