#!/usr/bin/env node
/**
 * Regenerates lessons/<nn>-<name>/source.ipynb from test/fixtures/grading/lessons/<nn>-<name>.txt
 * (cells separated by `%% markdown` / `%% code <locked|solution|test> id=<grade_id> [points=N]`
 * lines), then releases each lesson (`nnlab release`), which rewrites release/ and the record.
 * expected.json is written by hand. Usage: node scripts/lessons.mjs [<nn>-<name> ...]
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(repo, "test", "fixtures", "grading", "lessons");

function toNotebook(text) {
  const cells = [];
  let current;
  for (const line of text.replace(/\n$/, "").split("\n")) {
    const head = /^%% (markdown|code)(.*)$/.exec(line);
    if (head) {
      current = { kind: head[1], attrs: head[2].trim().split(/\s+/).filter(Boolean), lines: [] };
      cells.push(current);
    } else if (current) current.lines.push(line);
    else throw new Error(`text before the first %% line: ${line}`);
  }
  return cells.map((c, i) => {
    const source = c.lines.map((l, k) => (k < c.lines.length - 1 ? `${l}\n` : l));
    if (c.kind === "markdown") return { cell_type: "markdown", id: `cell-${i}`, metadata: {}, source };
    const role = c.attrs.find((a) => !a.includes("="));
    const kv = Object.fromEntries(c.attrs.filter((a) => a.includes("=")).map((a) => a.split("=")));
    const nbgrader = {
      schema_version: 3, grade: role === "test", solution: role === "solution", locked: role !== "solution", task: false, grade_id: kv.id,
    };
    if (role === "test") nbgrader.points = Number(kv.points);
    return { cell_type: "code", id: kv.id, metadata: { nbgrader }, source, execution_count: null, outputs: [] };
  });
}

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(fixtures).filter((f) => f.endsWith(".txt")).map((f) => f.slice(0, -4));
for (const name of names) {
  const nb = {
    cells: toNotebook(readFileSync(join(fixtures, `${name}.txt`), "utf8")),
    metadata: {
      kernelspec: { name: "nnlab", language: "typescript", display_name: "TypeScript (nnlab)" },
      language_info: { name: "typescript", file_extension: ".ts" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const dir = join(repo, "lessons", name);
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: create it with an expected.json first`);
  writeFileSync(join(dir, "source.ipynb"), JSON.stringify(nb, null, 1) + "\n");
  execFileSync(process.execPath, [join(repo, "cli", "dist", "main.js"), "release", dir], { stdio: "inherit" });
}
