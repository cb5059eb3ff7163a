/**
 * One HTML page per notebook: markdown, code with its prompt, and outputs in the richest form the
 * page can show. Plotly figures are drawn from their JSON with plotly.js, which pages of one run
 * share as a file beside them (plotly.min.js), or inlined once for a single standalone page.
 */
import type { CellRecord } from "../notebook/execute-in-place";
import type { Cell, Notebook, Output } from "../notebook/types";
import { sourceText } from "../notebook/types";
import { applyCarriageReturns, stripAnsi } from "./ansi";
import { escapeHtml, scriptJson } from "./escape";
import { renderMarkdown } from "./markdown";
import { PLOTLY_FILE, PLOTLY_MIME, plotlyBundle } from "./plotly";
import { htmlPage } from "./style";
import { savedWidgetState } from "../notebook/widget-state";
import { renderWidgetView, WIDGET_VIEW_MIME, widgetOutputs, type WidgetPage } from "./widgets";

export interface RenderOptions {
  /** Page title; default: the first markdown heading, else "notebook". */
  title?: string;
  /** Per-code-cell outcomes from `executeNotebook`, shown as badges (not run, error, timeout). */
  cells?: CellRecord[];
  /** One line shown under the title, e.g. "23 cells, all ok, 12.4 s". */
  summary?: string;
  /** Link back to an index page. */
  indexHref?: string;
  /**
   * How a page with figures gets plotly.js: `{ href }` loads a file beside it (default
   * `{ href: "plotly.min.js" }`: the caller puts it there, see `PLOTLY_FILE`), "inline" puts the
   * bundle in the page (one file to mail).
   */
  plotly?: { href: string } | "inline";
  /** plotly.js source to inline instead of the installed bundle (tests). */
  plotlyJs?: string;
}

/** Whether a notebook has a plotly figure output, i.e. its page needs plotly.js. */
export function hasFigures(nb: Notebook): boolean {
  const isFigure = (o: Output): boolean => (o.output_type === "display_data" || o.output_type === "execute_result") && PLOTLY_MIME in o.data;
  return nb.cells.some((c) => c.cell_type === "code" && c.outputs.some(isFigure)) || widgetOutputs(savedWidgetState(nb)).some(isFigure);
}

/** MIME types in the order a front end prefers them: the first one present is shown. */
const PREFERENCE = [
  PLOTLY_MIME,
  "text/html",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "image/gif",
  "text/markdown",
  "text/latex",
  "application/json",
  "text/plain",
];

function text(v: unknown): string {
  if (Array.isArray(v)) return v.join("");
  return typeof v === "string" ? v : JSON.stringify(v, null, 2);
}

interface PageState {
  figures: number;
  /** The notebook's saved widget state, which widget views are drawn from. */
  widgets?: WidgetPage;
}

function renderFigure(value: unknown, state: PageState): string {
  const fig = (typeof value === "string" ? JSON.parse(value) : value) as { data?: unknown; layout?: unknown; config?: unknown; frames?: unknown };
  const id = `nnlab-figure-${++state.figures}`;
  const config = { responsive: true, ...(typeof fig.config === "object" && fig.config !== null ? fig.config : {}) };
  return (
    `<div class="plotly-figure" id="${id}"></div>` +
    `<script>Plotly.newPlot(document.getElementById(${scriptJson(id)}), ${scriptJson(fig.data ?? [])}, ${scriptJson(fig.layout ?? {})}, ${scriptJson(config)});</script>`
  );
}

function renderBundle(data: Record<string, unknown>, state: PageState): string {
  if (WIDGET_VIEW_MIME in data) {
    const picture = renderWidgetView(data[WIDGET_VIEW_MIME], state.widgets);
    if (picture !== undefined) return picture;
  }
  const mime = PREFERENCE.find((m) => m in data) ?? Object.keys(data).find((m) => m.startsWith("text/"));
  if (!mime) return `<pre class="output-unsupported">[output of type ${escapeHtml(Object.keys(data).join(", "))} not shown]</pre>`;
  const v = data[mime];
  switch (mime) {
    case PLOTLY_MIME:
      return renderFigure(v, state);
    case "text/html":
      return `<div class="output-html">${text(v)}</div>`;
    case "image/svg+xml":
      return `<div class="output-image">${text(v)}</div>`;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      return `<div class="output-image"><img src="data:${mime};base64,${text(v).replace(/\s/g, "")}"></div>`;
    case "text/markdown":
      return `<div class="output-markdown">${renderMarkdown(text(v))}</div>`;
    default:
      return `<pre class="output-text">${escapeHtml(stripAnsi(text(v)))}</pre>`;
  }
}

