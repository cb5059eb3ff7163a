/**
 * nbformat 4 types, mirroring the shape of @jupyterlab/nbformat (not installed: the CLI only needs
 * the document structure, and its own validator below is the authority on what it accepts).
 */
import type { Output } from "../kernel/client";

export type { Output };

/** A multiline string as stored on disk: either one string or a list of lines (each ending "\n"). */
export type MultilineString = string | string[];

export type JSONObject = { [key: string]: unknown };

export interface CellBase {
  id?: string;
  metadata: JSONObject;
  source: MultilineString;
}

export interface CodeCell extends CellBase {
  cell_type: "code";
  execution_count: number | null;
  outputs: Output[];
}

export interface MarkdownCell extends CellBase {
  cell_type: "markdown";
  attachments?: Record<string, Record<string, MultilineString>>;
}

export interface RawCell extends CellBase {
  cell_type: "raw";
  attachments?: Record<string, Record<string, MultilineString>>;
}

export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JSONObject;
  cells: Cell[];
}

/** Joins a multiline string into one string (nbformat stores either form). */
export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into nbformat's list-of-lines form, each line keeping its "\n" (as Jupyter writes it). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}
