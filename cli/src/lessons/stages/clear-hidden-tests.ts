import { removeHiddenRegions } from "../format/delimiters";
import { cellLabel, sourceOf } from "../format/notebook";
import { isGrade } from "../format/nbgrader-meta";
import type { Stage } from "../pipeline";
import type { ReleaseContext } from "./context";

/** nbgrader ClearHiddenTests; runs after the source was captured for the record. */
export const clearHiddenTests: Stage<ReleaseContext> = {
  name: "clearHiddenTests",
  run(nb, ctx) {
    nb.cells.forEach((cell, i) => {
      const where = `${ctx.file} ${cellLabel(cell, i)}`;
      const { source, removed } = removeHiddenRegions(sourceOf(cell), where);
      if (removed.length === 0) return;
      if (!isGrade(cell)) throw new Error(`${where}: hidden-test region in a cell that is not graded`);
      cell.source = source;
    });
    return nb;
  },
};
