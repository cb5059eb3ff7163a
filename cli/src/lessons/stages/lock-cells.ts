import { isGrade, isLocked, isSolution } from "../format/nbgrader-meta";
import type { Stage } from "../pipeline";
import type { ReleaseContext } from "./context";

/** nbgrader LockCells: Jupyter front ends refuse to delete answer/test cells and to edit locked ones. */
export const lockCells: Stage<ReleaseContext> = {
  name: "lockCells",
  run(nb) {
    for (const cell of nb.cells) {
      if (isSolution(cell) || isGrade(cell)) cell.metadata.deletable = false;
      if (isLocked(cell)) {
        cell.metadata.deletable = false;
        cell.metadata.editable = false;
      }
    }
    return nb;
  },
};
