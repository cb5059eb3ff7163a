import type { PartialJSONObject } from "@lumino/coreutils";
/**
 * Each stage of "verdicts the kernel cannot forge", without a kernel: literal expectations read
 * from test sources, the release's refusals, predicates, records that cannot pre-empt or forge,
 * the expression judge (worker, budget, sech), the redactor, the markdown sanitiser, the MAC,
 * CSV neutralisation and symlink refusal.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkPredicates, predicateProblems, TEST_MIME } from "nnlab/grading";
import type { Output } from "../../cli/src/kernel/client";
import type { CellRun } from "../../cli/src/lessons/execute";
import { readExpected } from "../../cli/src/lessons/expected";
import { expressionsEquivalent } from "../../cli/src/lessons/expression";
import { judgeExpression, workerFile } from "../../cli/src/lessons/expression-judge";
import { extractCases } from "../../cli/src/lessons/format/cases";
import { blindExpectations } from "../../cli/src/lessons/format/literal";
import { type Notebook, cloneNotebook } from "../../cli/src/lessons/format/notebook";
import { REDACTED, makeRedactor, redactRun } from "../../cli/src/lessons/redact";
import { releaseNotebook, writeAtomic } from "../../cli/src/lessons/release";
import { judgeExpressions, scoreCases } from "../../cli/src/lessons/score";
import { graderKey, signed, verifySigned } from "../../cli/src/lessons/state";
import { discoverSubmissions, readFileNoFollow } from "../../cli/src/lessons/submissions";
import { markdownHtml } from "../../cli/src/lessons/write/feedback-html";
import { csvCell } from "../../cli/src/lessons/write/gradebook-csv";
import { MINI, cellById, loadNotebook, miniRelease } from "./helpers";
import { existsSync } from "node:fs";

const work = mkdtempSync(join(tmpdir(), "nnlab-test-verdicts-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const { record } = miniRelease();
const expected = readExpected(MINI);
const redact = makeRedactor(record, expected);

function rec(data: Record<string, unknown>): Output {
  return { output_type: "display_data", data: { [TEST_MIME]: data as PartialJSONObject, "text/plain": "x" }, metadata: {} };
}
function run(outputs: Output[], status: CellRun["status"] = "ok"): CellRun {
  return { index: 0, status, outputs, executionCount: null, durationMs: 5 };
}
const HIDDEN_OK = rec({ id: "sigmoid_hidden", points: 2, value: { shape: [2], data: [0.04742587317756678, 0.8175744761936437] }, message: "" });
const ZERO_OK = rec({ id: "sigmoid_zero", points: 1, actual: 0.5, message: "" });
const TWO_OK = rec({ id: "sigmoid_two", points: 1, actual: 0.8807970779778823, message: "" });
function score(outputs: Output[]) {
  return Object.fromEntries(scoreCases(record, expected, new Map([["sigmoid_tests", run(outputs)]]), redact).map((c) => [c.id, c]));
}

describe("literal expectations read from the test source", () => {
  it("reads expected values, arithmetic, Math calls and tolerances; expectEqual means tolerance 0", () => {
    const src = [
      'expectClose("a", 1, f(1), [0.5, -2, 1e-3], { atol: 1e-4, rtol: 0 });',
      'expectClose("b", 1, g(), [1 - 0.01 * 2 / (Math.sqrt(0.04) + 1e-8)]);',
      'expectEqual("c", 1, h(), { stopEpoch: 4, bestEpoch: 2 });',
      'expectThat("d", 1, k(), { finite: true, shape: [2, 3] });',
    ].join("\n");
    const [a, b, c, d] = extractCases(src, "cell");
    expect(a).toMatchObject({ expected: { shape: [3], data: [0.5, -2, 0.001] }, atol: 1e-4, rtol: 0 });
    expect(b.expected).toEqual({ shape: [1], data: [1 - (0.01 * 2) / (Math.sqrt(0.04) + 1e-8)] });
    expect(c).toMatchObject({ expected: { json: { stopEpoch: 4, bestEpoch: 2 } }, rtol: 0, atol: 0 });
    expect(d).toMatchObject({ kind: "property", predicates: { finite: true, shape: [2, 3] } });
    for (const k of [a, b, c, d]) expect(k.problem).toBeUndefined();
  });

  it("names a non-literal expectation as a problem (the grader could not judge it)", () => {
    const [a] = extractCases('expectClose("a", 1, f(1), reference(1));', "cell");
    expect(a.expected).toBeUndefined();
    expect(a.problem).toMatch(/expected value of "a" must be a literal.*"reference\(1\)" is not a literal/);
    const [b] = extractCases('expectThat("b", 1, f(1), { finite: true, big: 3 });', "cell");
    expect(b.problem).toMatch(/unknown predicate "big"/);
  });
});

describe("test cells run blind", () => {
  it("the kernel gets closeness and property cases without their expected values or tolerances", () => {
    const src =
      'expectClose("a", 1, f(x, y), [0.5, 1], { atol: 1e-4 });\nexpectEqual("b", 1, g(), { s: 1 });\nexpectThat("c", 2, h(), { finite: true });\nreportValue("d", 1, k());';
    expect(blindExpectations(src)).toBe(
      'expectClose("a", 1, f(x, y), undefined);\nexpectEqual("b", 1, g(), undefined);\nexpectThat("c", 2, h(), {});\nreportValue("d", 1, k());',
    );
  });
});

describe("the release refuses cases the grader cannot judge", () => {
  function releaseWith(edit: (nb: Notebook) => void) {
    const nb = cloneNotebook(loadNotebook(join(MINI, "source.ipynb")));
    edit(nb);
    return () => releaseNotebook(nb, "mini/source.ipynb", { expected: readExpected(MINI) }, "mini", "mini.ipynb");
  }
  it("a check with points, saying what to use instead", () => {
    const f = releaseWith((nb) => (cellById(nb, "double_tests").cell.source = 'check("double_tests", 1, double(3) === 6, "double(3)");'));
    expect(f).toThrow(/check\("double_tests", 1, …\) carries points.*expectEqual\/expectClose.*expectThat/);
  });
  it("a check at 0 points is a self-check hint and passes the release", () => {
    const f = releaseWith((nb) => {
      const c = cellById(nb, "double_tests").cell;
      c.source = 'check("double_hint", 0, typeof double === "function");\nexpectEqual("double_tests", 1, double(3), 6);';
    });
    expect(
      f()
        .record.cells.find((c) => c.gradeId === "double_tests")!
        .cases.map((c) => [c.id, c.kind, c.points]),
    ).toEqual([
      ["double_hint", "check", 0],
      ["double_tests", "close", 1],
    ]);
  });
  it("a test cell worth points without any case ('ran without error' is the kernel's word)", () => {
    const f = releaseWith((nb) => (cellById(nb, "double_tests").cell.source = 'if (double(3) !== 6) throw new Error("no");'));
    expect(f).toThrow(/"double_tests"\): a test cell worth 1 points has no test case/);
  });
  it("an expectation that is not a literal", () => {
    const f = releaseWith((nb) => (cellById(nb, "double_tests").cell.source = 'expectEqual("double_tests", 1, double(3), 2 * 3 + zero());'));
    expect(f).toThrow(/expected value of "double_tests" must be a literal/);
  });
});

describe("predicates, evaluated in the grader", () => {
  it.each([
    [[1, 2, 3], { finite: true, shape: [3], range: [0, 3], monotone: "increasing", sum: 6, integer: true, greaterThan: 0, lessThan: 4 }, true, ""],
    [[1, Infinity], { finite: true }, false, /value 1 of 2 is "Infinity": not finite/],
    [[NaN, 1], { range: [0, 1] }, false, /value 0 of 2 is "NaN": outside \[0, 1\]/],
    [
      [
        [1, 2],
        [3, 4],
      ],
      { shape: [4] },
      false,
      /shape \[2, 2\], expected \[4\]/,
    ],
    [[1, 1, 2], { monotone: "increasing" }, false, /value 1 of 3 is 1: breaks the increasing order/],
    [[1, 1, 2], { monotone: "nondecreasing" }, true, ""],
    [[0.25, 0.7], { sum: 1 }, false, /add up to 0\.95/],
    [[0, 1], { greaterThan: 0 }, false, /value 0 of 2 is 0: not greater than 0/],
    ["text", { finite: true }, false, /expected numbers, got a string/],
  ] as const)("%j with %j → %s", (value, p, ok, msg) => {
    const r = checkPredicates(value, p as never);
    expect(r.passed).toBe(ok);
    if (msg) expect(r.message).toMatch(msg);
  });
  it("names invalid predicates", () => {
    expect(predicateProblems({ finite: false, shape: [-1], range: [2, 1], monotone: "up", nope: 1 })).toEqual([
      "finite must be true",
      "shape must be a list of sizes, e.g. [3, 2]",
      "range must be [lo, hi] with lo ≤ hi",
      "monotone must be one of increasing, decreasing, nondecreasing, nonincreasing",
      'unknown predicate "nope" (known: finite, shape, range, greaterThan, lessThan, integer, monotone, sum)',
    ]);
  });
});

describe("records the kernel sends are values, never verdicts", () => {
  it("the honest records score 4 of 4", () => {
    const c = score([ZERO_OK, TWO_OK, HIDDEN_OK]);
    expect([c.sigmoid_zero.points, c.sigmoid_two.points, c.sigmoid_hidden.points]).toEqual([1, 1, 2]);
  });
  it("a forged 'passed' without a value earns nothing", () => {
    const forged = ["sigmoid_zero", "sigmoid_two", "sigmoid_hidden"].map((id) => rec({ id, points: 9, passed: true, message: "ok" }));
    const c = score(forged);
    for (const id of ["sigmoid_zero", "sigmoid_two", "sigmoid_hidden"])
      expect(c[id]).toMatchObject({ points: 0, status: "failed", message: "no value reported" });
  });
  it("the kernel's own expected value and tolerances are ignored for closeness cases", () => {
    const c = score([rec({ id: "sigmoid_two", points: 1, passed: true, actual: 0.3, expected: 0.3, rtol: 10, atol: 10, message: "ok" })]);
    expect(c.sigmoid_two).toMatchObject({ points: 0, status: "failed" });
    expect(c.sigmoid_two.message).toMatch(/got 0\.3, expected 0\.8807970779778823 \(.*rtol 1e-7, atol 1e-7\)/);
  });
  it("an earlier forged record cannot pre-empt the real one: every record for a case must pass", () => {
    const realWrong = rec({ id: "sigmoid_two", points: 1, actual: 0.3, message: "" });
    const c = score([TWO_OK, realWrong]);
    expect(c.sigmoid_two).toMatchObject({ points: 0, status: "failed" });
    expect(c.sigmoid_two.message).toMatch(/one of 2 records for this case/);
  });
  it("a check record earns 0 points even when it passes", () => {
    const nb = cloneNotebook(loadNotebook(join(MINI, "source.ipynb")));
    cellById(nb, "double_tests").cell.source = 'check("double_hint", 0, true);\nexpectEqual("double_tests", 1, double(3), 6);';
    const r = releaseNotebook(nb, "m", { expected }, "mini", "mini.ipynb").record;
    const runs = new Map([
      [
        "double_tests",
        run([rec({ id: "double_hint", points: 5, passed: true, message: "ok" }), rec({ id: "double_tests", points: 1, actual: 6, message: "" })]),
      ],
    ]);
    const c = Object.fromEntries(scoreCases(r, expected, runs, redact).map((x) => [x.id, x]));
    expect(c.double_hint).toMatchObject({ status: "passed", points: 0, max: 0 });
    expect(c.double_tests).toMatchObject({ status: "passed", points: 1 });
  });
  it("expected.json predicates judge a hidden value without revealing them", () => {
    const exp = { ...expected, sigmoid_hidden: { predicates: { range: [0, 1] as [number, number], shape: [2] } } };
    const judge = (data: unknown[]) =>
      scoreCases(
        record,
        exp,
        new Map([["sigmoid_tests", run([rec({ id: "sigmoid_hidden", points: 2, value: { shape: [2], data }, message: "" })])]]),
        redact,
      ).find((x) => x.id === "sigmoid_hidden")!;
    expect(judge([0.1, 0.9])).toMatchObject({ status: "passed", points: 2 });
    expect(judge([0.1, 1.5])).toMatchObject({ status: "failed", points: 0, message: "the value lacks a property this hidden case requires" });
  });
});

const built = existsSync(workerFile());
if (!built) console.log(`expression worker tests skipped: ${workerFile()} is missing (run npm run build)`);

describe("expression answers", () => {
  const TANH = "4 / (exp(z) + exp(-z))^2";
  it.each(["sech(z)^2", "1/cosh(z)^2", "1 - tanh(z)^2", "4/(exp(z)+exp(-z))^2"])("%s is accepted for the derivative of tanh", (answer) => {
    const v = expressionsEquivalent(answer, TANH, ["z"]);
    expect(v.message).toMatch(/^ok: equal at 40 points of z ∈ \[-3, 3\]/);
    expect(v.passed).toBe(true);
  });
  it("rejects a wrong answer numerically even when it is close", () => {
    expect(expressionsEquivalent("1 - tanh(z)^2 + 1e-6", TANH, ["z"])).toMatchObject({
      passed: false,
      message: expect.stringMatching(/not equivalent: differs at z = /),
    });
  });
  it("refuses answers over the size budget before any algebra", () => {
    const big = Array.from({ length: 60 }, (_, i) => `(z+${i})`).join("*");
    expect(expressionsEquivalent(big, TANH, ["z"]).message).toMatch(/expression too large/);
  });

  it.skipIf(!built)(
    "a product of 30 (z+i) factors is judged in the worker within the budget, and scores 0",
    async () => {
      const dos = Array.from({ length: 30 }, (_, i) => `(z+${i + 1})`).join("*");
      await judgeExpression({ student: "z", expected: "z", variables: ["z"] }); // the worker is started (mathjs loaded) once per process
      const t0 = Date.now();
      const v = await judgeExpression({ student: dos, expected: TANH, variables: ["z"] });
      const ms = Date.now() - t0;
      expect(v.passed).toBe(false);
      expect(ms).toBeLessThan(3500); // within the 3 s budget
    },
    20_000,
  );

  it.skipIf(!built)(
    "an answer over the time budget fails with the reason; the worker is replaced and the next answer is judged",
    async () => {
      const slow = await judgeExpression({ student: "sech(z)^2", expected: TANH, variables: ["z"] }, 1);
      expect(slow).toEqual({ passed: false, message: "the expression took longer than 0.001 s to judge (budget); write it more simply" });
      const next = await judgeExpression({ student: "sech(z)^2", expected: TANH, variables: ["z"] });
      expect(next.passed).toBe(true);
    },
    20_000,
  );

  it.skipIf(!built)(
    "an idle judge does not keep the process alive (nnlab grade exits when done)",
    () => {
      const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
      const judgeJs = join(workerFile(), "..", "expression-judge.js");
      const code = `require(${JSON.stringify(judgeJs)}).judgeExpression({ student: "sech(z)^2", expected: "1 - tanh(z)^2", variables: ["z"] }).then((v) => console.log(JSON.stringify(v)))`;
      const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", timeout: 60_000 });
      expect(r.signal).toBeNull(); // not killed by the timeout
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).passed).toBe(true);
    },
    70_000,
  );

  it("a flood of different forged answers for one expression case fails it without judging any", async () => {
    const flood = Array.from({ length: 6 }, (_, i) => rec({ id: "deriv_expr", points: 2, expression: `z+${i}`, message: "" }));
    const runs = new Map([["deriv_tests", run(flood)]]);
    const verdicts = await judgeExpressions(record, expected, runs);
    expect(verdicts.size).toBe(0);
    expect(scoreCases(record, expected, runs, redact, verdicts).find((x) => x.id === "deriv_expr")).toMatchObject({
      status: "failed",
      points: 0,
      message: "6 different answers were recorded for this case (at most 4 are judged)",
    });
  });

  it.skipIf(!built)(
    "scoring uses the worker's verdicts",
    async () => {
      const runs = new Map([["deriv_tests", run([rec({ id: "deriv_expr", points: 2, expression: "exp(-z)/(1+exp(-z))^2", message: "" })])]]);
      const verdicts = await judgeExpressions(record, expected, runs);
      const c = scoreCases(record, expected, runs, redact, verdicts).find((x) => x.id === "deriv_expr")!;
      expect(c).toMatchObject({ status: "passed", points: 2 });
      expect(scoreCases(record, expected, runs, redact).find((x) => x.id === "deriv_expr")!.status).toBe("failed"); // no verdict, no points
    },
    20_000,
  );
});

describe("redaction of every output", () => {
  const hiddenLine = 'reportValue("sigmoid_hidden", 2, [sigmoid(-3), sigmoid(1.5)]);';
  it("removes hidden-test lines, also JSON-escaped or re-spaced, and expected values; keeps the rest", () => {
    const r = redactRun(
      run([
        { output_type: "stream", name: "stdout", text: `captured: ${hiddenLine}\nmy own line\n` },
        { output_type: "stream", name: "stdout", text: `${JSON.stringify({ code: `// BEGIN HIDDEN TESTS\n${hiddenLine}` })}\n` },
        { output_type: "stream", name: "stdout", text: "reportValue( 'sigmoid_hidden' , 2 , [ sigmoid(-3) , sigmoid(1.5) ] ) ;\n" },
        {
          output_type: "execute_result",
          execution_count: 1,
          data: { "text/plain": "0.04742587317756678", "text/html": `<b>${hiddenLine}</b>` },
          metadata: {},
        },
        { output_type: "error", ename: "Error", evalue: hiddenLine, traceback: [] },
      ]),
      redact,
    );
    const texts = JSON.stringify(r.outputs);
    expect(texts).not.toContain("sigmoid(1.5)");
    expect(texts).not.toContain("0.04742587317756678");
    expect(texts).toContain("my own line");
    expect((r.outputs[1] as { text: string }).text).toBe(`${REDACTED}\n`);
  });
});

describe("feedback markdown is sanitised (sanitize-html)", () => {
  it("drops script, event handlers and javascript: links; keeps formatting", () => {
    const html = markdownHtml(
      '# Title\n\n<script>alert(1)</script>\n\n<img src="x" onerror="alert(2)">\n\n[link](javascript:alert(3)) **bold** <iframe src="https://evil"></iframe>',
    );
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe/i);
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
  });
});

describe("the grader's own state", () => {
  it("creates a 0600 key in a 0700 folder once, and reuses it", () => {
    const out = join(work, "out1");
    const k1 = graderKey(out);
    expect(k1.length).toBe(32);
    expect(statSync(join(out, ".nnlab-state", "key")).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, ".nnlab-state")).mode & 0o777).toBe(0o700);
    expect(graderKey(out).equals(k1)).toBe(true);
    expect(graderKey(join(work, "out2")).equals(k1)).toBe(false);
  });
  it("refuses a key that is a symbolic link or readable by others", () => {
    const out = join(work, "out3");
    mkdirSync(join(out, ".nnlab-state"), { recursive: true, mode: 0o700 });
    symlinkSync("/etc/hostname", join(out, ".nnlab-state", "key"));
    expect(() => graderKey(out)).toThrow(/key: cannot be opened safely \(ELOOP\)/);
    const out4 = join(work, "out4");
    graderKey(out4);
    chmodSync(join(out4, ".nnlab-state", "key"), 0o644);
    expect(() => graderKey(out4)).toThrow(/has mode 644; it must be 0600/);
  });
  it("verifies its own MAC and rejects planted, edited or foreign results", () => {
    const key = graderKey(join(work, "out1"));
    const result = { status: "graded", score: 3, cases: [{ id: "a", points: 3 }] };
    const s = signed(result, key);
    expect(verifySigned(JSON.parse(JSON.stringify(s)), key)).toBe(true);
    expect(verifySigned({ ...s, score: 0 }, key)).toBe(false);
    expect(verifySigned(result, key)).toBe(false);
    expect(verifySigned({ ...result, mac: "0".repeat(64) }, key)).toBe(false);
    expect(verifySigned(s, graderKey(join(work, "out2")))).toBe(false);
  });
});

describe("writing outputs", () => {
  it("never writes through a link planted at the temporary name", () => {
    const victim = join(work, "victim.txt");
    writeFileSync(victim, "precious");
    const file = join(work, "feedback.html");
    symlinkSync(victim, `${file}.tmp-${process.pid}`);
    writeAtomic(file, "<p>feedback</p>");
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(readFileSync(file, "utf8")).toBe("<p>feedback</p>");
  });
});

describe("gradebook CSV cells", () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ["+1+2", "'+1+2"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", `"'\t=1"`],
    ["ann", "ann"],
    [7, "7"],
  ])("%j → %s", (v, want) => {
    expect(csvCell(v)).toBe(want);
  });
});

describe("submissions are read without following symbolic links", () => {
  it("refuses a linked notebook and linked data files, with a message, and never reads them", () => {
    const subs = join(work, "subs");
    mkdirSync(join(subs, "eve"), { recursive: true });
    mkdirSync(join(subs, "mal"), { recursive: true });
    symlinkSync("/etc/shadow", join(subs, "eve", "mini.ipynb"));
    writeFileSync(join(subs, "mal", "mini.ipynb"), "{}");
    symlinkSync(join(MINI, "expected.json"), join(subs, "mal", "data.json"));
    symlinkSync(join(subs, "mal"), join(subs, "zed"));
    const found = discoverSubmissions(subs, "mini.ipynb");
    expect(found.map((s) => s.student)).toEqual(["eve", "mal"]);
    expect(found[0].notebookPath).toBe(join(subs, "eve", "mini.ipynb")); // graded as unreadable, with the reason below
    expect(found[0].refused).toEqual([]);
    expect(found[1].files).toEqual([]);
    expect(found[1].refused).toEqual(["data.json is a symbolic link; it was not read (submit the file itself)"]);
    expect(() => readFileNoFollow(join(subs, "eve", "mini.ipynb"))).toThrow("mini.ipynb is a symbolic link; submit the file itself");
    expect(readFileSync(join(subs, "mal", "mini.ipynb"), "utf8")).toBe("{}");
  });
});
