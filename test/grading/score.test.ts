import type { PartialJSONObject } from "@lumino/coreutils";
import { describe, expect, it } from "vitest";
import { TEST_MIME } from "nnlab/grading";
import type { Output } from "../../cli/src/kernel/client";
import type { CellRun } from "../../cli/src/lessons/execute";
import { expressionsEquivalent } from "../../cli/src/lessons/expression";
import { readExpected } from "../../cli/src/lessons/expected";
import { makeRedactor } from "../../cli/src/lessons/redact";
import { scoreCases } from "../../cli/src/lessons/score";
import { gradebookCsv } from "../../cli/src/lessons/write/gradebook-csv";
import { gradescopeResults } from "../../cli/src/lessons/write/gradescope";
import { RESULTS_FORMAT, type SubmissionResult, questionsOf, validateResult } from "../../cli/src/lessons/write/results-json";
import { MINI, miniRelease } from "./helpers";

const { record } = miniRelease();
const expected = readExpected(MINI);
const redact = makeRedactor(record);

function rec(data: Record<string, unknown>): Output {
  return { output_type: "display_data", data: { [TEST_MIME]: data as PartialJSONObject, "text/plain": "x" }, metadata: {} };
}
function run(outputs: Output[], status: CellRun["status"] = "ok", reason?: string): CellRun {
  return { index: 0, status, outputs, executionCount: null, durationMs: 5, ...(reason ? { reason } : {}) };
}
function score(runs: Record<string, CellRun>) {
  return scoreCases(record, expected, new Map(Object.entries(runs)), redact);
}
const doubleOk = rec({ id: "double_tests", points: 1, passed: true, actual: 6, expected: 6, message: "ok" });
const byId = (cases: ReturnType<typeof score>) => Object.fromEntries(cases.map((c) => [c.id, c]));

const sigmoidOk = [
  rec({ id: "sigmoid_zero", points: 1, passed: true, actual: 0.5, expected: 0.5, message: "ok" }),
  rec({ id: "sigmoid_two", points: 1, passed: true, actual: 0.8807970779778823, expected: 0.8807970779778823, message: "ok" }),
  rec({ id: "sigmoid_hidden", points: 2, value: { shape: [2], data: [0.04742587317756678, 0.8175744761936437] }, message: "value recorded" }),
];

