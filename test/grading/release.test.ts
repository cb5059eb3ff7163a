import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeChecksum } from "../../cli/src/lessons/format/checksum";
import { type Notebook, cloneNotebook, sourceOf } from "../../cli/src/lessons/format/notebook";
import { checkCellMetadata } from "../../cli/src/lessons/format/nbgrader-meta";
import { readExpected } from "../../cli/src/lessons/expected";
import { findLeaks, secretNeedles } from "../../cli/src/lessons/leak-check";
import { releaseNotebook } from "../../cli/src/lessons/release";
import { REPO, MINI, cellById, loadNotebook, miniRelease } from "./helpers";

const STUB = '// YOUR CODE HERE\nthrow new Error("Not implemented");';

describe("release of the mini fixture", () => {
  const r = miniRelease();

  it("replaces solution regions by the TypeScript stub, keeping indentation", () => {
    expect(sourceOf(cellById(r.notebook, "sigmoid").cell)).toBe(
      'function sigmoid(z: number): number {\n  // YOUR CODE HERE\n  throw new Error("Not implemented");\n}',
    );
    expect(sourceOf(cellById(r.notebook, "deriv").cell)).toBe(`// Write σ'(z) as a string in z, e.g. "2*z".\n${STUB}`);
  });

  it("removes hidden tests but keeps the public ones", () => {
    const t = sourceOf(cellById(r.notebook, "sigmoid_tests").cell);
    expect(t).toContain('expectEqual("sigmoid_zero"');
    expect(t).not.toContain("HIDDEN");
    expect(t).not.toContain("sigmoid_hidden");
  });

  it("sets nbgrader checksums that recompute, cell types, and Jupyter's lock flags", () => {
    for (const cell of r.notebook.cells) {
      const nb = cell.metadata.nbgrader;
      if (!nb) continue;
      expect(nb.checksum).toBe(computeChecksum(cell));
      expect(nb.cell_type).toBe(cell.cell_type);
      expect(cell.metadata.deletable).toBe(false);
      if (nb.grade === true || nb.locked === true) expect(cell.metadata.editable).toBe(false);
      else expect(cell.metadata.editable).toBeUndefined();
    }
    expect(checkCellMetadata(r.notebook.cells, "strict").errors).toEqual([]);
  });

  it("clears outputs and execution counts", () => {
    for (const c of r.notebook.cells.filter((c) => c.cell_type === "code")) {
      expect(c.outputs).toEqual([]);
      expect(c.execution_count).toBeNull();
    }
  });

  it("keeps the full tests (hidden included), cases and points in the record", () => {
    const t = r.record.cells.find((c) => c.gradeId === "sigmoid_tests")!;
    expect(t.fullSource).toContain('reportValue("sigmoid_hidden"');
    expect(t.cases.map((c) => [c.id, c.points, c.hidden])).toEqual([
      ["sigmoid_zero", 1, false],
      ["sigmoid_two", 1, false],
      ["sigmoid_hidden", 2, true],
    ]);
    expect(r.record.maxScore).toBe(7);
  });

  it("leaks no solution line, hidden-test line or expected value", () => {
    const needles = secretNeedles(r.source, readExpected(MINI), "mini");
    expect(needles).toContain("return 1 / (1 + Math.exp(-z));");
    expect(needles).toContain('reportValue("sigmoid_hidden", 2, [sigmoid(-3), sigmoid(1.5)]);');
    expect(needles).toContain("0.04742587317756678");
    expect(findLeaks(r.bytes, needles)).toEqual([]);
  });

  it("detects a leak when a secret is present (the check can fail)", () => {
    const needles = secretNeedles(r.source, readExpected(MINI), "mini");
    const bad = r.bytes.replace("// YOUR CODE HERE", "// return 1 / (1 + Math.exp(-z));");
    expect(findLeaks(bad, needles)).toContain("return 1 / (1 + Math.exp(-z));");
  });
});

