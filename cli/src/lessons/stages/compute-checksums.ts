import { computeChecksum } from "../format/checksum";
import { isTracked } from "../format/nbgrader-meta";
import type { Stage } from "../pipeline";
import type { Diagnostics } from "../pipeline";

/** nbgrader ComputeChecksums: on the released text, so an untouched answer is recognisable. */
export const computeChecksums: Stage<Diagnostics> = {
  name: "computeChecksums",
  run(nb) {
    for (const cell of nb.cells) {
      const meta = cell.metadata.nbgrader;
      if (!meta || !isTracked(cell)) continue;
      meta.checksum = computeChecksum(cell);
      meta.cell_type = cell.cell_type;
    }
    return nb;
  },
};
