import { clearSolutionRegions, codeStub, TEXT_STUB } from "../format/delimiters";
import { cellLabel, sourceOf } from "../format/notebook";
import { isSolution } from "../format/nbgrader-meta";
import type { Stage } from "../pipeline";
import type { ReleaseContext } from "./context";

/**
 * nbgrader ClearSolutions: regions become the kernel language's stub (indentation kept); a
 * solution cell with no region is replaced whole; a region outside a solution cell is an error.
 */
export const clearSolutions: Stage<ReleaseContext> = {
  name: "clearSolutions",
  run(nb, ctx) {
    const language = nb.metadata.kernelspec?.language;
    nb.cells.forEach((cell, i) => {
      const where = `${ctx.file} ${cellLabel(cell, i)}`;
      const stub = cell.cell_type === "code" ? codeStub(language, where) : TEXT_STUB;
      const { source, replaced } = clearSolutionRegions(sourceOf(cell), stub, where);
      if (replaced && !isSolution(cell)) {
        throw new Error(`${where}: solution region in a cell that is not a solution cell (mark it "solution": true)`);
      }
      if (isSolution(cell)) cell.source = replaced ? source : stub;
    });
    return nb;
  },
};
