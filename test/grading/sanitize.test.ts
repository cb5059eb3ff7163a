import { describe, expect, it } from "vitest";
import { cloneNotebook, sourceOf } from "../../cli/src/lessons/format/notebook";
import { sanitize } from "../../cli/src/lessons/sanitize";
import { cellById, miniRelease, solvedFrom } from "./helpers";

const { notebook: release, record, source } = miniRelease();
const good = solvedFrom(release, source);

function rebuilt(edit: (nb: typeof good) => void) {
  const nb = cloneNotebook(good);
  edit(nb);
  return sanitize(nb, record, "student.ipynb");
}

const order = (nb: typeof good) => nb.cells.map((c) => c.metadata.nbgrader?.grade_id ?? c.cell_type);
const expectedOrder = order(release);

describe("sanitize: rebuild a submission from the release record", () => {
  it("restores hidden tests into test cells of an untouched submission, without warnings", () => {
    const { notebook, warnings } = rebuilt(() => undefined);
    expect(warnings).toEqual([]);
    expect(sourceOf(cellById(notebook, "sigmoid_tests").cell)).toContain('reportValue("sigmoid_hidden"');
    expect(sourceOf(cellById(notebook, "sigmoid").cell)).toContain("Math.exp(-z)");
    expect(order(notebook)).toEqual(expectedOrder);
  });

  it("re-inserts a deleted test cell after the answer cell before it", () => {
    const { notebook, warnings } = rebuilt((nb) => nb.cells.splice(cellById(nb, "sigmoid_tests").index, 1));
    expect(order(notebook)).toEqual(expectedOrder);
    expect(warnings).toContain('cell "sigmoid_tests" was deleted; re-inserted from the release');
  });

  it("restores an edited test cell", () => {
    const { notebook, warnings } = rebuilt((nb) => (cellById(nb, "double_tests").cell.source = "// trust me"));
    expect(sourceOf(cellById(notebook, "double_tests").cell)).toContain("double(3) !== 6");
    expect(warnings.join("\n")).toMatch(/"double_tests"\): locked cell was edited; restored/);
  });

  it("reverts an answer cell turned into markdown, keeping the student's text", () => {
    const { notebook, warnings } = rebuilt((nb) => (cellById(nb, "sigmoid").cell.cell_type = "markdown"));
    const c = cellById(notebook, "sigmoid").cell;
    expect(c.cell_type).toBe("code");
    expect(sourceOf(c)).toContain("Math.exp(-z)");
    expect(warnings.join("\n")).toMatch(/cell type markdown reverted to code/);
  });

  it("matches cells whose nbgrader metadata was stripped by cell id, and restores the kernelspec", () => {
    const { notebook, warnings } = rebuilt((nb) => {
      for (const c of nb.cells) delete c.metadata.nbgrader;
      nb.metadata.kernelspec = { name: "python3", language: "python", display_name: "Python 3" };
    });
    expect(order(notebook)).toEqual(expectedOrder);
    expect(notebook.metadata.kernelspec?.name).toBe("nnlab");
    expect(warnings.join("\n")).toMatch(/metadata missing; matched to "sigmoid" by cell id/);
    expect(warnings.join("\n")).toMatch(/kernelspec "python3" replaced/);
  });

  it("grades only the first of duplicated grade ids; the copy becomes an ordinary cell", () => {
    const { notebook, warnings } = rebuilt((nb) => {
      const copy = cloneNotebook(nb).cells[cellById(nb, "double_tests").index];
      copy.id = "copy";
      nb.cells.push(copy);
    });
    expect(notebook.cells.filter((c) => c.metadata.nbgrader?.grade_id === "double_tests")).toHaveLength(1);
    expect(notebook.cells[notebook.cells.length - 1].metadata.nbgrader).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/duplicate grade_id "double_tests" removed/);
  });

  it("keeps extra cells a student added", () => {
    const { notebook } = rebuilt((nb) =>
      nb.cells.splice(3, 0, { cell_type: "code", source: "const helper = 1;", metadata: {}, outputs: [], execution_count: null }),
    );
    expect(notebook.cells.map(sourceOf)).toContain("const helper = 1;");
  });
});
