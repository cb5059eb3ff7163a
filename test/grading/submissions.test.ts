import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverSubmissions } from "../../cli/src/lessons/submissions";

const dir = mkdtempSync(join(tmpdir(), "nnlab-test-subs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("discovering submissions", () => {
  it("takes one folder or one notebook per student, in sorted order, with the student's files", () => {
    mkdirSync(join(dir, "zoe"));
    writeFileSync(join(dir, "zoe", "my copy (2).ipynb"), "{}"); // renamed notebook
    writeFileSync(join(dir, "zoe", "data.csv"), "1,2");
    writeFileSync(join(dir, "zoe", "timestamp.txt"), "2026-11-20 10:00:00\n");
    mkdirSync(join(dir, "adam"));
    writeFileSync(join(dir, "adam", "other.ipynb"), "{}");
    writeFileSync(join(dir, "adam", "01-backprop.ipynb"), "{}"); // the release's name wins
    writeFileSync(join(dir, "bea.ipynb"), "{}");
    mkdirSync(join(dir, "empty"));
    mkdirSync(join(dir, "_graded"));
    writeFileSync(join(dir, ".hidden.ipynb"), "{}");
    const subs = discoverSubmissions(dir, "01-backprop.ipynb");
    expect(subs.map((s) => s.student)).toEqual(["adam", "bea", "zoe"]);
    expect(subs[0].notebookPath).toBe(join(dir, "adam", "01-backprop.ipynb"));
    expect(subs[2]).toEqual({
      student: "zoe",
      notebookPath: join(dir, "zoe", "my copy (2).ipynb"),
      files: [join(dir, "zoe", "data.csv")],
      timestamp: "2026-11-20 10:00:00",
    });
  });
});