describe("release errors name the cell and line", () => {
  function releaseWith(edit: (nb: Notebook) => void, expected = readExpected(MINI)) {
    const nb = cloneNotebook(loadNotebook(join(MINI, "source.ipynb")));
    edit(nb);
    return () => releaseNotebook(nb, "mini/source.ipynb", { expected }, "mini", "mini.ipynb");
  }
  it.each([
    [
      "a nested BEGIN SOLUTION",
      (nb: Notebook) => {
        cellById(nb, "double").cell.source = "// BEGIN SOLUTION\n// BEGIN SOLUTION\nx\n// END SOLUTION";
      },
      /mini\/source\.ipynb cell 6 \("double"\), line 2: nested "BEGIN SOLUTION"/,
    ],
    [
      "a missing END SOLUTION",
      (nb: Notebook) => {
        cellById(nb, "double").cell.source = "let a = 1;\n  // BEGIN SOLUTION\nx";
      },
      /cell 6 \("double"\), line 2: "BEGIN SOLUTION" is never closed/,
    ],
    [
      "a solution region in a test cell",
      (nb: Notebook) => {
        cellById(nb, "double_tests").cell.source = '// BEGIN SOLUTION\nx\n// END SOLUTION\nexpectEqual("double_tests", 1, double(3), 6);';
      },
      /cell 7 \("double_tests"\): solution region in a cell that is not a solution cell/,
    ],
    [
      "cases that do not add up to the cell's points",
      (nb: Notebook) => {
        cellById(nb, "sigmoid_tests").cell.metadata.nbgrader!.points = 5;
      },
      /cases add up to 4 points, the cell is worth 5/,
    ],
    [
      "an unknown kernel language",
      (nb: Notebook) => {
        nb.metadata.kernelspec = { name: "x", language: "cobol", display_name: "x" };
      },
      /no code stub for kernelspec language "cobol"/,
    ],
  ])("rejects %s", (_n, edit, re) => {
    expect(releaseWith(edit)).toThrow(re);
  });
  it("rejects a hidden value case without an expected value", () => {
    expect(releaseWith(() => undefined, {})).toThrow(/case "sigmoid_hidden" reports a value but expected.json has no entry/);
  });
  it("replaces a solution cell without delimiters whole", () => {
    const nb = cloneNotebook(loadNotebook(join(MINI, "source.ipynb")));
    cellById(nb, "double").cell.source = "function double(x: number) { return 2 * x; }";
    const r = releaseNotebook(nb, "m", { expected: readExpected(MINI) }, "mini", "mini.ipynb");
    expect(sourceOf(cellById(r.notebook, "double").cell)).toBe(STUB);
  });
});

describe("every lesson", () => {
  const lessons = readdirSync(join(REPO, "lessons")).filter((d) => existsSync(join(REPO, "lessons", d, "source.ipynb")));
  it("has at least six lessons, 01 to 06", () => {
    expect(lessons.slice(0, 6).map((l) => l.slice(0, 2))).toEqual(["01", "02", "03", "04", "05", "06"]);
  });
  it.each(lessons)("%s releases without leaks, with the nnlab kernelspec, identical to the committed release and record", (name) => {
    const dir = join(REPO, "lessons", name);
    const source = loadNotebook(join(dir, "source.ipynb"));
    expect(source.metadata.kernelspec).toEqual({ name: "nnlab", language: "typescript", display_name: "TypeScript (nnlab)" });
    const r = releaseNotebook(cloneNotebook(source), join(dir, "source.ipynb"), { expected: readExpected(dir) }, name, `${name}.ipynb`);
    const needles = secretNeedles(source, readExpected(dir), name);
    expect(needles.length).toBeGreaterThan(3);
    expect(findLeaks(r.bytes, needles)).toEqual([]);
    const tests = r.record.cells.filter((c) => c.role === "test");
    expect(tests.length).toBeGreaterThanOrEqual(3);
    expect(tests.some((c) => c.cases.some((k) => k.hidden))).toBe(true);
    expect(tests.some((c) => c.cases.some((k) => !k.hidden))).toBe(true);
    expect(readFileSync(join(dir, "release", `${name}.ipynb`), "utf8")).toBe(r.bytes);
    expect(JSON.parse(readFileSync(join(dir, "release-record.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(r.record)));
  });
});

describe("released notebooks read by Python (nbformat + nbgrader's checksum in Python)", () => {
  const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
  let python = false;
  try {
    execFileSync("/usr/bin/python3", ["-c", "import nbformat"], { stdio: "ignore" });
    python = true;
  } catch {
    console.log("Python check skipped: /usr/bin/python3 with nbformat is not available");
  }
  it.skipIf(!python)("validates every lesson's release against nbformat 4 and recomputes every checksum identically", () => {
    const files = readdirSync(join(REPO, "lessons"))
      .map((d) => join(REPO, "lessons", d, "release", `${d}.ipynb`))
      .filter(existsSync);
    expect(files.length).toBeGreaterThanOrEqual(6);
    const out = execFileSync("/usr/bin/python3", [join(REPO, "test", "fixtures", "grading", "nbgrader_check.py"), ...files], { encoding: "utf8" });
    expect(out.trim().split("\n")).toHaveLength(files.length);
    // 01: setup, three solution cells and their three test cells, the training task (data,
    // trainNeuron, its tests), part 4 (tensor setup, layer, its tests), and the written answer (a
    // markdown grade + solution cell: nbgrader hashes it too).
    expect(out).toMatch(/01-backprop\.ipynb: 14 checksums checked/);
  });
});
