/**
 * Hidden expectations: lessons/<nn>/expected.json maps a hidden case id to the value (or
 * expression) its reported value must match. Read only by the grader process; never copied into
 * a release, a kernel's working directory or a kernel message.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Predicates } from "nnlab/grading";
import type { ExpressionSamples } from "./expression";
import { join } from "node:path";
import { EXPECTED_FILE } from "./record";
import type { AccuracyExpectation, HeldBack, LossExpectation } from "./held-back";

/**
 * A value case holds `value` (compared within rtol/atol), `predicates` (properties the grader
 * evaluates on the reported value, see nnlab/grading predicates.ts), or both.
 */
export type ExpectedCase =
  | { value?: unknown; rtol?: number; atol?: number; predicates?: Predicates }
  | { expression: string; variables: string[]; domain?: [number, number]; samples?: ExpressionSamples }
  | { accuracy: AccuracyExpectation; labels?: number[] }
  | { loss: LossExpectation; labels?: number[] };

export type ExpectedValues = Record<string, ExpectedCase>;

export function readExpected(lessonDir: string): ExpectedValues {
  const file = join(lessonDir, EXPECTED_FILE);
  if (!existsSync(file)) return {};
  const raw = JSON.parse(readFileSync(file, "utf8")) as { cases?: ExpectedValues };
  if (typeof raw !== "object" || raw === null || typeof raw.cases !== "object") {
    throw new Error(`${file}: expected {"cases": {"<case id>": {"value": …} | {"expression": …, "variables": […]}}}`);
  }
  return raw.cases!;
}

const LOSS_KINDS = ["mse", "bce"];

/**
 * Accuracy and loss cases with their held-back labels attached (grader side only), so that
 * scoring needs no second lookup. Throws when a case names a set heldback.json does not have.
 */
export function withHeldBackLabels(expected: ExpectedValues, heldBack: HeldBack, lessonDir: string): ExpectedValues {
  const out: ExpectedValues = { ...expected };
  for (const [id, c] of Object.entries(expected)) {
    if (!("accuracy" in c) && !("loss" in c)) continue;
    const name = "accuracy" in c ? c.accuracy.heldBack : c.loss.heldBack;
    const set = heldBack[name];
    if (!set)
      throw new Error(`${join(lessonDir, EXPECTED_FILE)}: case "${id}" is judged on held-back set "${name}", which heldback.json does not have`);
    if ("accuracy" in c) {
      out[id] = { accuracy: c.accuracy, labels: set.labels };
      continue;
    }
    if (!LOSS_KINDS.includes(c.loss.kind) || typeof c.loss.atMost !== "number") {
      throw new Error(
        `${join(lessonDir, EXPECTED_FILE)}: case "${id}" needs {"loss": {"heldBack", "kind": ${LOSS_KINDS.map((k) => `"${k}"`).join(" | ")}, "atMost": <number>}}`,
      );
    }
    out[id] = { loss: c.loss, labels: set.labels };
  }
  return out;
}

/** Strings whose presence in a released or student-facing file would leak an expectation. */
export function expectedLeakNeedles(expected: ExpectedValues): string[] {
  const needles: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v)) {
      // Only values with enough digits to be unguessable: 0.5 appears in any notebook.
      const s = String(v);
      if (s.replace(/^-?0?\.?/, "").length >= 6) needles.push(s);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(walk);
  };
  for (const c of Object.values(expected)) {
    if ("expression" in c) {
      if (c.expression.length >= 8) needles.push(c.expression);
    } else if (!("accuracy" in c) && !("loss" in c)) walk(c.value);
  }
  return needles;
}
