/**
 * Grading pass 3, "score": from the record's declared cases and the executed cells to one
 * result per case. Every verdict is made here, from the values the kernel reported and
 * expectations the kernel never had:
 * - close cases: the reported `actual` against the literal the release read from the test
 *   source (the kernel's `expected`, tolerances and `passed` are ignored);
 * - property cases: the release's literal predicates, evaluated on the reported value;
 * - value cases: expected.json (`value` within tolerance, and/or `predicates`);
 * - expression cases: a verdict from the worker (expression-judge.ts), made before scoring;
 * - `check` cases: the kernel's boolean, shown as a self-check, worth 0 points always.
 * Fail-closed: a case scores only with records from its own test cell's run, and every record
 * for it must pass, so a forged record sent earlier cannot stand in for (or pre-empt) the real one.
 */
import { checkPredicates, compareValues, TEST_MIME, type TestRecord } from "nnlab/grading";
import type { CaseSpec } from "./format/cases";
import type { ExpressionVerdict } from "./expression";
import { type ExpressionRequest, judgeExpression } from "./expression-judge";
import type { ExpectedValues } from "./expected";
import { judgeAccuracy, judgeLoss } from "./held-back";
import type { CellRun } from "./execute";
import type { ReleaseRecord } from "./record";

/** `pending`: a written answer awaiting a manual grade; `graded`: one that has it (written-answers.ts). */
export type CaseStatus = "passed" | "failed" | "error" | "timeout" | "killed" | "not-run" | "pending" | "graded";

export interface CaseResult {
  id: string;
  question: string;
  points: number;
  max: number;
  status: CaseStatus;
  message: string;
  durationMs: number;
  visibility: "visible" | "hidden";
  /** Set when a manual grade replaced the automatic points (see manual.ts). */
  autoPoints?: number;
  /** Written answers: the status and message the autograder gave, before the manual grade. */
  autoStatus?: CaseStatus;
  autoMessage?: string;
  manual?: true;
  comment?: string;
  needsReview?: string;
  /** A manually graded written answer (written-answers.ts), not a test case. */
  written?: true;
  /** Written answers: the student's text (sanitised) and the hash of its exact source. */
  answer?: string;
  answerHash?: string;
  /** Points per rubric criterion, when the manual grade was given that way. */
  criteria?: Record<string, number>;
}

/** At most this many records per case are looked at (a loop over one id is legitimate, a flood is not). */
const MAX_RECORDS_PER_CASE = 1000;

/** The records a test cell's own run produced, every one of them, by case id. */
function recordsOf(run: CellRun | undefined): Map<string, TestRecord[]> {
  const map = new Map<string, TestRecord[]>();
  for (const out of run?.outputs ?? []) {
    if (out.output_type !== "display_data") continue;
    const rec = out.data[TEST_MIME] as unknown as TestRecord | undefined;
    if (!rec || typeof rec !== "object" || Array.isArray(rec) || typeof rec.id !== "string") continue;
    const list = map.get(rec.id) ?? [];
    if (list.length < MAX_RECORDS_PER_CASE) list.push(rec);
    map.set(rec.id, list);
  }
  return map;
}

/** Expression verdicts are keyed by case id and the exact string judged. */
function expressionKey(id: string, expression: unknown): string {
  return `${id}\u0000${typeof expression === "string" ? expression : JSON.stringify(expression ?? null)}`;
}
export type ExpressionVerdicts = Map<string, ExpressionVerdict>;

/** More different answers than this for one expression case fail it unjudged (a flood of forged records). */
export const MAX_EXPRESSIONS_PER_CASE = 4;

function distinctExpressions(recs: TestRecord[]): Set<string> {
  return new Set(recs.map((r) => expressionKey("", r.expression)));
}

