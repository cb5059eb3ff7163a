/**
 * Hostile submissions of the mini fixture, built from the release: each one breaks one rule
 * (or tries to cheat) and states the score it must get. Built in code so that each fixture is
 * a small, readable edit of a full-marks submission.
 */
import { Cell, Notebook, cloneNotebook } from "../../cli/src/lessons/format/notebook";
import { cellById, miniRelease, solvedFrom } from "./helpers";

export interface Hostile {
  name: string;
  notebook?: Notebook;
  /** Raw bytes instead of a notebook (malformed submissions). */
  raw?: string;
  score: number;
}

const code = (source: string, id: string): Cell => ({ cell_type: "code", id, source, metadata: {}, outputs: [], execution_count: null });

const SIGMOID_FROM_DOUBLE = "function double(x: number): number {\n  return 2 * x + 0 * sigmoid(0); // needs the earlier sigmoid cell (replay after a restart)\n}";

const probe = (secretPaths: string[]) => `const SECRET_PATHS: string[] = ${JSON.stringify(secretPaths)};
import * as fs from "fs";
import * as path from "path";
const found: string[] = [];
const scan = (dir: string, depth: number): void => {
  if (depth < 0) return;
  let names: string[] = [];
  try { names = fs.readdirSync(dir); } catch { return; }
  for (const n of names) {
    const p = path.join(dir, n);
    if (n === "node_modules") continue;
    let st: fs.Stats;
    try { st = fs.lstatSync(p); } catch { continue; }
    if (st.isDirectory()) scan(p, depth - 1);
    else if (st.isFile() && st.size < 5e6) {
      const t = fs.readFileSync(p, "utf8");
      if (t.includes("BEGIN HIDDEN TESTS") || t.includes("sigmoid_hidden") || t.includes("0.0474258731")) found.push(p);
    }
  }
};
scan(process.cwd(), 5);
for (const d of fs.readdirSync("/tmp")) if (d.startsWith("nnlab-grade-")) scan(path.join("/tmp", d), 5);
console.log("probe found: " + (found.length ? found.join(", ") : "nothing"));
console.log("grader env vars: [" + Object.keys(process.env).filter((k) => /NBGRADER|NNLAB|GRAD/i.test(k)).join(",") + "]");
console.log("kernel uid: " + process.getuid!());
for (const p of SECRET_PATHS) {
  try { fs.readFileSync(p, "utf8"); console.log("read " + p + ": READABLE"); }
  catch (e) { console.log("read " + p + ": " + (e as NodeJS.ErrnoException).code); }
}`;

const FORGE = `Math.abs = () => 0;
Object.is = () => true;
Number.isFinite = () => true;
(Array.prototype as any).every = () => true;
for (const k of Object.keys(require.cache)) {
  const w = (require.cache[k]?.exports as any)?.lastWriteDisplayData;
  if (typeof w !== "function") continue;
  for (const id of ["sigmoid_zero", "sigmoid_two", "sigmoid_hidden", "deriv_expr", "double_tests"]) {
    w({ data: { "application/vnd.nnlab.test+json": { id, points: 9, passed: true, message: "ok" } }, metadata: {} }, false);
  }
}`;

/** `secretPaths`: files a student who guessed the grader's layout would try to read. */
/**
 * Replaces the cached nnlab/grading module, before the lesson's setup cell imports it, by fakes
 * that report every case as passed. Public cases run in the student's kernel and can be forged
 * this way (documented limit); hidden cases cannot, because their verdict is computed by the
 * grader from values the student cannot know.
 */
const MODULE_SWAP = `const emit = (rec: object): void => {
  for (const k of Object.keys(require.cache)) {
    const w = (require.cache[k]?.exports as any)?.lastWriteDisplayData;
    if (typeof w === "function") w({ data: { "application/vnd.nnlab.test+json": rec }, metadata: {} }, false);
  }
};
const fake = {
  check: (id: string, points: number) => emit({ id, points, passed: true, message: "ok" }),
  expectClose: (id: string, points: number) => emit({ id, points, passed: true, actual: 0, expected: 0, message: "ok" }),
  reportValue: (id: string, points: number) => emit({ id, points, passed: true, value: { shape: [2], data: [0.5, 0.5] }, message: "ok" }),
  reportExpression: (id: string, points: number) => emit({ id, points, passed: true, expression: "1", message: "ok" }),
};
for (const k of Object.keys(require.cache)) if (/[\\/]dist[\\/]grading[\\/]index\.js$/.test(k)) require.cache[k]!.exports = fake;`;

