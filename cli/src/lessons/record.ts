/**
 * The release record: what the grader needs to rebuild and score a submission, written at
 * release time NEXT TO source.ipynb (lessons/<nn>/release-record.json), never inside the release
 * folder and never in a kernel's working directory. It holds the full test sources (hidden
 * regions included), the released cells with their checksums, and every case with its points.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseSpec } from "./format/cases";
import type { Cell, Notebook } from "./format/notebook";
import type { Rubric } from "./format/rubric";

export type RecordCellRole = "solution" | "test" | "locked" | "task" | "manual" | "free";

export interface RecordCell {
  index: number;
  id?: string | undefined;
  gradeId?: string | undefined;
  role: RecordCellRole;
  /** The cell as released (stubbed, hidden tests removed, checksum set). */
  released: Cell;
  /** Full instructor source for test and locked cells (hidden regions included); absent otherwise. */
  fullSource?: string | undefined;
  points: number;
  cases: CaseSpec[];
  /** Manually graded answers only: the instructor's criteria and model answer (never released). */
  rubric?: Rubric;
}

export interface ReleaseRecord {
  format: "nnlab-release-record/1";
  lesson: string;
  notebook: string;
  kernelspec: NonNullable<Notebook["metadata"]["kernelspec"]>;
  cells: RecordCell[];
  /** Autograded and manually graded points together. */
  maxScore: number;
}

export const RECORD_FILE = "release-record.json";
export const EXPECTED_FILE = "expected.json";

export function recordPath(lessonDir: string): string {
  return join(lessonDir, RECORD_FILE);
}

export function readRecord(lessonDir: string): ReleaseRecord {
  const file = recordPath(lessonDir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`${file} not found: run "nnlab release ${lessonDir}" first`);
  }
  const rec = JSON.parse(text) as ReleaseRecord;
  if (rec.format !== "nnlab-release-record/1") throw new Error(`${file}: unknown record format ${String(rec.format)}`);
  return rec;
}

/** Every case of the lesson in notebook order (the stable order of all outputs). */
export function allCases(rec: ReleaseRecord): { cell: RecordCell; spec: CaseSpec }[] {
  return rec.cells.flatMap((cell) => cell.cases.map((spec) => ({ cell, spec })));
}

/** The manually graded answer cells (written answers), in notebook order. */
export function manualCells(rec: ReleaseRecord): RecordCell[] {
  return rec.cells.filter((c) => c.role === "manual");
}