/** The expression answers present in these runs that still need a verdict. */
export function pendingExpressions(
  record: ReleaseRecord,
  expected: ExpectedValues,
  runsByGradeId: Map<string, CellRun>,
  known: ExpressionVerdicts,
): { key: string; req: ExpressionRequest }[] {
  const out: { key: string; req: ExpressionRequest }[] = [];
  for (const cell of record.cells) {
    if (cell.role !== "test") continue;
    const records = recordsOf(runsByGradeId.get(cell.gradeId!));
    for (const spec of cell.cases) {
      const exp = expected[spec.id];
      if (spec.kind !== "expression" || !exp || !("expression" in exp)) continue;
      const recs = records.get(spec.id) ?? [];
      if (distinctExpressions(recs).size > MAX_EXPRESSIONS_PER_CASE) continue;
      for (const rec of recs) {
        const key = expressionKey(spec.id, rec.expression);
        if (known.has(key) || out.some((o) => o.key === key)) continue;
        out.push({
          key,
          req: {
            student: rec.expression,
            expected: exp.expression,
            variables: exp.variables,
            domain: exp.domain,
            ...(exp.samples ? { samples: exp.samples } : {}),
          },
        });
      }
    }
  }
  return out;
}

/**
 * Judge the expression answers in these runs (in the worker, one at a time); adds to `known`.
 * A case's remaining answers are skipped after one fails: every record must pass anyway.
 */
export async function judgeExpressions(
  record: ReleaseRecord,
  expected: ExpectedValues,
  runsByGradeId: Map<string, CellRun>,
  known: ExpressionVerdicts = new Map(),
): Promise<ExpressionVerdicts> {
  const failedCases = new Set<string>();
  for (const { key, req } of pendingExpressions(record, expected, runsByGradeId, known)) {
    const id = key.slice(0, key.indexOf("\u0000"));
    if (failedCases.has(id)) continue;
    const v = await judgeExpression(req);
    known.set(key, v);
    if (!v.passed) failedCases.add(id);
  }
  return known;
}

function stderrOf(run: CellRun): string {
  return run.outputs
    .map((o) => (o.output_type === "stream" && o.name === "stderr" ? o.text : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : ""))
    .join("")
    .trim();
}

/** Why a cell produced no record, in words a student can act on. */
function noRecord(run: CellRun | undefined, redact: (s: string) => string): { status: CaseStatus; message: string } {
  if (!run) return { status: "not-run", message: "the test cell was not run (an earlier grader error)" };
  switch (run.status) {
    case "not-run":
      return { status: "not-run", message: run.reason ?? "not run" };
    case "abort":
      return { status: "not-run", message: run.reason ?? "not executed" };
    case "timeout":
      return { status: "timeout", message: run.reason ?? "timeout" };
    case "died":
      return { status: "killed", message: run.reason ?? "kernel died" };
    case "error": {
      const text = redact(stderrOf(run))
        .split("\n")
        .filter((l) => l.trim() !== "")
        .slice(0, 6)
        .join("\n");
      if (/Array buffer allocation failed|Invalid typed array length|heap out of memory/i.test(text)) {
        return { status: "error", message: `memory limit: ${text.split("\n")[0]}` };
      }
      if (/^(TypeScriptError: |\d+:\d+ - )/.test(text))
        return { status: "error", message: `does not type-check: ${text.replace(/^TypeScriptError: /, "")}` };
      return { status: "error", message: text === "" ? "the test cell raised an error" : text };
    }
    default:
      return { status: "failed", message: "no result recorded for this case (the test did not reach it)" };
  }
}

const HIDDEN_PROPERTY = "the value lacks a property this hidden case requires";

