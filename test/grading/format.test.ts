import { describe, expect, it } from "vitest";
import { computeChecksum, pythonFloat } from "../../cli/src/lessons/format/checksum";
import { clearSolutionRegions, removeHiddenRegions, CODE_STUBS } from "../../cli/src/lessons/format/delimiters";
import { regionTexts, removeRegions } from "../../cli/src/lessons/format/regions";
import { checkCellMetadata } from "../../cli/src/lessons/format/nbgrader-meta";
import { extractCases } from "../../cli/src/lessons/format/cases";
import type { Cell, NbgraderMeta } from "../../cli/src/lessons/format/notebook";

const TS_STUB = CODE_STUBS.typescript;

function cell(source: string, nbgrader: NbgraderMeta, cellType: Cell["cell_type"] = "code"): Cell {
  const metadata = { nbgrader: { schema_version: 3, ...nbgrader } };
  return cellType === "code"
    ? { cell_type: cellType, source, metadata, outputs: [], execution_count: null }
    : { cell_type: cellType, source, metadata };
}

describe("Python float formatting (str(float(x)))", () => {
  it.each([
    [2, "2.0"],
    [0.5, "0.5"],
    [0, "0.0"],
    [1e-5, "1e-05"],
    [1.5e-5, "1.5e-05"],
    [0.0001, "0.0001"],
    [1e16, "1e+16"],
    [1234567890123456, "1234567890123456.0"],
    [0.1 + 0.2, "0.30000000000000004"],
    [-3, "-3.0"],
    [1e22, "1e+22"],
    [123.25, "123.25"],
  ])("%s → %s", (x, s) => expect(pythonFloat(x)).toBe(s));
});

describe("nbgrader checksums: golden vectors", () => {
  it("does the 'squares' solution cell of nbgrader's ps1 hash to 8f1eab8d…?", () => {
    const src =
      'def squares(n):\n    """Compute the squares of numbers from 1 to n, such that the \n    ith element of the returned list equals i^2.\n    \n    """\n    # YOUR CODE HERE\n    raise NotImplementedError()';
    expect(computeChecksum(cell(src, { grade: false, solution: true, locked: false, grade_id: "squares" }))).toBe("8f1eab8d02a9520920aa06f8a86a2492");
  });
  it("does the released sigmoid answer cell hash to dbafb24e…?", () => {
    const src = 'function sigmoid(z: number): number {\n  // YOUR CODE HERE\n  throw new Error("Not implemented");\n}';
    expect(computeChecksum(cell(src, { grade: false, solution: true, locked: false, task: false, grade_id: "sigmoid" }))).toBe(
      "dbafb24e83a9517c0ee195aea575c382",
    );
  });
  it("does a test cell hash its implicit lock (5ce18e27…), not the stored locked:false?", () => {
    const src = '// sigmoid(0) must be 0.5\nif (Math.abs(sigmoid(0) - 0.5) > 1e-9) throw new Error("sigmoid(0) should be 0.5");';
    const c = cell(src, { grade: true, solution: false, locked: false, task: false, grade_id: "sigmoid_tests", points: 2 });
    expect(computeChecksum(c)).toBe("5ce18e27e2bd49715d940e17c3877d00");
    expect(computeChecksum(c)).not.toBe("1c98412ea3da4809bdd190f99b63a143");
  });
});

