/**
 * The grader's reading of notebooks, over the CLI's one notebook model (notebook/types.ts).
 * A submission is read leniently (a student's tool may drop `source` or `metadata`; release and
 * grade repair what they can and name the file when they cannot), unlike notebook/io's strict
 * reader of the chapters; any extra keys a notebook carries are preserved untouched.
 */
import { readFileSync } from "node:fs";
import type { Cell, NbgraderMeta, Notebook } from "../../notebook/types";
import { sourceText } from "../../notebook/types";

export type { Cell, NbgraderMeta, Notebook };
/** Written as Jupyter writes it: one serializer for the whole CLI. */
export { serializeNotebook } from "../../notebook/io";
export type CellType = Cell["cell_type"];

/** The whole source as one string (nbformat allows a list of lines). */
export function sourceOf(cell: Cell): string {
  return sourceText(cell.source);
}

/** Parse a notebook, failing with an error that names the file and what is wrong. */
export function parseNotebook(text: string, file: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}); the notebook cannot be read`);
  }
  const nb = raw as Partial<Notebook>;
  if (typeof raw !== "object" || raw === null || !Array.isArray(nb.cells)) {
    throw new Error(`${file}: not an nbformat 4 notebook (no "cells" list)`);
  }
  if (nb.nbformat !== 4) throw new Error(`${file}: nbformat ${String(nb.nbformat)} is not supported (need 4)`);
  for (const [i, cell] of nb.cells.entries()) {
    if (typeof cell !== "object" || cell === null) throw new Error(`${file}: cell ${i} is not an object`);
    if (!["code", "markdown", "raw"].includes(cell.cell_type)) {
      throw new Error(`${file}: cell ${i} has unknown cell_type ${JSON.stringify(cell.cell_type)}`);
    }
    if (typeof cell.source !== "string" && !Array.isArray(cell.source)) cell.source = "";
    if (typeof cell.metadata !== "object" || cell.metadata === null) cell.metadata = {};
    // The one notebook model (and its writer) has outputs on every code cell, as nbformat requires.
    if (cell.cell_type === "code") {
      if (!Array.isArray(cell.outputs)) cell.outputs = [];
      if (typeof cell.execution_count !== "number") cell.execution_count = null;
    }
  }
  if (typeof nb.metadata !== "object" || nb.metadata === null) nb.metadata = {};
  return nb as Notebook;
}

export function readNotebook(file: string): Notebook {
  return parseNotebook(readFileSync(file, "utf8"), file);
}

export function cloneNotebook(nb: Notebook): Notebook {
  return JSON.parse(JSON.stringify(nb)) as Notebook;
}

/** A name for a cell in error messages: its grade_id if any, else its index (and id). */
export function cellLabel(cell: Cell, index: number): string {
  const gid = cell.metadata.nbgrader?.grade_id;
  if (typeof gid === "string" && gid !== "") return `cell ${index} ("${gid}")`;
  return cell.id ? `cell ${index} (id ${cell.id})` : `cell ${index}`;
}
