import { predicateProblems } from "nnlab/grading";
import { extractCases } from "../format/cases";
import { cellLabel, sourceOf } from "../format/notebook";
import { isTestCell } from "../format/nbgrader-meta";
import type { Stage } from "../pipeline";
import type { ReleaseContext } from "./context";

/**
 * Every test cell's cases must add up to its points, ids must be unique in the notebook, and
 * every value/expression case must have its expectation in expected.json: otherwise the
 * solution could not score 100 % and the mistake would surface only at grading.
 *
 * Every case that carries points must be one the grader can judge itself, from a value the
 * kernel reports and an expectation kept outside the kernel: a `check` (a bare boolean) or a
 * test cell without helper calls ("passes if it runs") is worth 0 points, and a closeness or
 * property case states its expectation as a literal.
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
      if (cases.length === 0) {
        // Scored as one case "the cell ran without error": the kernel alone decides that.
        if (points > 0)
          problems.push(
            `${where}: a test cell worth ${points} points has no test case; "ran without error" is the kernel's word, not a verdict. Declare its cases with expectClose/expectEqual/expectThat/reportValue`,
          );
        return;
      }
      const sum = cases.reduce((s, c) => s + c.points, 0);
      if (Math.abs(sum - points) > 1e-9) problems.push(`${where}: cases add up to ${sum} points, the cell is worth ${points}`);
      for (const c of cases) {
        if (c.kind === "check" && c.points > 0) {
          problems.push(
            `${where}: check("${c.id}", ${c.points}, …) carries points, but a boolean the kernel reports proves nothing to the grader. Keep check at 0 points as a self-check hint, and give the points to expectEqual/expectClose (a value against a literal), expectThat(id, points, value, { finite: true, shape: […] }) for a property, or reportValue with expected.json`,
          );
        }
        if (c.problem) problems.push(`${where}: ${c.problem}`);
        const exp = ctx.expected[c.id];
        if (exp && "predicates" in exp && exp.predicates !== undefined && predicateProblems(exp.predicates).length > 0) {
          problems.push(`expected.json case "${c.id}": ${predicateProblems(exp.predicates).join("; ")}`);
        }
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
    if (problems.length > 0) throw new Error(`test cases cannot be graded as written:\n  ${problems.join("\n  ")}`);
    return nb;
  },
};
