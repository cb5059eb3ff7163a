import type { Stage } from "../pipeline";
import type { Diagnostics } from "../pipeline";

/** nbgrader ClearOutput, plus attachments: an image pasted into a solution must not ship. */
export const clearOutput: Stage<Diagnostics> = {
  name: "clearOutput",
  run(nb) {
    for (const cell of nb.cells) {
      if (cell.cell_type === "code") {
        cell.outputs = [];
        cell.execution_count = null;
      }
      delete cell.attachments;
      delete cell.metadata.collapsed;
      delete cell.metadata.scrolled;
      delete cell.metadata.execution;
    }
    return nb;
  },
};
