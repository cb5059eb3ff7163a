import { cellLabel, sourceOf } from "../format/notebook";
import { isGrade, isSolution, isTask } from "../format/nbgrader-meta";
import { removeMarkScheme } from "../format/rubric";
import type { Stage } from "../pipeline";
import type { ReleaseContext } from "./context";

/**
 * nbgrader ClearMarkScheme: mark-scheme regions are removed at release. They may sit only in a
 * manually graded answer (markdown, grade + solution) or a task cell: anywhere else a forgotten
 * region would be a rubric shown to students, so it is an error.
 */
export const clearMarkScheme: Stage<ReleaseContext> = {
  name: "clearMarkScheme",
  run(nb, ctx) {
    nb.cells.forEach((cell, i) => {
      const where = `${ctx.file} ${cellLabel(cell, i)}`;
      const { source, removed } = removeMarkScheme(sourceOf(cell), where);
      if (removed.length === 0) return;
      const manual = cell.cell_type === "markdown" && isGrade(cell) && isSolution(cell);
      if (!manual && !isTask(cell)) throw new Error(`${where}: mark-scheme region in a cell that is neither a manually graded answer nor a task`);
      cell.source = source;
    });
    return nb;
  },
};
