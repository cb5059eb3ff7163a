import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { run as release } from "../../cli/src/commands/release";
import { run as grade } from "../../cli/src/commands/grade";
import { run as check } from "../../cli/src/commands/check";
import { UsageError } from "../../cli/src/commands/command";
import { MINI } from "./helpers";

const work = mkdtempSync(join(tmpdir(), "nnlab-test-commands-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("command entry points", () => {
  it("nnlab release writes <lesson>/release/<lesson>.ipynb and the record beside the source", async () => {
    const lesson = join(work, "07-mini");
    cpSync(MINI, lesson, { recursive: true });
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await release([lesson])).toBe(0);
    } finally {
      out.mockRestore();
    }
    expect(existsSync(join(lesson, "release", "07-mini.ipynb"))).toBe(true);
    const record = JSON.parse(readFileSync(join(lesson, "release-record.json"), "utf8"));
    expect(record).toMatchObject({ format: "nnlab-release-record/1", lesson: "07-mini", notebook: "07-mini.ipynb", maxScore: 7 });
  });

  it("nnlab release fails with exit 1 and a message naming the file for a broken lesson", async () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await release([join(work, "does-not-exist")])).toBe(1);
      expect(String(err.mock.calls[0][0])).toMatch(/nnlab release: .*does-not-exist\/source\.ipynb/);
    } finally {
      err.mockRestore();
    }
  });

  it.each([
    ["release", release, [], /exactly one lesson folder/],
    ["grade", grade, ["lessons/01-backprop"], /a lesson folder and a submissions folder/],
    ["grade", grade, ["a", "b", "--jobs", "0"], /--jobs takes a positive integer/],
    ["grade", grade, ["a", "b", "--timeout", "-1"], /--timeout takes a positive number of seconds/],
    ["check", check, ["a.ipynb", "--frobnicate"], /unknown option --frobnicate/],
  ])("%s rejects bad arguments with a UsageError (%#)", async (_n, cmd, argv, re) => {
    await expect(cmd(argv as string[])).rejects.toThrow(UsageError);
    await expect(cmd(argv as string[])).rejects.toThrow(re);
  });
});
