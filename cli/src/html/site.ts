/** The index page of the headless site (`nnlab start` without Jupyter): one row per chapter. */
import { escapeHtml } from "./escape";
import { htmlPage } from "./style";

export interface SiteEntry {
  title: string;
  /** Relative link to the chapter's page. */
  href: string;
  /** Relative link to the executed notebook, if written. */
  notebookHref?: string;
  ok: boolean;
  /** E.g. "ok", "cell 7 failed: TypeError: …". */
  status: string;
  seconds: number;
  cells: number;
}

/** A link under the table, e.g. to the API reference. */
export interface SiteLink {
  href: string;
  text: string;
}

export function renderSiteIndex(title: string, entries: SiteEntry[], note?: string, links: SiteLink[] = []): string {
  const rows = entries
    .map(
      (e) =>
        `<tr><td><a href="${escapeHtml(e.href)}">${escapeHtml(e.title)}</a>` +
        (e.notebookHref ? ` <small>(<a href="${escapeHtml(e.notebookHref)}">.ipynb</a>)</small>` : "") +
        `</td><td class="${e.ok ? "ok" : "failed"}">${escapeHtml(e.status)}</td>` +
        `<td>${e.cells}</td><td>${e.seconds.toFixed(1)} s</td></tr>`,
    )
    .join("\n");
  const okCount = entries.filter((e) => e.ok).length;
  return htmlPage(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="run-summary">${okCount} of ${entries.length} notebooks ran without error.${note ? ` ${escapeHtml(note)}` : ""}</p>
<table class="chapters">
<thead><tr><th>chapter</th><th>status</th><th>code cells</th><th>time</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>${links.map((l) => `\n<p class="site-link"><a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a></p>`).join("")}`,
  );
}
