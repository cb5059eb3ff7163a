/**
 * nbgrader cell metadata, schema version 3, with nbgrader's own rules (nbgraderformat/v3.py,
 * utils.py). The implicit lock matters: checksums hash the DERIVED lock, not the stored one.
 */
import { type Cell, cellLabel } from "./notebook";

const KNOWN_KEYS = new Set(["schema_version", "grade", "solution", "locked", "task", "grade_id", "points", "checksum", "cell_type"]);
const GRADE_ID = /^[a-zA-Z0-9_-]*$/;

export function isGrade(cell: Cell): boolean {
  return cell.metadata.nbgrader?.grade === true;
}
export function isSolution(cell: Cell): boolean {
  return cell.metadata.nbgrader?.solution === true;
}
export function isTask(cell: Cell): boolean {
  return cell.metadata.nbgrader?.task === true;
}
/** nbgrader utils.is_locked: solution cells never, test (grade, non-solution) cells always. */
export function isLocked(cell: Cell): boolean {
  const nb = cell.metadata.nbgrader;
  if (!nb) return false;
  if (nb.solution === true) return false;
  if (nb.grade === true) return true;
  return nb.locked === true;
}
/** A cell nbgrader tracks (and checksums). */
export function isTracked(cell: Cell): boolean {
  return isGrade(cell) || isSolution(cell) || isLocked(cell) || isTask(cell);
}
/** Autograder test cell: worth points, code, not an answer. */
export function isTestCell(cell: Cell): boolean {
  return isGrade(cell) && !isSolution(cell) && cell.cell_type === "code";
}
export function gradeId(cell: Cell): string | undefined {
  const g = cell.metadata.nbgrader?.grade_id;
  return typeof g === "string" && g !== "" ? g : undefined;
}

export interface MetaProblem {
  cell: number;
  message: string;
}

/**
 * Validate every cell's nbgrader metadata against schema 3. Unknown keys are errors in strict
 * mode (release: the instructor should fix them) and are stripped with a warning otherwise
 * (grading: a student's stray keys must not stop the batch).
 */
export function checkCellMetadata(cells: Cell[], mode: "strict" | "repair"): { errors: MetaProblem[]; warnings: MetaProblem[] } {
  const errors: MetaProblem[] = [];
  const warnings: MetaProblem[] = [];
  const seen = new Map<string, number>();
  cells.forEach((cell, i) => {
    const nb = cell.metadata.nbgrader;
    if (nb === undefined) return;
    const where = cellLabel(cell, i);
    const err = (m: string) => errors.push({ cell: i, message: `${where}: ${m}` });
    if (typeof nb !== "object" || nb === null || Array.isArray(nb)) {
      err("metadata.nbgrader is not an object");
      return;
    }
    for (const key of Object.keys(nb)) {
      if (KNOWN_KEYS.has(key)) continue;
      if (mode === "strict") err(`unknown nbgrader key "${key}" (schema 3 allows no extra keys)`);
      else {
        delete nb[key];
        warnings.push({ cell: i, message: `${where}: removed unknown nbgrader key "${key}"` });
      }
    }
    if (nb.schema_version !== 3) {
      err(`schema_version is ${JSON.stringify(nb.schema_version)}, need 3 (run "nbgrader update" on older notebooks)`);
    }
    for (const key of ["grade", "solution", "locked"] as const) {
      if (typeof nb[key] !== "boolean") err(`"${key}" must be a boolean (required by schema 3)`);
    }
    if (nb.task !== undefined && typeof nb.task !== "boolean") err(`"task" must be a boolean`);
    const needsId = nb.grade === true || nb.solution === true || nb.locked === true || nb.task === true;
    if (nb.grade_id !== undefined && (typeof nb.grade_id !== "string" || !GRADE_ID.test(nb.grade_id))) {
      err(`grade_id ${JSON.stringify(nb.grade_id)} must match ^[a-zA-Z0-9_\\-]*$`);
    } else if (needsId && (typeof nb.grade_id !== "string" || nb.grade_id === "")) {
      err(`grade_id is required for graded, solution, locked and task cells`);
    }
    if (nb.grade === true || nb.task === true) {
      if (typeof nb.points !== "number" || !Number.isFinite(nb.points) || nb.points < 0) {
        err(`points must be a number >= 0 for a graded cell (got ${JSON.stringify(nb.points)})`);
      }
    }
    if (nb.checksum !== undefined && (typeof nb.checksum !== "string" || nb.checksum.length !== 32)) {
      err(`checksum must be a 32-character MD5 hex string`);
    }
    if (nb.cell_type !== undefined && !["code", "markdown", "raw"].includes(nb.cell_type as string)) {
      err(`nbgrader.cell_type ${JSON.stringify(nb.cell_type)} is not code, markdown or raw`);
    }
    if (nb.task === true && cell.cell_type !== "markdown") err(`task cells must be markdown`);
    if (cell.cell_type === "markdown" && nb.task !== true && (nb.grade === true) !== (nb.solution === true)) {
      err(`a markdown cell marked grade must also be solution and vice versa (or be a task)`);
    }
    if (nb.cell_type !== undefined && nb.cell_type !== cell.cell_type) {
      warnings.push({ cell: i, message: `${where}: cell type changed from ${String(nb.cell_type)} to ${cell.cell_type}` });
    }
    if (typeof nb.grade_id === "string" && nb.grade_id !== "" && needsId) {
      const prev = seen.get(nb.grade_id);
      if (prev !== undefined) err(`grade_id "${nb.grade_id}" is also used by cell ${prev} (ids must be unique)`);
      else seen.set(nb.grade_id, i);
    }
  });
  return { errors, warnings };
}
