/**
 * Hostile submissions of the mini fixture, built from the release: each one breaks one rule
 * (or tries to cheat) and states the score it must get. Built in code so that each fixture is
 * a small, readable edit of a full-marks submission.
 */
import { type Cell, type Notebook, cloneNotebook } from "../../cli/src/lessons/format/notebook";
import { cellById, miniRelease, solvedFrom } from "./helpers";

export interface Hostile {
  name: string;
  notebook?: Notebook;
  /** Raw bytes instead of a notebook (malformed submissions). */
  raw?: string;
  score: number;
}

const code = (source: string, id: string): Cell => ({ cell_type: "code", id, source, metadata: {}, outputs: [], execution_count: null });

const SIGMOID_FROM_DOUBLE =
  "function double(x: number): number {\n  return 2 * x + 0 * sigmoid(0); // needs the earlier sigmoid cell (replay after a restart)\n}";

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

/**
 * Replaces the cached nnlab/grading module, before the lesson's setup cell imports it, by fakes
 * that report every case as passed, copy the test's own expected value into the reported one,
 * and fill hidden values from expected.json when that file can be read (it cannot: the kernel
 * runs as nobody and the lesson folder is 0700). Built-ins are overridden too. All of it must
 * earn nothing: the grader judges values against literals the kernel never receives.
 */
const MODULE_SWAP = (expectedPath: string) => `Math.abs = () => 0;
Object.is = () => true;
let key: Record<string, { value?: unknown }> = {};
try { key = JSON.parse(require("fs").readFileSync(${JSON.stringify(expectedPath)}, "utf8")).cases; } catch { /* unreadable */ }
const emit = (rec: object): void => {
  for (const k of Object.keys(require.cache)) {
    const w = (require.cache[k]?.exports as any)?.lastWriteDisplayData;
    if (typeof w === "function") w({ data: { "application/vnd.nnlab.test+json": rec }, metadata: {} }, false);
  }
};
const close = (id: string, points: number, _actual: unknown, expected: unknown) => emit({ id, points, passed: true, actual: expected, expected, message: "ok" });
const fake = {
  check: (id: string, points: number) => emit({ id, points, passed: true, message: "ok" }),
  expectClose: close,
  expectEqual: close,
  expectThat: (id: string, points: number) => emit({ id, points, passed: true, value: [0.5, 0.5], message: "ok" }),
  reportValue: (id: string, points: number) => emit({ id, points, passed: true, value: key[id]?.value ?? { shape: [2], data: [0.5, 0.5] }, message: "ok" }),
  reportExpression: (id: string, points: number) => emit({ id, points, passed: true, expression: "1", message: "ok" }),
};
for (const k of Object.keys(require.cache)) if (/[\\/]dist[\\/]grading[\\/]index.js$/.test(k)) require.cache[k]!.exports = fake;`;

/**
 * Forged "passed" records three ways: every record the real helpers send is rewritten on its way
 * out (the display writer wrapped: passed, actual := expected), a timer keeps sending passing
 * records for every case id while later cells run (so they land inside the test cells' own
 * outputs, before the real ones), and the cell itself sends them too.
 */
const FORGED_PASSED = `const ids = ["sigmoid_zero", "sigmoid_two", "sigmoid_hidden", "deriv_expr", "double_tests"];
const forged = (id: string) => ({ id, points: 9, passed: true, message: "ok", actual: 1, expected: 1, value: { shape: [2], data: [1, 1] }, expression: "1" });
for (const k of Object.keys(require.cache)) {
  if (!/[\\/]tslab[\\/]dist[\\/]jupyter.js$/.test(k)) continue;
  const mod = require.cache[k]!.exports as any;
  let real = mod.lastWriteDisplayData;
  Object.defineProperty(mod, "lastWriteDisplayData", {
    configurable: true,
    get: () => (msg: any, update: boolean) => {
      const rec = msg?.data?.["application/vnd.nnlab.test+json"];
      if (rec) Object.assign(rec, { passed: true, message: "ok", actual: rec.expected ?? 1 });
      return real(msg, update);
    },
    set: (w: any) => { real = w; },
  });
  const send = () => { for (const id of ids) real({ data: { "application/vnd.nnlab.test+json": forged(id) }, metadata: {} }, false); };
  send();
  setInterval(send, 5);
}`;

/** Wraps the kernel's execute handler: every code it is sent (hidden tests included) is kept. */
const CAPTURE = `(globalThis as any).__seen = [] as string[];
for (const k of Object.keys(require.cache)) {
  if (!/[\\/]tslab[\\/]dist[\\/]jupyter.js$/.test(k)) continue;
  const proto = (require.cache[k]!.exports as any).ZmqServer.prototype;
  const orig = proto.handleExecute;
  proto.handleExecute = function (sock: unknown, msg: any) {
    (globalThis as any).__seen.push(String(msg.content.code));
    return orig.call(this, sock, msg);
  };
}`;
/** …and prints it all in a later free cell, plainly and JSON-escaped. */
const PRINT_CAPTURED = `const seen: string[] = (globalThis as any).__seen;
console.log("captured " + seen.length + " cells");
console.log(seen.join("\\n"));
console.log(JSON.stringify(seen));`;

const XSS_MARKDOWN =
  '# Notes\n\n<script>document.title = "pwned"</script>\n\n<img src="x" onerror="alert(document.cookie)">\n\n[click](javascript:alert(1))';

