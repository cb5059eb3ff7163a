import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clearOutputs, NotebookFormatError, parseNotebook, readNotebook, serializeNotebook, sourceText, writeNotebook } from "../../cli/src/notebook";

const fixtures = join(__dirname, "..", "fixtures", "notebooks");
const tmp = join(__dirname, "..", ".tmp", "cli-notebook");
mkdirSync(tmp, { recursive: true });

describe("notebook read / validate / write", () => {
  it("round-trips a fixture byte for byte (Jupyter's layout: sorted keys, indent 1, lists of lines)", () => {
    const file = join(fixtures, "plotly-output.ipynb");
    const nb = readNotebook(file);
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.cells.map((c) => c.id)).toEqual(["title", "plot"]);
    const out = join(tmp, "roundtrip.ipynb");
    writeNotebook(out, nb);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(file, "utf8"));
  });

  it("adds missing cell ids deterministically, keeps existing ones, upgrades to 4.5", () => {
    const doc = {
      nbformat: 4,
      nbformat_minor: 4,
      metadata: {},
      cells: [
        { cell_type: "markdown", metadata: {}, source: "# t" },
        { cell_type: "code", id: "keep-me", metadata: {}, source: "1", outputs: [], execution_count: null },
        { cell_type: "code", metadata: {}, source: "1", outputs: [], execution_count: null },
      ],
    };
    const a = parseNotebook(JSON.stringify(doc), "a.ipynb");
    const b = parseNotebook(JSON.stringify(doc), "b.ipynb");
    expect(a.nbformat_minor).toBe(5);
    expect(a.cells[1]!.id).toBe("keep-me");
    expect(a.cells.map((c) => c.id)).toEqual(b.cells.map((c) => c.id));
    expect(new Set(a.cells.map((c) => c.id)).size).toBe(3);
    for (const c of a.cells) expect(c.id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    // Written form is valid 4.5 and reads back with the same ids.
    expect(parseNotebook(serializeNotebook(a), "c.ipynb").cells.map((c) => c.id)).toEqual(a.cells.map((c) => c.id));
  });

  it("names the file and every malformed part", () => {
    const file = join(tmp, "malformed.ipynb");
    writeFileSync(
      file,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          { cell_type: "code", id: "c1", metadata: {}, source: 42, outputs: [], execution_count: null },
          { cell_type: "code", id: "c1", metadata: {}, source: "x", outputs: [{ output_type: "stream", name: "stdout" }], execution_count: "one" },
          { cell_type: "pie", metadata: {}, source: "" },
        ],
      }),
    );
    let err: unknown;
    try {
      readNotebook(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotebookFormatError);
    const msg = (err as Error).message;
    expect(msg).toContain(file);
    expect(msg).toContain(`cell 1 (cells[0]): "source" must be a string or a list of strings, got number`);
    expect(msg).toContain(`cell 2 (cells[1]): "execution_count" must be an integer or null, got string`);
    expect(msg).toContain(`cell 2 (cells[1]) outputs[0]: stream "text" must be a string or a list of strings`);
    expect(msg).toContain(`cell 3 (cells[2]): cell_type must be "code", "markdown" or "raw", got "pie"`);
    expect(msg).toContain(`cell 2: id "c1" repeats the id of cell 1`);
  });

  it("rejects non-JSON and nbformat 3 with a clear reason", () => {
    expect(() => parseNotebook("{ not json", "x.ipynb")).toThrow(/x\.ipynb: not a valid nbformat 4 notebook:\n {2}- not valid JSON/);
    expect(() => parseNotebook(JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [] }), "old.ipynb")).toThrow(
      /old\.ipynb: .*"nbformat" is 3, only 4 is supported \(convert with `jupyter nbconvert/s,
    );
  });

  it("clearOutputs empties outputs and execution counts but keeps sources", () => {
    const nb = clearOutputs(readNotebook(join(fixtures, "plotly-output.ipynb")));
    const code = nb.cells.find((c) => c.cell_type === "code")!;
    expect(code.cell_type === "code" && code.outputs).toEqual([]);
    expect(code.cell_type === "code" && code.execution_count).toBeNull();
    expect(sourceText(code.source)).toContain("plot.lines");
  });
});
