/** Shared helpers for the grading tests: fixture paths and notebook surgery. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Notebook, parseNotebook, sourceOf, cloneNotebook } from "../../cli/src/lessons/format/notebook";
import { releaseNotebook } from "../../cli/src/lessons/release";
import { readExpected } from "../../cli/src/lessons/expected";

export const REPO = join(__dirname, "..", "..");
export const FIXTURES = join(REPO, "test", "fixtures", "grading");
export const MINI = join(FIXTURES, "mini");

export function loadNotebook(file: string): Notebook {
  return parseNotebook(readFileSync(file, "utf8"), file);
}

export function miniRelease() {
  const source = loadNotebook(join(MINI, "source.ipynb"));
  return { source, ...releaseNotebook(cloneNotebook(source), join(MINI, "source.ipynb"), { expected: readExpected(MINI) }, "mini", "mini.ipynb") };
}

/** The release with every answer cell filled in from the source (delimiter lines removed): a full-marks student. */
export function solvedFrom(release: Notebook, source: Notebook): Notebook {
  const nb = cloneNotebook(release);
  nb.cells.forEach((cell, i) => {
    if (cell.metadata.nbgrader?.solution === true) {
      cell.source = sourceOf(source.cells[i])
        .split("\n")
        .filter((l) => !/(BEGIN|END) SOLUTION/.test(l))
        .join("\n");
    }
  });
  return nb;
}

export function cellById(nb: Notebook, gradeId: string) {
  const i = nb.cells.findIndex((c) => c.metadata.nbgrader?.grade_id === gradeId);
  if (i < 0) throw new Error(`no cell ${gradeId}`);
  return { index: i, cell: nb.cells[i] };
}
