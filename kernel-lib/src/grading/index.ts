/**
 * nnlab/grading: the helpers graded test cells call. Every call is one test case with its own id
 * and points, and emits one record (`application/vnd.nnlab.test+json`). The grader declares the
 * cases from the test cell's source, so a case whose record never arrives scores 0, and it
 * judges every case itself from the reported value: the expected values and predicates written
 * as literals in the test source (read at release, stripped from the cell the kernel runs at
 * grading), or expected.json. A verdict computed here is only the student's preview.
 *
 * ```ts
 * import { check, expectClose, expectEqual, expectThat, reportValue } from "nnlab/grading";
 * check("sigmoid_defined", 0, typeof sigmoid === "function", "define sigmoid first"); // hint, 0 points
 * expectEqual("sigmoid_zero", 1, sigmoid(0), 0.5);
 * expectClose("sigmoid_two", 1, sigmoid(2), 0.8807970779778823, { atol: 1e-9 });
 * expectThat("sigmoid_range", 1, [-50, 0, 50].map(sigmoid), { finite: true, range: [0, 1], monotone: "nondecreasing" });
 * reportValue("sigmoid_hidden", 2, sigmoid(-3));   // compared by the grader, never here
 * ```
 */
import { compareValues, type Tolerance } from "./compare";
import { emitRecord } from "./emit";
import { checkPredicates, type Predicates } from "./predicates";
import { freeze, StringCtor } from "./intrinsics";
import { toReported } from "./value";

export { compareValues, DEFAULT_ATOL, DEFAULT_RTOL } from "./compare";
export type { Comparison, Tolerance } from "./compare";
export { TEST_MIME, onRecord } from "./emit";
export type { TestRecord } from "./emit";
export { toReported, isNumericValue, decodeNumber } from "./value";
export { checkPredicates, predicateProblems } from "./predicates";
export type { Predicates, Monotone } from "./predicates";
export type { NumericValue, Reported } from "./value";
export { heldBack } from "./held-back";
export type { HeldBackInputs, PackedHeldBack } from "./held-back";

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return StringCtor(e);
}

/**
 * A self-check hint for the student: passes when `condition` is true (or, given a function,
 * returns true or nothing without throwing). Worth 0 points: a boolean the kernel reports proves
 * nothing to the grader, so the release refuses `check` with points > 0 (use `expectClose`,
 * `expectEqual`, `expectThat` or `reportValue`, whose values the grader judges itself).
 */
export function check(id: string, points: number, condition: boolean | (() => unknown), message: string = "check failed"): boolean {
  let passed: boolean;
  let why = message;
  if (typeof condition === "function") {
    try {
      const r = condition();
      passed = r === undefined || r === true;
    } catch (e) {
      passed = false;
      why = `${message} (${errorText(e)})`;
    }
  } else {
    passed = condition === true;
  }
  emitRecord({ id, points, passed, message: passed ? "ok" : why });
  return passed;
}

/**
 * Numbers, nested arrays, typed arrays or tensors equal within |a − e| ≤ atol + rtol·|e|
 * (defaults 1e-7 each, PyTorch's float64 defaults); shapes must match exactly.
 */
export function expectClose(id: string, points: number, actual: unknown, expected: unknown, tol: Tolerance = {}): boolean {
  const a = toReported(actual);
  const e = toReported(expected);
  const r = compareValues(a, e, tol, true);
  emitRecord({ id, points, passed: r.passed, message: r.message, actual: a, expected: e, rtol: tol.rtol, atol: tol.atol });
  return r.passed;
}

/** Exact equality (tolerances 0); for integers, booleans, strings and shapes. */
export function expectEqual(id: string, points: number, actual: unknown, expected: unknown): boolean {
  return expectClose(id, points, actual, expected, { rtol: 0, atol: 0 });
}

/**
 * A property case: `value` must satisfy every predicate (`{ finite: true, shape: [2] }`, see
 * predicates.ts). The predicates are a literal in the test source; the grader re-evaluates them
 * on the reported value, so the kernel's verdict here is only the student's preview.
 */
export function expectThat(id: string, points: number, value: unknown, predicates: Predicates): boolean {
  const v = toReported(value);
  const r = checkPredicates(v, predicates);
  emitRecord({ id, points, passed: r.passed, message: r.message, value: v });
  return r.passed;
}

/** Hidden case: send the value only; the grader compares it with an expectation the kernel never sees. */
export function reportValue(id: string, points: number, value: unknown): void {
  emitRecord({ id, points, message: "value recorded", value: toReported(value), hidden: true });
}

/** Expression answer (e.g. "x*(1-x)"), checked by the grader for symbolic/numeric equivalence. */
export function reportExpression(id: string, points: number, expression: string): void {
  emitRecord({ id, points, message: "expression recorded", expression: StringCtor(expression) });
}

freeze(module.exports);
