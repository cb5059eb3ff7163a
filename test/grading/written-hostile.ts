/**
 * Submissions of the `written` fixture (test/fixtures/grading/written: one autograded cell worth
 * 2, written answers why_four (3) and why_zero (1)) that mangle or abuse the written answers. Each
 * states what it must get: the autograded score, the points pending manual grading, and each
 * written answer's status. None may gain a point or a pending point, and none may break grading.
 */
import { join } from "node:path";
import { type Cell, type Notebook, cloneNotebook } from "../../cli/src/lessons/format/notebook";
import { releaseNotebook } from "../../cli/src/lessons/release";
import { readExpected } from "../../cli/src/lessons/expected";
import { cellById, FIXTURES, loadNotebook, solvedFrom } from "./helpers";

export const WRITTEN = join(FIXTURES, "written");

export interface WrittenHostile {
  name: string;
  notebook: Notebook;
  score: number;
  pending: number;
  status: Record<string, "pending" | "failed">;
  /** Text that must not reach the feedback page (markup a browser would run, control characters), lower case. */
  notInFeedback?: string[];
}

export function writtenRelease() {
  const source = loadNotebook(join(WRITTEN, "source.ipynb"));
  return {
    source,
    ...releaseNotebook(cloneNotebook(source), join(WRITTEN, "source.ipynb"), { expected: readExpected(WRITTEN) }, "written", "written.ipynb"),
  };
}

export const FOUR = "Each doubling multiplies by 2, and 2 · 2 = 4 for every input.";
export const ZERO = "Any multiple of 0 is 0.";
const MARKUP =
  '<script>document.title="pwned"</script>\n\n<img src="x" onerror="alert(1)">\n\n[click](javascript:alert(1))\n\u001b[2J\u001b]0;owned\u0007 and NUL\u0000 here';
const CODE_ANSWER = 'require("fs").writeFileSync("written-was-run", "x");\nprocess.exit(3);';

export function writtenHostile(): { release: Notebook; subs: WrittenHostile[] } {
  const { notebook: release, source } = writtenRelease();
  const solved = solvedFrom(release, source);
  // solvedFrom copies the source's model answers; a student writes their own.
  cellById(solved, "why_four").cell.source = FOUR;
  cellById(solved, "why_zero").cell.source = ZERO;
  const edit = (f: (nb: Notebook) => void): Notebook => {
    const nb = cloneNotebook(solved);
    f(nb);
    return nb;
  };
  const meta = (nb: Notebook, gid: string) => cellById(nb, gid).cell.metadata.nbgrader!;
  const both = { why_four: "pending", why_zero: "pending" } as const;
  const subs: WrittenHostile[] = [
    { name: "good", notebook: solved, score: 2, pending: 4, status: both },
    { name: "released", notebook: release, score: 0, pending: 0, status: { why_four: "failed", why_zero: "failed" } },
    {
      name: "points_edited",
      score: 2,
      pending: 4,
      status: both,
      notebook: edit((nb) => {
        meta(nb, "why_four").points = 100;
        meta(nb, "why_zero").points = 50;
      }),
    },
    {
      name: "flags_off",
      score: 2,
      pending: 4,
      status: both,
      notebook: edit((nb) => {
        Object.assign(meta(nb, "why_four"), { grade: false, solution: false, locked: true });
      }),
    },
    {
      name: "grade_id_renamed",
      score: 2,
      pending: 1,
      status: { why_four: "failed", why_zero: "pending" },
      notebook: edit((nb) => {
        const { cell } = cellById(nb, "why_four");
        Object.assign(cell.metadata.nbgrader!, { grade_id: "bonus_essay", points: 30 });
        cell.id = "bonus_essay";
      }),
    },
    {
      name: "deleted",
      score: 2,
      pending: 1,
      status: { why_four: "failed", why_zero: "pending" },
      notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "why_four").index, 1);
      }),
    },
    {
      name: "duplicated",
      score: 2,
      pending: 4,
      status: both,
      notebook: edit((nb) => {
        const { index, cell } = cellById(nb, "why_four");
        const copy = JSON.parse(JSON.stringify(cell)) as Cell;
        copy.source = "A second answer, hoping to be counted twice.";
        nb.cells.splice(index + 1, 0, copy);
      }),
    },
    {
      name: "extra_answer_cell",
      score: 2,
      pending: 4,
      status: both,
      notebook: edit((nb) => {
        nb.cells.push({
          cell_type: "markdown",
          id: "extra",
          source: "Free points, please.",
          metadata: { nbgrader: { schema_version: 3, grade: true, solution: true, locked: false, task: false, grade_id: "extra", points: 50 } },
        });
      }),
    },
    {
      name: "markup",
      score: 2,
      pending: 4,
      status: both,
      notInFeedback: ["<script", "onerror", "javascript:", "\u001b", "\u0000"],
      notebook: edit((nb) => {
        cellById(nb, "why_four").cell.source = MARKUP;
      }),
    },
    {
      name: "to_code",
      score: 2,
      pending: 4,
      status: both,
      notebook: edit((nb) => {
        const { cell } = cellById(nb, "why_four");
        Object.assign(cell, { cell_type: "code", source: CODE_ANSWER, outputs: [], execution_count: null });
      }),
    },
  ];
  return { release, subs };
}
