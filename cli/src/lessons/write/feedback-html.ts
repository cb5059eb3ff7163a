/**
 * Feedback for one student: their notebook as graded, with each test cell shown as RELEASED
 * (hidden regions never appear) followed by its cases, points and messages. Outputs of test
 * cells are replaced by the case table, so nothing a hidden test printed reaches the student.
 */
import { marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { type Notebook, sourceOf } from "../format/notebook";
import type { CellRun } from "../execute";
import type { ReleaseRecord } from "../record";
import type { SubmissionResult } from "./results-json";

/**
 * Markdown is the student's (or the instructor's) text rendered to HTML, so it is sanitised by
 * sanitize-html: no script, no event handler, no javascript: URL, no style or iframe; images only
 * from data:, http(s) URLs.
 */
const MARKDOWN_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "del", "sup", "sub"],
  allowedAttributes: { a: ["href", "title"], img: ["src", "alt", "title"], code: ["class"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["data", "http", "https"] },
  disallowedTagsMode: "discard",
};

/** Control characters (terminal escapes, NUL, bidi overrides) have no place in a page: removed first. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function markdownHtml(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown.replace(CONTROLS, ""), { async: false }) as string, MARKDOWN_POLICY);
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
pre{background:#f6f8fa;padding:.6em;overflow:auto;border-radius:4px}pre.out{background:#fff;border-left:3px solid #ccc}
pre.err{background:#fff5f5;border-left:3px solid #d33}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}.passed{color:#197a2e}.failed,.error,.timeout,.killed{color:#b3261e}
.not-run{color:#777}.score{font-size:1.3em}.written{border-left:3px solid #888;padding-left:.6em}.pending{color:#8a5a00}`;

const MAX_OUTPUT_CHARS = 20_000;

function outputsHtml(run: CellRun | undefined): string {
  if (!run) return "";
  const parts: string[] = [];
  for (const o of run.outputs) {
    if (o.output_type === "stream") parts.push(`<pre class="${o.name === "stderr" ? "err" : "out"}">${esc(o.text.slice(0, MAX_OUTPUT_CHARS))}</pre>`);
    else if (o.output_type === "display_data" || o.output_type === "execute_result") {
      const png = o.data["image/png"];
      const svg = o.data["image/svg+xml"];
      const html = o.data["text/html"];
      if (typeof png === "string") parts.push(`<img src="data:image/png;base64,${esc(png)}">`);
      else if (typeof svg === "string") parts.push(`<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}">`);
      // Plots and tables are the student's own output: shown in a sandboxed frame, scripts
      // isolated from this page.
      else if (typeof html === "string")
        parts.push(`<iframe sandbox="allow-scripts" style="width:100%;height:480px;border:0" srcdoc="${esc(html)}"></iframe>`);
      else if (typeof o.data["text/plain"] === "string")
        parts.push(`<pre class="out">${esc((o.data["text/plain"] as string).slice(0, MAX_OUTPUT_CHARS))}</pre>`);
    } else if (o.output_type === "error") parts.push(`<pre class="err">${esc(`${o.ename}: ${o.evalue}`)}</pre>`);
  }
  if (run.status !== "ok" && run.reason) parts.push(`<pre class="err">${esc(run.reason)}</pre>`);
  return parts.join("\n");
}

/** Under a written answer: pending, no response, or the manual grade with its comment. */
function writtenHtml(c: SubmissionResult["cases"][number]): string {
  const head =
    c.status === "graded"
      ? `manual grade: <b>${c.points} / ${c.max}</b>`
      : c.status === "pending"
        ? `pending manual grading (${c.max} point${c.max === 1 ? "" : "s"})`
        : `${c.points} / ${c.max}: ${esc(c.message)}`;
  const criteria = c.criteria
    ? `<br>${Object.entries(c.criteria)
        .map(([k, v]) => `${esc(k)}: ${v}`)
        .join(", ")}`
    : "";
  const comment = c.comment ? `<br>${esc(c.comment)}` : "";
  return `<p class="written ${c.status}">${head}${criteria}${comment}</p>`;
}

export function feedbackHtml(result: SubmissionResult, graded: Notebook, runs: CellRun[], record: ReleaseRecord): string {
  const runByIndex = new Map(runs.map((r) => [r.index, r]));
  const testByGradeId = new Map(record.cells.filter((c) => c.role === "test").map((c) => [c.gradeId!, c]));
  const body: string[] = [];
  body.push(`<h1>${esc(result.lesson)}: ${esc(result.student)}</h1>`);
  body.push(`<p class="score">Score: <b>${result.score}</b> / ${result.maxScore}</p>`);
  if (result.pendingManual)
    body.push(`<p class="pending">Pending manual grading: ${result.pendingManual.points} point(s) of written answers are not graded yet.</p>`);
  if (result.graderError) body.push(`<pre class="err">grader: ${esc(result.graderError)}</pre>`);
  graded.cells.forEach((cell, i) => {
    const gid = cell.metadata.nbgrader?.grade_id;
    const test = typeof gid === "string" ? testByGradeId.get(gid) : undefined;
    if (cell.cell_type === "markdown") {
      body.push(`<div class="md">${markdownHtml(sourceOf(cell))}</div>`);
      const written =
        typeof gid === "string" && cell.metadata.nbgrader?.solution === true
          ? result.cases.find((c) => c.id === gid && c.question === gid)
          : undefined;
      if (written) body.push(writtenHtml(written));
    } else if (test) {
      body.push(`<pre>${esc(sourceOf(test.released))}</pre>`);
      const rows = result.cases
        .filter((c) => c.question === test.gradeId)
        .map(
          (c) =>
            `<tr><td>${esc(c.id)}${c.visibility === "hidden" ? " (hidden)" : ""}</td><td class="${c.status}">${c.status}</td><td>${c.points} / ${c.max}</td><td>${esc(c.message)}</td></tr>`,
        );
      body.push(`<table><tr><th>case</th><th>status</th><th>points</th><th>message</th></tr>${rows.join("")}</table>`);
    } else if (cell.cell_type === "code") {
      body.push(`<pre>${esc(sourceOf(cell))}</pre>`);
      body.push(outputsHtml(runByIndex.get(i)));
    }
  });
  if (result.warnings.length > 0) {
    body.push(`<h2>Notes from the grader</h2><ul>${result.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>`);
  }
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${esc(result.lesson)} feedback: ${esc(result.student)}</title><style>${STYLE}</style></head>\n<body>\n${body.join("\n")}\n</body></html>\n`;
}
