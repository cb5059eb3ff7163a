import { gradeId } from "../format/nbgrader-meta";
import type { Stage } from "../pipeline";
import type { SanitizeContext } from "./context";

/**
 * nbgrader DeduplicateIds: a student who copies a test or answer cell duplicates its grade_id.
 * The first occurrence keeps the metadata; later copies become plain cells (still executed, but
 * never scored), so a copied test cell cannot count twice.
 */
export const dedupeIds: Stage<SanitizeContext> = {
  name: "dedupeIds",
  run(nb, ctx) {
    const seen = new Set<string>();
    nb.cells.forEach((cell, i) => {
      const id = gradeId(cell);
      if (id === undefined) return;
      if (seen.has(id)) {
        delete cell.metadata.nbgrader;
        ctx.warnings.push(`cell ${i}: duplicate grade_id "${id}" removed (the first cell with it is graded)`);
      } else {
        seen.add(id);
      }
    });
    return nb;
  },
};