function verdict(spec: CaseSpec, rec: TestRecord, expected: ExpectedValues, expressions: ExpressionVerdicts): { passed: boolean; message: string } {
  switch (spec.kind) {
    case "close": {
      if (spec.expected === undefined)
        return {
          passed: false,
          message: spec.problem ?? "grader error: the release record has no expected value for this case; run nnlab release again",
        };
      if (!("actual" in rec)) return { passed: false, message: "no value reported" };
      return compareValues(rec.actual, spec.expected, { rtol: spec.rtol, atol: spec.atol }, !spec.hidden);
    }
    case "property": {
      if (spec.predicates === undefined)
        return {
          passed: false,
          message: spec.problem ?? "grader error: the release record has no predicates for this case; run nnlab release again",
        };
      if (!("value" in rec)) return { passed: false, message: "no value reported" };
      const r = checkPredicates(rec.value, spec.predicates);
      return r.passed || !spec.hidden ? r : { passed: false, message: HIDDEN_PROPERTY };
    }
    case "value":
    case "expression": {
      const exp = expected[spec.id];
      if (!exp) return { passed: false, message: "grader error: no expected value for this case" };
      if ("expression" in exp) {
        return expressions.get(expressionKey(spec.id, rec.expression)) ?? { passed: false, message: "the expression was not judged (grader error)" };
      }
      if (!("value" in rec)) return { passed: false, message: "no value reported" };
      if ("accuracy" in exp) {
        // Predictions on held-back examples against labels that never entered the kernel (held-back.ts).
        if (!exp.labels) return { passed: false, message: `grader error: held-back set "${exp.accuracy.heldBack}" was not loaded` };
        return judgeAccuracy(rec.value, exp.accuracy.atLeast, exp.labels);
      }
      if ("loss" in exp) {
        if (!exp.labels) return { passed: false, message: `grader error: held-back set "${exp.loss.heldBack}" was not loaded` };
        return judgeLoss(rec.value, exp.loss.kind, exp.loss.atMost, exp.labels);
      }
      if (exp.predicates !== undefined) {
        const p = checkPredicates(rec.value, exp.predicates);
        if (!p.passed) return { passed: false, message: spec.hidden ? HIDDEN_PROPERTY : p.message };
      }
      if (!("value" in exp)) return { passed: true, message: "ok" };
      return compareValues(rec.value, exp.value, { rtol: exp.rtol, atol: exp.atol }, false);
    }
    case "check": {
      const passed = rec.passed === true;
      return { passed, message: passed ? "ok (self-check, 0 points)" : `${String(rec.message ?? "failed")} (self-check, 0 points)` };
    }
  }
}

/** Every record for the case must pass: the first failure is the verdict. */
function verdictOfAll(
  spec: CaseSpec,
  recs: TestRecord[],
  expected: ExpectedValues,
  expressions: ExpressionVerdicts,
): { passed: boolean; message: string } {
  if (spec.kind === "expression" && distinctExpressions(recs).size > MAX_EXPRESSIONS_PER_CASE) {
    return {
      passed: false,
      message: `${distinctExpressions(recs).size} different answers were recorded for this case (at most ${MAX_EXPRESSIONS_PER_CASE} are judged)`,
    };
  }
  let first: { passed: boolean; message: string } | undefined;
  for (const rec of recs) {
    const v = verdict(spec, rec, expected, expressions);
    if (!v.passed) return recs.length > 1 ? { passed: false, message: `${v.message} (one of ${recs.length} records for this case)` } : v;
    first ??= v;
  }
  return first!;
}

export function scoreCases(
  record: ReleaseRecord,
  expected: ExpectedValues,
  runsByGradeId: Map<string, CellRun>,
  redact: (s: string) => string,
  expressions: ExpressionVerdicts = new Map(),
): CaseResult[] {
  const results: CaseResult[] = [];
  for (const cell of record.cells) {
    if (cell.role !== "test") continue;
    const run = runsByGradeId.get(cell.gradeId!);
    const records = recordsOf(run);
    const implicit = cell.cases.length === 1 && cell.cases[0].kind === "check" && cell.cases[0].id === cell.gradeId && !records.has(cell.gradeId!);
    for (const spec of cell.cases) {
      const base = {
        id: spec.id,
        question: cell.gradeId!,
        max: spec.points,
        durationMs: run?.durationMs ?? 0,
        visibility: spec.hidden ? "hidden" : "visible",
      } as const;
      const recs = records.get(spec.id) ?? [];
      if (implicit) {
        // A test cell without helper calls: nbgrader's rule, the cell passes if it ran cleanly.
        const ok = run?.status === "ok";
        const r = ok ? { status: "passed" as const, message: "ok" } : noRecord(run, redact);
        results.push({ ...base, points: ok ? spec.points : 0, ...r });
        continue;
      }
      if (recs.length === 0) {
        results.push({ ...base, points: 0, ...noRecord(run, redact) });
        continue;
      }
      const v = verdictOfAll(spec, recs, expected, expressions);
      const points = v.passed && spec.kind !== "check" ? spec.points : 0;
      results.push({ ...base, points, status: v.passed ? "passed" : "failed", message: redact(v.message) });
    }
  }
  return results;
}