function renderOutputs(outputs: Output[], state: PageState): string {
  const parts: string[] = [];
  // Consecutive stream chunks of one stream read as one block, as in Jupyter.
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i]!;
    if (o.output_type === "stream") {
      let t = text(o.text);
      while (i + 1 < outputs.length) {
        const next = outputs[i + 1]!;
        if (next.output_type !== "stream" || next.name !== o.name) break;
        t += text(next.text);
        i++;
      }
      parts.push(`<pre class="stream ${o.name}">${escapeHtml(applyCarriageReturns(stripAnsi(t)))}</pre>`);
    } else if (o.output_type === "error") {
      const tb = o.traceback.map((l) => stripAnsi(l)).join("\n");
      const head = `${o.ename}: ${o.evalue}`;
      const body = tb.trim() !== "" && tb.trim() !== head.trim() ? `\n${escapeHtml(tb)}` : "";
      parts.push(`<pre class="error"><b>${escapeHtml(head)}</b>${body}</pre>`);
    } else {
      parts.push(renderBundle(o.data, state));
    }
  }
  return parts.join("\n");
}

const BADGE: Partial<Record<CellRecord["status"], string>> = {
  error: "error",
  timeout: "timed out",
  died: "kernel died",
  abort: "aborted",
  "not-run": "not run",
};

function renderCell(cell: Cell, index: number, record: CellRecord | undefined, state: PageState): string {
  const source = sourceText(cell.source);
  const id = cell.id ? ` id="cell-${escapeHtml(cell.id)}"` : "";
  if (cell.cell_type === "markdown") {
    return `<div class="cell markdown"${id}>${renderMarkdown(source, cell.attachments)}</div>`;
  }
  if (cell.cell_type === "raw") {
    return `<div class="cell raw"${id}><pre>${escapeHtml(source)}</pre></div>`;
  }
  const count = cell.execution_count === null ? " " : String(cell.execution_count);
  const status = record?.status;
  const badge = status && BADGE[status] ? `<span class="badge ${status}">${BADGE[status]}</span>` : "";
  const time = record && record.durationMs > 0 ? `<span class="time">${(record.durationMs / 1000).toFixed(2)} s</span>` : "";
  const outputs = cell.outputs.length > 0 ? `<div class="outputs">${renderOutputs(cell.outputs, state)}</div>` : "";
  return (
    `<div class="cell code${status ? ` status-${status}` : ""}"${id} data-cell="${index + 1}">` +
    `<div class="input"><div class="prompt">In [${count}]:</div><pre class="source">${escapeHtml(source)}</pre>${badge}${time}</div>` +
    outputs +
    `</div>`
  );
}

/** The first markdown heading of a notebook, a natural page title. */
export function notebookTitle(nb: Notebook): string | undefined {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const m = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/m.exec(sourceText(cell.source));
    if (m) return m[1]!;
  }
  return undefined;
}

export function renderNotebookHtml(nb: Notebook, options: RenderOptions = {}): string {
  const state: PageState = { figures: 0 };
  const saved = savedWidgetState(nb);
  if (saved) state.widgets = { state: saved, renderOutputs: (outputs) => renderOutputs(outputs, state) };
  const records = new Map((options.cells ?? []).map((r) => [r.cell, r]));
  const body = nb.cells.map((c, i) => renderCell(c, i, records.get(i + 1), state)).join("\n");
  const title = options.title ?? notebookTitle(nb) ?? "notebook";
  // Figures call Plotly.newPlot as the page is parsed, so the library goes in <head>, loaded
  // synchronously (a classic <script src> also works from file://).
  const mode = options.plotly ?? { href: PLOTLY_FILE };
  const plotly =
    state.figures === 0
      ? ""
      : mode === "inline"
        ? `<script>${options.plotlyJs ?? plotlyBundle()}</script>`
        : `<script src="${escapeHtml(mode.href)}"></script>`;
  const nav = options.indexHref ? `<nav><a href="${escapeHtml(options.indexHref)}">← all chapters</a></nav>` : "";
  const summary = options.summary ? `<p class="run-summary">${escapeHtml(options.summary)}</p>` : "";
  return htmlPage(title, `${nav}${summary}\n${body}`, plotly);
}