/** mathjs simplify took 41 s on 24 such factors on the grader's main thread. */
const DOS_EXPRESSION = Array.from({ length: 30 }, (_, i) => `(z+${i + 1})`).join("*");

/** A student folder whose name a spreadsheet would run as a formula. */
export const FORMULA_STUDENT = '=HYPERLINK("evil.invalid","click")';

/** `secretPaths`: files a student who guessed the grader's layout would try to read. */
export function hostileSubmissions(secretPaths: string[] = []): { release: Notebook; good: Notebook; subs: Hostile[] } {
  const expectedPath = secretPaths.find((p) => p.endsWith("expected.json")) ?? "/nonexistent/expected.json";
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
      name: "await_loop",
      score: 5,
      notebook: edit((nb) => {
        setSource(nb, "deriv", 'const sigmoidDerivative = "exp(-z)/(1+exp(-z))^2";\nawait new Promise((r) => setTimeout(r, 10));\nwhile (true) {}');
        setSource(nb, "double", SIGMOID_FROM_DOUBLE);
      }),
    },
    {
      name: "process_exit",
      score: 4,
      notebook: edit((nb) => {
        setSource(nb, "sigmoid", "function sigmoid(z: number): number {\n  if (z === 2) process.exit(3);\n  return 1 / (1 + Math.exp(-z));\n}");
        setSource(nb, "double", SIGMOID_FROM_DOUBLE);
      }),
    },
    {
      name: "memory_bomb",
      score: 6,
      notebook: edit((nb) =>
        setSource(
          nb,
          "double",
          "function double(x: number): number {\n  const hoard: Float64Array[] = [];\n  for (;;) hoard.push(new Float64Array(2e8));\n}",
        ),
      ),
    },
    {
      name: "flood",
      score: 7,
      notebook: edit((nb) =>
        nb.cells.splice(
          cellById(nb, "sigmoid_tests").index + 1,
          0,
          code('console.log("x".repeat(3_000_000));', "burst"),
          code('for (let i = 0; i < 200000; i++) console.log("flood line " + i);', "flood"),
        ),
      ),
    },
    {
      name: "monkeypatch",
      score: 0,
      notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "setup").index + 1, 0, code(FORGE, "forge"));
        setSource(nb, "sigmoid", "function sigmoid(z: number): number {\n  return 0.3;\n}");
        setSource(nb, "deriv", 'const sigmoidDerivative = "z";');
        setSource(nb, "double", "function double(x: number): number {\n  return x;\n}");
      }),
    },
    {
      name: "tests_edited",
      score: 7,
      notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "sigmoid_tests").index, 1);
        setSource(nb, "double_tests", "// nothing to see here");
        setSource(nb, "double", 'function double(x: number): number {\n  console.warn("a warning is not a failure");\n  return 2 * x;\n}');
      }),
    },
    {
      name: "metadata_stripped",
      score: 7,
      notebook: edit((nb) => {
        setSource(
          nb,
          "sigmoid",
          'function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nsetTimeout(() => console.error("late output"), 300);',
        );
        for (const c of nb.cells) delete c.metadata.nbgrader;
        nb.metadata.kernelspec = { name: "python3", language: "python", display_name: "Python 3" };
      }),
    },
    {
      name: "to_markdown",
      score: 7,
      notebook: edit((nb) => {
        cellById(nb, "sigmoid").cell.cell_type = "markdown";
        cellById(nb, "double_tests").cell.cell_type = "markdown";
      }),
    },
    { name: "probe", score: 7, notebook: edit((nb) => nb.cells.splice(cellById(nb, "setup").index + 1, 0, code(probe(secretPaths), "probe"))) },
    {
      name: "module_swap",
      score: 0,
      notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "setup").index, 0, code(MODULE_SWAP(expectedPath), "swap"));
        setSource(nb, "sigmoid", "function sigmoid(z: number): number {\n  return 0.3;\n}");
        setSource(nb, "deriv", 'const sigmoidDerivative = "z";');
        setSource(nb, "double", "function double(x: number): number {\n  return x;\n}");
      }),
    },
    { name: "malformed", score: 0, raw: '{"cells": [ {"cell_type": "code", ' },
    {
      name: "forged_passed",
      score: 0,
      notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "setup").index + 1, 0, code(FORGED_PASSED, "forge_passed"));
        setSource(nb, "sigmoid", "function sigmoid(z: number): number {\n  return 0.3;\n}");
        setSource(nb, "deriv", 'const sigmoidDerivative = "z";');
        setSource(nb, "double", "function double(x: number): number {\n  return x;\n}");
      }),
    },
    {
      // Right answers (7 points, honestly earned); what it captures must not reach its feedback.
      name: "capture",
      score: 7,
      notebook: edit((nb) => {
        nb.cells.splice(cellById(nb, "setup").index + 1, 0, code(CAPTURE, "capture"));
        nb.cells.push(code(PRINT_CAPTURED, "print_captured"));
      }),
    },
    {
      name: "xss_markdown",
      score: 7,
      notebook: edit((nb) => {
        nb.cells.splice(1, 0, { cell_type: "markdown", id: "xss", metadata: {}, source: XSS_MARKDOWN });
      }),
    },
    { name: "expr_dos", score: 5, notebook: edit((nb) => setSource(nb, "deriv", `const sigmoidDerivative = "${DOS_EXPRESSION}";`)) },
    { name: FORMULA_STUDENT, score: 7, notebook: good },
  ];
  return { release, good, subs };
}
