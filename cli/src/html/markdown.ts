/**
 * Markdown cells to HTML with `marked`. TeX is left as written ($…$, $$…$$): it is shielded from
 * markdown first, otherwise `$a_1 * b_2$` would come out with <em> tags inside the formula.
 */
import type { IAttachments } from "@jupyterlab/nbformat";
import { Marked } from "marked";
import { escapeHtml } from "./escape";

const marked = new Marked({ gfm: true, breaks: false });

// $$…$$ first (may span lines), then inline $…$ that does not start or end with a space
// (so "costs $5 and $6" stays prose).
const MATH = /\$\$[\s\S]+?\$\$|\$(?![\s$])(?:\\\$|[^$\n])+?(?<![\s\\])\$/g;

export function renderMarkdown(source: string, attachments?: IAttachments): string {
  const formulas: string[] = [];
  const shielded = source.replace(MATH, (m) => {
    formulas.push(m);
    return `NNLABMATH${formulas.length - 1}X`;
  });
  let html = marked.parse(shielded, { async: false }) as string;
  html = html.replace(/NNLABMATH(\d+)X/g, (_, n: string) => {
    const tex = formulas[Number(n)]!;
    return `<span class="math${tex.startsWith("$$") ? " display" : ""}">${escapeHtml(tex)}</span>`;
  });
  if (attachments) {
    html = html.replace(/(src=")attachment:([^"]+)"/g, (whole, pre: string, name: string) => {
      const bundle = attachments[decodeURIComponent(name)];
      if (!bundle) return whole;
      const mime = Object.keys(bundle).find((m) => m.startsWith("image/"));
      if (!mime) return whole;
      const v = bundle[mime];
      const data = Array.isArray(v) ? v.join("") : String(v);
      const uri =
        mime === "image/svg+xml" ? `data:${mime};charset=utf-8,${encodeURIComponent(data)}` : `data:${mime};base64,${data.replace(/\s/g, "")}`;
      return `${pre}${uri}"`;
    });
  }
  return html;
}
