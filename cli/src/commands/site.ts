/**
 * The headless site: every notebook of a folder executed (direct kernel) and rendered, plus an
 * index page. What `nnlab start` gives when no Jupyter front end is installed.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { renderSiteIndex } from "../html";
import { oneLine } from "../notebook";
import type { SiteEntry, SiteLink } from "../html";
import { buildApiReference } from "./api-reference";
import type { RunOptions, RunSummary } from "./run";
import { runNotebooks } from "./run";

export interface SiteOptions extends Pick<RunOptions, "clientFactory" | "timeoutMs" | "log"> {
  notebooksDir: string;
  outDir: string;
  /** Sentence added under the index title (e.g. how to install JupyterLab). */
  note?: string;
}

/** The notebooks of a folder (not recursive), in name order, which is chapter order. */
export function listNotebooks(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new Error(`cannot list notebooks in ${dir}: ${(e as Error).message}`);
  }
  return names
    .filter((n) => n.endsWith(".ipynb") && !n.startsWith("."))
    .sort()
    .map((n) => join(dir, n));
}

export async function buildSite(options: SiteOptions): Promise<{ index: string; summary: RunSummary }> {
  const files = listNotebooks(resolve(options.notebooksDir));
  if (files.length === 0) throw new Error(`no .ipynb files in ${resolve(options.notebooksDir)}`);
  const outDir = resolve(options.outDir);
  const summary = await runNotebooks(files, {
    outDir,
    indexHref: "index.html",
    ...(options.clientFactory ? { clientFactory: options.clientFactory } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const entries: SiteEntry[] = summary.notebooks.map((n) => ({
    title: n.title === basename(n.notebook) ? n.title : `${n.title} (${basename(n.notebook)})`,
    href: n.html ? relative(outDir, n.html) : "#",
    ...(n.ipynb ? { notebookHref: relative(outDir, n.ipynb) } : {}),
    ok: n.ok,
    status: n.ok
      ? "ok"
      : n.failedCell
        ? `cell ${n.failedCell.cell} failed: ${n.failedCell.ename}: ${oneLine(n.failedCell.evalue ?? "", 200)}`
        : (n.error ?? "failed"),
    seconds: n.seconds,
    cells: n.codeCells,
  }));
  const api = buildApiReference(outDir);
  const links: SiteLink[] = [];
  if (api.ok) {
    links.push({ href: api.href, text: "API reference of the nnlab package (generated from its doc comments)" });
    options.log?.(`API reference: ${join(outDir, api.href)} (${api.seconds.toFixed(1)} s)`);
  } else {
    options.log?.(`API reference not built: ${api.why}`);
  }
  const index = join(outDir, "index.html");
  writeFileSync(index, renderSiteIndex("nnlab notebooks", entries, options.note, links));
  return { index, summary };
}
