/**
 * Structural validation of nbformat 4 documents. It checks what the runner and the renderer rely on
 * (types of every field they read) and reports every problem at once, each with its location, so a
 * hand-edited notebook can be fixed in one pass.
 */
import { createHash } from "node:crypto";
import type { Cell, Notebook } from "./types";
import { sourceText } from "./types";

/** Thrown for a file that is not a usable nbformat 4 notebook; `problems` lists each defect. */
export class NotebookFormatError extends Error {
  readonly file: string;
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    const shown = problems
      .slice(0, 10)
      .map((p) => `  - ${p}`)
      .join("\n");
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : "";
    super(`${file}: not a valid nbformat 4 notebook:\n${shown}${more}`);
    this.name = "NotebookFormatError";
    this.file = file;
    this.problems = problems;
  }
}

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function isMultiline(v: unknown): boolean {
  return typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
}

function checkOutput(o: unknown, at: string, problems: string[]): void {
  if (!isObject(o)) {
    problems.push(`${at}: output must be an object, got ${kind(o)}`);
    return;
  }
  const needMimeBundle = (): void => {
    if (!isObject(o.data)) problems.push(`${at}: ${String(o.output_type)} output needs a "data" object, got ${kind(o.data)}`);
    if (o.metadata !== undefined && !isObject(o.metadata)) problems.push(`${at}: "metadata" must be an object`);
  };
  switch (o.output_type) {
    case "stream":
      if (o.name !== "stdout" && o.name !== "stderr")
        problems.push(`${at}: stream "name" must be "stdout" or "stderr", got ${JSON.stringify(o.name)}`);
      if (!isMultiline(o.text)) problems.push(`${at}: stream "text" must be a string or a list of strings, got ${kind(o.text)}`);
      break;
    case "display_data":
      needMimeBundle();
      break;
    case "execute_result":
      needMimeBundle();
      if (o.execution_count !== null && !Number.isInteger(o.execution_count)) {
        problems.push(`${at}: execute_result "execution_count" must be an integer or null, got ${kind(o.execution_count)}`);
      }
      break;
    case "error":
      if (typeof o.ename !== "string") problems.push(`${at}: error output needs a string "ename"`);
      if (typeof o.evalue !== "string") problems.push(`${at}: error output needs a string "evalue"`);
      if (!Array.isArray(o.traceback) || !o.traceback.every((x) => typeof x === "string")) {
        problems.push(`${at}: error output needs "traceback" as a list of strings`);
      }
      break;
    default:
      problems.push(`${at}: unknown output_type ${JSON.stringify(o.output_type)} (expected stream, display_data, execute_result or error)`);
  }
}

function checkCell(c: unknown, i: number, problems: string[]): void {
  const at = `cell ${i + 1} (cells[${i}])`;
  if (!isObject(c)) {
    problems.push(`${at}: must be an object, got ${kind(c)}`);
    return;
  }
  if (c.cell_type !== "code" && c.cell_type !== "markdown" && c.cell_type !== "raw") {
    problems.push(`${at}: cell_type must be "code", "markdown" or "raw", got ${JSON.stringify(c.cell_type)}`);
    return;
  }
  if (!isMultiline(c.source)) problems.push(`${at}: "source" must be a string or a list of strings, got ${kind(c.source)}`);
  if (!isObject(c.metadata)) problems.push(`${at}: "metadata" must be an object, got ${kind(c.metadata)}`);
  if (c.id !== undefined && (typeof c.id !== "string" || !CELL_ID.test(c.id))) {
    problems.push(`${at}: "id" must be 1-64 characters of [a-zA-Z0-9-_], got ${JSON.stringify(c.id)}`);
  }
  if (c.cell_type === "code") {
    if (c.execution_count !== null && !Number.isInteger(c.execution_count)) {
      problems.push(`${at}: "execution_count" must be an integer or null, got ${kind(c.execution_count)}`);
    }
    if (!Array.isArray(c.outputs)) {
      problems.push(`${at}: code cell needs an "outputs" list, got ${kind(c.outputs)}`);
    } else {
      c.outputs.forEach((o, j) => checkOutput(o, `${at} outputs[${j}]`, problems));
    }
    const t = isObject(c.metadata) && isObject(c.metadata.nnlab) ? c.metadata.nnlab.timeout : undefined;
    if (t !== undefined && !(typeof t === "number" && t > 0)) {
      problems.push(`${at}: metadata.nnlab.timeout must be a positive number of seconds, got ${JSON.stringify(t)}`);
    }
  } else if (c.attachments !== undefined && !isObject(c.attachments)) {
    problems.push(`${at}: "attachments" must be an object`);
  }
}

/**
 * Returns the problems that make `doc` unusable as an nbformat 4 notebook (empty when it is fine).
 * Missing cell ids are not a problem: `ensureCellIds` adds them.
 */
export function notebookProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(doc)) return [`top level must be a JSON object, got ${kind(doc)}`];
  if (doc.nbformat !== 4) {
    problems.push(
      `"nbformat" is ${JSON.stringify(doc.nbformat)}, only 4 is supported` +
        (doc.nbformat === 3 ? " (convert with `jupyter nbconvert --to notebook --nbformat 4`)" : ""),
    );
    return problems;
  }
  if (!Number.isInteger(doc.nbformat_minor) || (doc.nbformat_minor as number) < 0) {
    problems.push(`"nbformat_minor" must be a non-negative integer, got ${JSON.stringify(doc.nbformat_minor)}`);
  }
  if (!isObject(doc.metadata)) problems.push(`"metadata" must be an object, got ${kind(doc.metadata)}`);
  if (!Array.isArray(doc.cells)) {
    problems.push(`"cells" must be a list, got ${kind(doc.cells)}`);
    return problems;
  }
  doc.cells.forEach((c, i) => checkCell(c, i, problems));
  const seen = new Map<string, number>();
  doc.cells.forEach((c, i) => {
    if (!isObject(c) || typeof c.id !== "string") return;
    const first = seen.get(c.id);
    if (first !== undefined) problems.push(`cell ${i + 1}: id ${JSON.stringify(c.id)} repeats the id of cell ${first + 1}; ids must be unique`);
    else seen.set(c.id, i);
  });
  return problems;
}

/** Throws NotebookFormatError naming `file` unless `doc` is a valid nbformat 4 notebook. */
export function assertNotebook(doc: unknown, file: string): asserts doc is Notebook {
  const problems = notebookProblems(doc);
  if (problems.length > 0) throw new NotebookFormatError(file, problems);
}

/**
 * Gives every cell without an id a deterministic one (a hash of its position, type and source, so
 * re-reading the same file yields the same ids) and raises nbformat_minor to 5, where ids are
 * required. Existing ids are kept. Mutates and returns `nb`.
 */
export function ensureCellIds(nb: Notebook): Notebook {
  const used = new Set(nb.cells.map((c) => c.id).filter((id): id is string => typeof id === "string"));
  nb.cells.forEach((cell: Cell, i) => {
    if (typeof cell.id === "string") return;
    const digest = createHash("sha256")
      .update(`${i}\0${cell.cell_type}\0${sourceText(cell.source)}`)
      .digest("hex");
    let id = digest.slice(0, 8);
    for (let n = 8; used.has(id); n++) id = n < digest.length ? digest.slice(0, n + 1) : `${digest.slice(0, 8)}-${n}`;
    used.add(id);
    cell.id = id;
  });
  if (nb.nbformat_minor < 5) nb.nbformat_minor = 5;
  return nb;
}
