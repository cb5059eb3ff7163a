#!/usr/bin/env node
/**
 * Builds the chapter notebooks from their text sources:
 *   notebooks/src/NN-name.ts  →  notebooks/NN-name.ipynb   (nbformat 4.5, no outputs, stable cell ids)
 *
 * The sources are percent-format TypeScript (as jupytext writes them), because a diff of plain text
 * is readable where a diff of notebook JSON is not:
 *   // %% [markdown]      starts a markdown cell; its lines are comments, "// " is stripped
 *   // %%                 starts a code cell (text after "%%" is a label for the reader, ignored)
 * Lines before the first marker are a file comment and are not part of the notebook.
 *
 *   node scripts/notebooks.mjs            write every notebook
 *   node scripts/notebooks.mjs --check    exit 1 (naming the files) if a committed .ipynb differs
 *   node scripts/notebooks.mjs 01 05      only the sources whose name starts with these prefixes
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const notebooksDir = join(root, "notebooks");
const srcDir = join(notebooksDir, "src");

const metadata = {
  kernelspec: { display_name: "TypeScript (nnlab)", language: "typescript", name: "nnlab" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
};

/** Splits a percent-format source into cells. */
export function parsePercent(text, file = "source") {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const cells = [];
  let current = null;
  lines.forEach((line, i) => {
    const marker = /^\/\/ %%(.*)$/.exec(line);
    if (marker) {
      const kind = /^\s*\[markdown\]/.test(marker[1]) ? "markdown" : "code";
      current = { kind, lines: [], line: i + 1 };
      cells.push(current);
      return;
    }
    if (!current) return;
    if (current.kind === "markdown") {
      if (line.trim() === "") current.lines.push("");
      else if (line.startsWith("// ")) current.lines.push(line.slice(3));
      else if (line === "//") current.lines.push("");
      else
        throw new Error(
          `${file}:${i + 1}: a markdown cell line must start with "// " (got ${JSON.stringify(line)}); start a code cell with "// %%" first`,
        );
    } else current.lines.push(line);
  });
  for (const c of cells) {
    while (c.lines.length > 0 && c.lines[0].trim() === "") c.lines.shift();
    while (c.lines.length > 0 && c.lines[c.lines.length - 1].trim() === "") c.lines.pop();
  }
  const empty = cells.find((c) => c.lines.length === 0);
  if (empty) throw new Error(`${file}:${empty.line}: empty ${empty.kind} cell; remove the marker`);
  return cells;
}

/** nbformat stores source as lines, each but the last ending in "\n". */
function sourceLines(lines) {
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
}

/** The notebook of a source, as the JSON text written to disk (nbformat's own 1-space indent). */
export function buildNotebook(text, name) {
  const cells = parsePercent(text, name).map((c, i) => {
    // Stable ids: regenerating an unchanged source gives an identical file.
    const id = `${name.slice(0, 2)}-${String(i + 1).padStart(3, "0")}`;
    return c.kind === "markdown"
      ? { cell_type: "markdown", id, metadata: {}, source: sourceLines(c.lines) }
      : { cell_type: "code", execution_count: null, id, metadata: {}, outputs: [], source: sourceLines(c.lines) };
  });
  return JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }, null, 1) + "\n";
}

/** Every source and the .ipynb it becomes. */
export function notebookSources(prefixes = []) {
  return readdirSync(srcDir)
    .filter((f) => f.endsWith(".ts"))
    .filter((f) => prefixes.length === 0 || prefixes.some((p) => f.startsWith(p)))
    .sort()
    .map((f) => ({ src: join(srcDir, f), ipynb: join(notebooksDir, f.replace(/\.ts$/, ".ipynb")), name: f.replace(/\.ts$/, "") }));
}

function main(argv) {
  const check = argv.includes("--check");
  const prefixes = argv.filter((a) => !a.startsWith("--"));
  const stale = [];
  for (const { src, ipynb, name } of notebookSources(prefixes)) {
    const json = buildNotebook(readFileSync(src, "utf8"), name);
    const current = existsSync(ipynb) ? readFileSync(ipynb, "utf8") : null;
    if (check) {
      if (current !== json) stale.push(ipynb);
    } else if (current !== json) {
      writeFileSync(ipynb, json);
      console.log(`wrote ${ipynb}`);
    }
  }
  if (check && stale.length > 0) {
    console.error(`out of date (run node scripts/notebooks.mjs): ${stale.join(", ")}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