describe("solution delimiters (nbgrader semantics)", () => {
  const W = "lesson.ipynb cell 3";
  it.each([
    [
      "a region keeps the BEGIN line's indentation",
      "f() {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}",
      `f() {\n  // YOUR CODE HERE\n  throw new Error("Not implemented");\n}`,
    ],
    [
      "two regions are both replaced",
      "// BEGIN SOLUTION\na();\n// END SOLUTION\nkeep();\n    // BEGIN SOLUTION\n    b();\n    // END SOLUTION",
      `${TS_STUB}\nkeep();\n    // YOUR CODE HERE\n    throw new Error("Not implemented");`,
    ],
    ["delimiters match inside other comment styles", "/* BEGIN SOLUTION */\nx = 1;\n/* END SOLUTION */", TS_STUB],
  ])("%s", (_name, src, out) => {
    expect(clearSolutionRegions(src, TS_STUB, W)).toEqual({ source: out, replaced: true });
  });
  it("reports no region for a cell without delimiters (the caller replaces it whole)", () => {
    expect(clearSolutionRegions("let x = 1;", TS_STUB, W)).toEqual({ source: "let x = 1;", replaced: false });
  });
  it.each([
    [
      "nested BEGIN",
      "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION",
      /cell 3, line 2: nested "BEGIN SOLUTION" \(the region opened on line 1/,
    ],
    ["missing END", "a\n  // BEGIN SOLUTION\nx", /cell 3, line 2: "BEGIN SOLUTION" is never closed/],
    ["END without BEGIN", "x\n// END SOLUTION", /cell 3, line 2: "END SOLUTION" without a preceding/],
  ])("rejects %s, naming the cell and line", (_n, src, re) => {
    expect(() => clearSolutionRegions(src, TS_STUB, W)).toThrow(re);
  });
  it("removes hidden-test regions with their delimiters and returns their text", () => {
    const r = removeHiddenRegions("a;\n// BEGIN HIDDEN TESTS\nsecret();\n// END HIDDEN TESTS\nb;", W);
    expect(r).toEqual({ source: "a;\nb;", removed: ["secret();"] });
    expect(() => removeHiddenRegions("// BEGIN HIDDEN TESTS\nx", W)).toThrow(/never closed/);
  });
  it("removes every region of a kind, an empty one too, and leaves a source without one as it was", () => {
    const src = "a\n<!-- BEGIN MARK SCHEME -->\none\ntwo\n<!-- END MARK SCHEME -->\nb\nBEGIN MARK SCHEME\nEND MARK SCHEME\nc\n";
    expect(removeRegions(src, "BEGIN MARK SCHEME", "END MARK SCHEME", W)).toEqual({ source: "a\nb\nc\n", removed: ["one\ntwo", ""] });
    expect(regionTexts(src, "BEGIN MARK SCHEME", "END MARK SCHEME", W)).toEqual(["one\ntwo", ""]);
    expect(removeRegions("a\n\nb\n", "BEGIN MARK SCHEME", "END MARK SCHEME", W)).toEqual({ source: "a\n\nb\n", removed: [] });
  });
});

describe("schema 3 metadata checks", () => {
  it("accepts the five toolbar roles", () => {
    const cells = [
      cell("a", { grade: true, solution: true, locked: false, grade_id: "m", points: 1 }),
      cell("t", { grade: false, solution: false, locked: false, task: true, grade_id: "t", points: 2 }, "markdown"),
      cell("s", { grade: false, solution: true, locked: false, grade_id: "s" }),
      cell("g", { grade: true, solution: false, locked: false, grade_id: "g", points: 1 }),
      cell("r", { grade: false, solution: false, locked: true, grade_id: "r" }),
    ];
    expect(checkCellMetadata(cells, "strict").errors).toEqual([]);
  });
  it.each([
    [{ grade: true, solution: false, locked: false, grade_id: "x" }, /points must be a number/],
    [{ grade: false, solution: true, locked: false, grade_id: "bad id" }, /grade_id "bad id" must match/],
    [{ grade: false, solution: true, locked: false }, /grade_id is required/],
    [{ grade: "yes", solution: true, locked: false, grade_id: "x" }, /"grade" must be a boolean/],
    [{ grade: false, solution: true, locked: false, grade_id: "x", colour: "red" }, /unknown nbgrader key "colour"/],
    [{ schema_version: 2, grade: false, solution: true, locked: false, grade_id: "x" }, /schema_version is 2, need 3/],
  ])("rejects %j", (meta, re) => {
    const { errors } = checkCellMetadata([cell("x", meta)], "strict");
    expect(errors.map((e) => e.message).join("\n")).toMatch(re);
  });
  it("strips unknown keys with a warning in repair mode", () => {
    const c = cell("x", { grade: false, solution: true, locked: false, grade_id: "x", colour: "red" });
    const { errors, warnings } = checkCellMetadata([c], "repair");
    expect(errors).toEqual([]);
    expect(warnings[0].message).toMatch(/removed unknown nbgrader key "colour"/);
    expect(c.metadata.nbgrader).not.toHaveProperty("colour");
  });
  it("rejects duplicated grade ids", () => {
    const m = { grade: false, solution: true, locked: false, grade_id: "dup" };
    expect(checkCellMetadata([cell("a", m), cell("b", { ...m })], "strict").errors[0].message).toMatch(/also used by cell 0/);
  });
});

describe("case extraction", () => {
  it("finds ids, points and hidden-ness of helper calls", () => {
    const src = [
      'check("q1_a", 1, () => f(0) === 1, "f(0)");',
      '// check("commented", 5, true)',
      'expectClose("q1_b", 2, f(1), 2);',
      "// BEGIN HIDDEN TESTS",
      'reportValue("q1_h", 1.5, f(2));',
      "// END HIDDEN TESTS",
    ].join("\n");
    expect(extractCases(src, "c")).toEqual([
      { id: "q1_a", points: 1, kind: "check", hidden: false },
      { id: "q1_b", points: 2, kind: "close", hidden: false, expected: { shape: [], data: [2] } },
      { id: "q1_h", points: 1.5, kind: "value", hidden: true },
    ]);
  });
});
