/**
 * Reading and writing .ipynb files. Reading validates and upgrades to nbformat 4.5 (cell ids);
 * writing uses Jupyter's own layout (sorted keys, one-space indent, text as lists of lines) so a
 * notebook written here and re-saved by JupyterLab gives no spurious diff.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Notebook } from "./types";
import { splitLines } from "./types";
import { assertNotebook, ensureCellIds, NotebookFormatError } from "./validate";

/** Parses notebook JSON text; `file` only names the source in error messages. */
export function parseNotebook(text: string, file: string): Notebook {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new NotebookFormatError(file, [`not valid JSON: ${(e as Error).message}`]);
  }
  assertNotebook(doc, file);
  return ensureCellIds(doc);
}

/** Reads, validates and upgrades (missing cell ids, nbformat_minor 5) one notebook file. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read notebook: ${(e as Error).message}`);
  }
  return parseNotebook(text, file);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** JSON-valued MIME types keep their structure; every other string is stored as a list of lines. */
function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

function linesOf(v: unknown): unknown {
  return typeof v === "string" ? splitLines(v) : v;
}

function diskForm(nb: Notebook): unknown {
  return {
    ...nb,
    cells: nb.cells.map((cell) => {
      const c: Record<string, unknown> = { ...cell, source: linesOf(cell.source) };
      if (cell.cell_type === "code") {
        c.outputs = cell.outputs.map((o) => {
          if (o.output_type === "stream") return { ...o, text: linesOf(o.text) };
          if (o.output_type === "display_data" || o.output_type === "execute_result") {
            const data: Record<string, unknown> = {};
            for (const [mime, value] of Object.entries(o.data)) data[mime] = isJsonMime(mime) ? value : linesOf(value);
            // transient (display ids) belongs to the live session, never to the file.
            const { transient: _transient, ...rest } = o as typeof o & { transient?: unknown };
            // nbformat's schema requires metadata on rich outputs; a kernel may omit it.
            return { ...rest, metadata: (rest as { metadata?: unknown }).metadata ?? {}, data };
          }
          return o;
        });
      }
      return c;
    }),
  };
}

/** Serialises a notebook exactly as Jupyter does (sorted keys, indent 1, trailing newline). */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(diskForm(nb)), null, 1) + "\n";
}

/** Validates and writes a notebook, creating the folder if needed. */
export function writeNotebook(file: string, nb: Notebook): void {
  ensureCellIds(nb);
  const text = serializeNotebook(nb);
  // What goes to disk is checked, not the in-memory object: a kernel output of the wrong shape
  // must fail here, naming the file, rather than in Jupyter later.
  assertNotebook(JSON.parse(text), file);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Removes outputs and execution counts (what notebooks/ is committed with). Mutates and returns `nb`. */
export function clearOutputs(nb: Notebook): Notebook {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
    if ("execution" in cell.metadata) delete cell.metadata.execution;
  }
  return nb;
}
