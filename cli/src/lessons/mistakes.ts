/**
 * A lesson's typical mistakes and its alternative correct answers: lessons/<nn>/mistakes.json.
 *
 *   {"mistakes":     [{"id", "why", "cell", "find", "replace"}, …],
 *    "alternatives": [{"id", "why", "cell", "find", "replace"}, …]}
 *
 * Each entry is a change to the solution's text: in the solution cell whose grade_id is `cell`,
 * the one occurrence of `find` becomes `replace`. The lesson gate grades every variant: a mistake
 * must lose points, an alternative must keep full marks. That is how a teacher knows the tests
 * are sharp (they catch the errors students make) and fair (they accept every right answer).
 *
 * The file holds solution text, so it is the grader's, like expected.json: never released.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Notebook, cloneNotebook, sourceOf } from "./format/notebook";

export const MISTAKES_FILE = "mistakes.json";

export interface SolutionEdit {
  /** Short, unique within the lesson (it names the graded submission). */
  id: string;
  /** What the student got wrong (or why the alternative is right), for the teacher reading the gate. */
  why: string;
  /** grade_id of the solution cell the edit applies to. */
  cell: string;
  find: string;
  replace: string;
}

export interface LessonVariants {
  mistakes: SolutionEdit[];
  alternatives: SolutionEdit[];
}

const ID = /^[a-z0-9][a-z0-9_-]*$/;

export function readVariants(lessonDir: string): LessonVariants {
  const file = join(lessonDir, MISTAKES_FILE);
  if (!existsSync(file)) return { mistakes: [], alternatives: [] };
  const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<Record<keyof LessonVariants, unknown>>;
  const list = (key: keyof LessonVariants): SolutionEdit[] => {
    const v = raw[key] ?? [];
    if (!Array.isArray(v)) throw new Error(`${file}: "${key}" must be a list of {id, why, cell, find, replace}`);
    return v.map((e: Record<string, unknown>, i) => {
      for (const k of ["id", "why", "cell", "find", "replace"] as const) {
        if (typeof e?.[k] !== "string" || (k !== "replace" && e[k] === "")) {
          throw new Error(`${file}: ${key}[${i}] needs a non-empty string "${k}" (got ${JSON.stringify(e?.[k])})`);
        }
      }
      if (!ID.test(e.id as string)) throw new Error(`${file}: ${key}[${i}] id ${JSON.stringify(e.id)} must match ${ID}`);
      return e as unknown as SolutionEdit;
    });
  };
  const variants = { mistakes: list("mistakes"), alternatives: list("alternatives") };
  const ids = [...variants.mistakes, ...variants.alternatives].map((e) => e.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`${file}: id "${dup}" is used twice`);
  return variants;
}

/**
 * The instructor's notebook with one edit applied to one solution cell. Throws, naming the cell
 * and the text, when the cell is missing or `find` does not occur exactly once: an edit that no
 * longer applies would otherwise grade the untouched solution and "pass" for the wrong reason.
 */
export function applyEdit(source: Notebook, edit: SolutionEdit, where: string): Notebook {
  const nb = cloneNotebook(source);
  const cell = nb.cells.find((c) => c.metadata.nbgrader?.grade_id === edit.cell);
  if (!cell) throw new Error(`${where}: "${edit.id}" edits cell "${edit.cell}", which the notebook does not have`);
  if (cell.metadata.nbgrader?.solution !== true) throw new Error(`${where}: "${edit.id}" edits cell "${edit.cell}", which is not a solution cell`);
  const text = sourceOf(cell);
  const count = text.split(edit.find).length - 1;
  if (count !== 1) {
    throw new Error(
      `${where}: "${edit.id}" must find its text exactly once in cell "${edit.cell}", found it ${count} times: ${JSON.stringify(edit.find)}`,
    );
  }
  cell.source = text.replace(edit.find, () => edit.replace);
  return nb;
}