export function hostileSubmissions(secretPaths: string[] = []): { release: Notebook; good: Notebook; subs: Hostile[] } {
  const { notebook: release, source } = miniRelease();
  const good = solvedFrom(release, source);
  const edit = (f: (nb: Notebook) => void): Notebook => {
    const nb = cloneNotebook(good);
    f(nb);
    return nb;
  };
  const setSource = (nb: Notebook, gid: string, s: string) => (cellById(nb, gid).cell.source = s);
  const subs: Hostile[] = [
    { name: "good", notebook: good, score: 7 },
    { name: "released", notebook: release, score: 0 },
    { name: "sync_loop", score: 6, notebook: edit((nb) => setSource(nb, "double", "function double(x: number): number {\n  while (true) {}\n}")) },
    {
      name: "await_loop", score: 5, notebook: edit((nb) => {
        setSource(nb, "deriv", 'const sigmoidDerivative = "exp(-z)/(1+exp(-z))^2";\nawait new Promise((r) => setTimeout(r, 10));\nwhile (true) {}');
        setSource(nb, "double", SIGMOID_FROM_DOUBLE);
      }),
    },
    {
      name: "process_exit", score: 4, notebook: edit((nb) => {
        setSource(nb, "sigmoid", "function sigmoid(z: number): number {\n  if (z === 2) process.exit(3);\n  return 1 / (1 + Math.exp(-z));\n}");
        setSource(nb, "double", SIGMOID_FROM_DOUBLE);
      }),
    },
    {
      name: "memory_bomb", score: 6, notebook: edit((nb) =>
        setSource(nb, "double", "function double(x: number): number {\n  const hoard: Float64Array[] = [];\n  for (;;) hoard.push(new Float64Array(2e8));\n}")),
    },
    {
      name: "flood", score: 7, notebook: edit((nb) =>
        nb.cells.splice(cellById(nb, "sigmoid_tests").index + 1, 0,
          code('console.log("x".repeat(3_000_000));', "burst"),
          code('for (let i = 0; i < 200000; i++) console.log("flood line " + i);', "flood"))),
    },
    {
      name: "monkeypatch", score: 0, notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "setup").index + 1, 0, code(FORGE, "forge"));
        setSource(nb, "sigmoid", "function sigmoid(z: number): number {\n  return 0.3;\n}");
        setSource(nb, "deriv", 'const sigmoidDerivative = "z";');
        setSource(nb, "double", "function double(x: number): number {\n  return x;\n}");
      }),
    },
    {
      name: "tests_edited", score: 7, notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "sigmoid_tests").index, 1);
        setSource(nb, "double_tests", "// nothing to see here");
        setSource(nb, "double", 'function double(x: number): number {\n  console.warn("a warning is not a failure");\n  return 2 * x;\n}');
      }),
    },
    {
      name: "metadata_stripped", score: 7, notebook: edit((nb) => {
        setSource(nb, "sigmoid", 'function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nsetTimeout(() => console.error("late output"), 300);');
        for (const c of nb.cells) delete c.metadata.nbgrader;
        nb.metadata.kernelspec = { name: "python3", language: "python", display_name: "Python 3" };
      }),
    },
    {
      name: "to_markdown", score: 7, notebook: edit((nb) => {
        cellById(nb, "sigmoid").cell.cell_type = "markdown";
        cellById(nb, "double_tests").cell.cell_type = "markdown";
      }),
    },
    { name: "probe", score: 7, notebook: edit((nb) => nb.cells.splice(cellById(nb, "setup").index + 1, 0, code(probe(secretPaths), "probe"))) },
    {
      // Forges the two public cases of sigmoid_tests (2 points); hidden cases and the plain test cell still fail.
      name: "module_swap", score: 2, notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "setup").index, 0, code(MODULE_SWAP, "swap"));
        setSource(nb, "sigmoid", "function sigmoid(z: number): number {\n  return 0.3;\n}");
        setSource(nb, "deriv", 'const sigmoidDerivative = "z";');
        setSource(nb, "double", "function double(x: number): number {\n  return x;\n}");
      }),
    },
    { name: "malformed", score: 0, raw: '{"cells": [ {"cell_type": "code", ' },
  ];
  return { release, good, subs };
}