describe("scoring cases from records", () => {
  it("sums the passed cases of a cell: 1 + 1 + 2 with the public closeness case failing → 3 of 4", () => {
    const out = [...sigmoidOk];
    out[1] = rec({ id: "sigmoid_two", points: 1, passed: true, actual: 0.8, expected: 0.8807970779778823, message: "ok" });
    const c = byId(score({ sigmoid_tests: run(out) }));
    expect([c.sigmoid_zero.points, c.sigmoid_two.points, c.sigmoid_hidden.points]).toEqual([1, 0, 2]);
    expect(c.sigmoid_two.status).toBe("failed"); // the kernel's "passed: true" is recomputed, not trusted
    expect(c.sigmoid_two.message).toMatch(/got 0\.8, expected 0\.88/);
  });

  it("is fail-closed: a cell whose records were cleared scores 0", () => {
    const c = byId(score({ sigmoid_tests: run([{ output_type: "stream", name: "stdout", text: "all good!" }]) }));
    expect(c.sigmoid_zero).toMatchObject({ points: 0, status: "failed" });
    expect(c.sigmoid_hidden).toMatchObject({ points: 0, status: "failed", visibility: "hidden" });
  });

  it("compares hidden values with expected.json in the grader; a forged 'passed' does not count", () => {
    const forged = rec({ id: "sigmoid_hidden", points: 2, passed: true, value: { shape: [2], data: [0.5, 0.5] }, message: "ok" });
    const c = byId(score({ sigmoid_tests: run([sigmoidOk[0], sigmoidOk[1], forged]) }));
    expect(c.sigmoid_hidden).toMatchObject({ points: 0, status: "failed" });
    expect(c.sigmoid_hidden.message).not.toContain("0.0474"); // the expectation is not revealed
    // …nor can it be computed back from what the message says: no number n in it puts
    // 0.5 ± n (the student's value ± a difference) on an expected value.
    const expectedValues = [0.04742587317756678, 0.8175744761936437];
    for (const n of (c.sigmoid_hidden.message.match(/\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number)) {
      for (const y of expectedValues)
        for (const back of [0.5 - n, 0.5 + n]) expect(Math.abs(back - y), c.sigmoid_hidden.message).toBeGreaterThan(1e-6);
    }
  });

  it("ignores records emitted by cells other than the case's own test cell", () => {
    const c = byId(score({ double_tests: run([...sigmoidOk, doubleOk]) }));
    expect(c.sigmoid_zero.status).toBe("not-run");
    expect(c.double_tests).toMatchObject({ status: "passed", points: 1 });
  });

  it("names why a cell produced nothing: timeout, kernel death, type error, not run", () => {
    const c = byId(
      score({
        sigmoid_tests: run([], "timeout", "timeout after 3 s (kernel killed and restarted; its state is lost)"),
        deriv_tests: run([{ output_type: "stream", name: "stderr", text: "1:1 - Cannot find name 'sigmoidDerivative'.\n" }], "error"),
        double_tests: run([], "died", "kernel died (exit code 3)"),
      }),
    );
    expect(c.sigmoid_zero).toMatchObject({ status: "timeout", message: expect.stringMatching(/timeout after 3 s/) });
    expect(c.deriv_expr).toMatchObject({ status: "error", message: "does not type-check: 1:1 - Cannot find name 'sigmoidDerivative'." });
    expect(c.double_tests).toMatchObject({ status: "killed", message: "kernel died (exit code 3)" });
    expect(byId(score({})).double_tests.status).toBe("not-run");
  });

  it("fails a test cell that ran cleanly but sent no record, and redacts hidden-test text from error messages", () => {
    expect(byId(score({ double_tests: run([]) })).double_tests).toMatchObject({ status: "failed", points: 0 });
    expect(byId(score({ double_tests: run([doubleOk]) })).double_tests).toMatchObject({ status: "passed", points: 1 });
    const leak = run(
      [{ output_type: "stream", name: "stderr", text: 'Error at reportValue("sigmoid_hidden", 2, [sigmoid(-3), sigmoid(1.5)]);\nplain line\n' }],
      "error",
    );
    const m = byId(score({ sigmoid_tests: leak })).sigmoid_hidden.message;
    expect(m).not.toContain("sigmoid(1.5)");
    expect(m).toContain("plain line");
  });
});

describe("expression answers (mathjs)", () => {
  it.each([
    ["sigmoid(z)*(1-sigmoid(z))", true],
    ["exp(-z)/(1+exp(-z))^2", true],
    ["1/(2+exp(z)+exp(-z))", true],
    ["exp(-z)/(1+exp(-z))", false],
    ["z", false],
  ])("%s equivalent to σ'(z): %s", (answer, ok) => {
    expect(expressionsEquivalent(answer, "sigmoid(z) * (1 - sigmoid(z))", ["z"]).passed).toBe(ok);
  });
  it("takes derivatives stated as derivative(f, x) and accepts symbolically equal forms", () => {
    expect(expressionsEquivalent("w*lam", "derivative(lam/2*w^2, w)", ["lam", "w"])).toMatchObject({ passed: true });
    expect(expressionsEquivalent("lam*w^2", "derivative(lam/2*w^2, w)", ["lam", "w"]).passed).toBe(false);
  });
  it("refuses unknown symbols, functions and assignments instead of evaluating them", () => {
    expect(expressionsEquivalent("y + z", "z", ["z"]).message).toMatch(/unknown symbol "y"/);
    expect(expressionsEquivalent("import(z)", "z", ["z"]).message).toMatch(/unknown function "import"/);
    expect(expressionsEquivalent("z = 2", "z", ["z"]).passed).toBe(false);
    expect(expressionsEquivalent("((", "z", ["z"]).message).toMatch(/could not parse/);
  });
});

describe("result writers", () => {
  const cases = score({ sigmoid_tests: run(sigmoidOk), double_tests: run([doubleOk]) });
  const result: SubmissionResult = {
    format: RESULTS_FORMAT,
    lesson: "mini",
    student: "ann",
    notebook: "mini.ipynb",
    status: "graded",
    score: cases.reduce((s, c) => s + c.points, 0),
    maxScore: 7,
    questions: questionsOf(cases),
    cases,
    warnings: [],
    restarts: 0,
    timing: { startedAt: "2026-01-01T00:00:00.000Z", durationMs: 4200 },
    versions: { nnlab: "0.1.0", node: "v20" },
  };
  it("produces schema-valid results and rejects invalid ones", () => {
    expect(validateResult(result)).toEqual([]);
    expect(validateResult({ ...result, score: 99 })).toEqual(["score 99 is not the sum of case points 5"]);
    expect(validateResult({ ...result, cases: [{ ...cases[0], status: "great" }] }).join()).toMatch(/status great invalid/);
  });
  it("writes gradebook.csv with nbgrader's export columns then one column per question", () => {
    const csv = gradebookCsv("mini", ["sigmoid_tests", "deriv_tests", "double_tests"], [result], new Map([["ann", "2026-01-01 10:00:00"]]));
    expect(csv).toBe(
      "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score,sigmoid_tests,deriv_tests,double_tests\n" +
        "mini,,2026-01-01 10:00:00,ann,,,,5,0,5,7,4,0,1\n",
    );
  });
  it("writes Gradescope results with hidden cases shown after the due date", () => {
    const g = gradescopeResults(result);
    expect(g.score).toBe(5);
    expect(g.execution_time).toBe(4);
    expect(g.tests.find((t) => t.name === "sigmoid_tests: sigmoid_hidden")).toMatchObject({
      score: 2,
      max_score: 2,
      status: "passed",
      visibility: "after_due_date",
    });
    expect(g.tests.find((t) => t.name === "deriv_tests: deriv_expr")).toMatchObject({ score: 0, status: "failed", visibility: "visible" });
  });
});

describe("manual grades", () => {
  it("replace the automatic points, keep them visible, and flag disagreement", async () => {
    const { applyManual } = await import("../../cli/src/lessons/manual");
    const cases = score({ sigmoid_tests: run(sigmoidOk), double_tests: run([doubleOk]) });
    const base: SubmissionResult = {
      format: RESULTS_FORMAT,
      lesson: "mini",
      student: "bo",
      notebook: "mini.ipynb",
      status: "graded",
      score: 5,
      maxScore: 7,
      questions: questionsOf(cases),
      cases,
      warnings: [],
      restarts: 0,
      timing: { startedAt: "", durationMs: 0 },
      versions: { nnlab: "0.1.0", node: "v20" },
    };
    const m = applyManual(base, { deriv_expr: { points: 5, comment: "accepted by hand" }, double_tests: { points: 1 }, nope: { points: 1 } });
    expect(m.score).toBe(7); // deriv_expr clamped to its max of 2
    expect(m.cases.find((c) => c.id === "deriv_expr")).toMatchObject({
      points: 2,
      autoPoints: 0,
      manual: true,
      needsReview: "manual 2 kept; the autograder gives 0",
    });
    expect(m.cases.find((c) => c.id === "double_tests")).not.toHaveProperty("needsReview");
    expect(m.warnings).toEqual(['manual grade for unknown case "nope" ignored']);
    expect(validateResult(m)).toEqual([]);
    expect(base.score).toBe(5);
  });
});
