/**
 * The slice of nbformat 4 the grader reads and writes. Kept local to the lessons layer so that
 * release and grade do not depend on how the runner models notebooks; any extra keys a notebook
 * carries are preserved untouched.
 */
import { readFileSync } from "node:fs";

export type CellType = "code" | "markdown" | "raw";

export interface NbgraderMeta {
  schema_version?: unknown;
  grade?: unknown;
  solution?: unknown;
  locked?: unknown;
  task?: unknown;
  grade_id?: unknown;
  points?: unknown;
  checksum?: unknown;
  cell_type?: unknown;
  [key: string]: unknown;
}

export interface Cell {
  id?: string;
  cell_type: CellType;
  source: string | string[];
  metadata: { nbgrader?: NbgraderMeta; deletable?: boolean; editable?: boolean; [key: string]: unknown };
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec?: { name: string; language?: string; display_name: string }; [key: string]: unknown };
  cells: Cell[];
}

/** The whole source as one string (nbformat allows a list of lines). */
export function sourceOf(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
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
  }
  if (typeof nb.metadata !== "object" || nb.metadata === null) nb.metadata = {};
  return nb as Notebook;
}

export function readNotebook(file: string): Notebook {
  return parseNotebook(readFileSync(file, "utf8"), file);
}

/** nbformat's on-disk style: 1-space indent, trailing newline, keys as given. */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
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
