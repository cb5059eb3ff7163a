import { extractCases } from "../format/cases";
import { cellLabel, sourceOf } from "../format/notebook";
import { isTestCell } from "../format/nbgrader-meta";
import { Stage } from "../pipeline";
import { ReleaseContext } from "./context";

/**
 * Every test cell's cases must add up to its points, ids must be unique in the notebook, and
 * every value/expression case must have its expectation in expected.json: otherwise the
 * solution could not score 100 % and the mistake would surface only at grading.
 */
export const checkCases: Stage<ReleaseContext> = {
  name: "checkCases",
  run(nb, ctx) {
    const problems: string[] = [];
    const seen = new Set<string>();
    nb.cells.forEach((cell, i) => {
      if (!isTestCell(cell)) return;
      const where = `${ctx.file} ${cellLabel(cell, i)}`;
      const cases = extractCases(sourceOf(cell), where);
      const points = Number(cell.metadata.nbgrader?.points);
      if (cases.length === 0) return; // scored as one case: the whole cell passes or not
      const sum = cases.reduce((s, c) => s + c.points, 0);
      if (Math.abs(sum - points) > 1e-9) problems.push(`${where}: cases add up to ${sum} points, the cell is worth ${points}`);
      for (const c of cases) {
        if (seen.has(c.id)) problems.push(`${where}: case id "${c.id}" is used twice`);
        seen.add(c.id);
        if ((c.kind === "value" || c.kind === "expression") && !(c.id in ctx.expected)) {
          problems.push(`${where}: case "${c.id}" reports a ${c.kind} but expected.json has no entry for it`);
        }
        if (c.kind === "expression" && c.id in ctx.expected && !("expression" in ctx.expected[c.id])) {
          problems.push(`${where}: case "${c.id}" reports an expression but expected.json gives a value`);
        }
      }
    });
    if (problems.length > 0) throw new Error(`test cases do not add up:\n  ${problems.join("\n  ")}`);
    return nb;
  },
};
