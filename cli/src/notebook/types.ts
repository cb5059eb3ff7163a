/**
 * The one notebook model of the CLI: nbformat 4 as @jupyterlab/nbformat types it (types only;
 * nothing of the package is loaded at run time). The validator (validate.ts) is the authority on
 * what is accepted, so the cell union here is the three cell types it lets through.
 */
import type {
  IBaseCellMetadata,
  ICodeCell,
  ICodeCellMetadata,
  IMarkdownCell,
  IKernelspecMetadata,
  INotebookContent,
  INotebookMetadata,
  IRawCell,
  IRawCellMetadata,
  MultilineString,
} from "@jupyterlab/nbformat";
import type { PartialJSONObject, PartialJSONValue } from "@lumino/coreutils";
import type { Output } from "../kernel/client";

export type { MultilineString, Output };

/** nbgrader's cell metadata (the lessons read and write it; any other key is kept as it is). */
export interface NbgraderMeta extends PartialJSONObject {
  schema_version?: PartialJSONValue;
  grade?: PartialJSONValue;
  solution?: PartialJSONValue;
  locked?: PartialJSONValue;
  task?: PartialJSONValue;
  grade_id?: PartialJSONValue;
  points?: PartialJSONValue;
  checksum?: PartialJSONValue;
  cell_type?: PartialJSONValue;
}

/** The cell metadata keys nnlab reads, besides nbformat's own. */
interface NnlabCellMetadata extends PartialJSONObject {
  nbgrader?: NbgraderMeta;
  /** nnlab's own: `timeout` (seconds) of a long cell, expression answers of a lesson. */
  nnlab?: PartialJSONObject;
  deletable?: boolean;
  editable?: boolean;
}

/** A code cell whose outputs are the ones the kernel clients collect (a subset of nbformat's). */
export interface CodeCell extends ICodeCell {
  metadata: Partial<ICodeCellMetadata> & NnlabCellMetadata;
  outputs: Output[];
}
export interface MarkdownCell extends IMarkdownCell {
  metadata: Partial<IBaseCellMetadata> & NnlabCellMetadata;
}
export interface RawCell extends IRawCell {
  metadata: Partial<IRawCellMetadata> & NnlabCellMetadata;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface NotebookMetadata extends INotebookMetadata {
  kernelspec?: IKernelspecMetadata & { language?: string };
}

export interface Notebook extends INotebookContent {
  metadata: NotebookMetadata;
  cells: Cell[];
}

/** Joins a multiline string into one string (nbformat stores either form). */
export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into nbformat's list-of-lines form, each line keeping its "\n" (as Jupyter writes it). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.split(/(?<=\n)/);
}
