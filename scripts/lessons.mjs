#!/usr/bin/env node
/**
 * Builds the lessons from their text sources:
 *   test/fixtures/grading/lessons/NN-name.txt  →  lessons/NN-name/source.ipynb   (nbspec.mjs format)
 * then releases each one (`nnlab release`: release/NN-name.ipynb and release-record.json).
 * expected.json and mistakes.json sit in lessons/NN-name/ and are written by hand.
 *
 *   node scripts/lessons.mjs            write every lesson (needs `npm run build` for the release)
 *   node scripts/lessons.mjs --check    exit 1 (naming the files) if a committed source.ipynb differs
 *   node scripts/lessons.mjs 02 05      only the lessons whose name starts with these prefixes
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildNotebook } from "../test/fixtures/grading/nbspec.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const specDir = join(root, "test", "fixtures", "grading", "lessons");
const args = process.argv.slice(2);
const check = args.includes("--check");
const prefixes = args.filter((a) => !a.startsWith("--"));
const specs = readdirSync(specDir)
  .filter((f) => f.endsWith(".txt") && (prefixes.length === 0 || prefixes.some((p) => f.startsWith(p))))
  .sort();
if (specs.length === 0) {
  console.error(`no lesson spec in ${specDir} matches ${prefixes.join(", ") || "*.txt"}`);
  process.exit(1);
}

const stale = [];
for (const spec of specs) {
  const name = spec.replace(/\.txt$/, "");
  const dir = join(root, "lessons", name);
  const text = JSON.stringify(buildNotebook(readFileSync(join(specDir, spec), "utf8")), null, 1) + "\n";
  const target = join(dir, "source.ipynb");
  if (check) {
    if (!existsSync(target) || readFileSync(target, "utf8") !== text)
      stale.push(`lessons/${name}/source.ipynb (run node scripts/lessons.mjs ${name.slice(0, 2)})`);
    continue;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(target, text);
  const r = spawnSync(process.execPath, [join(root, "cli", "dist", "main.js"), "release", dir], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(`${name}: nnlab release failed:\n${r.stderr || r.stdout}`);
    process.exit(1);
  }
  console.log(`wrote lessons/${name}/source.ipynb, release/${name}.ipynb, release-record.json`);
}
if (stale.length > 0) {
  console.error(`differs from its text source:\n  ${stale.join("\n  ")}`);
  process.exit(1);
}
