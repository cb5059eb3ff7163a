/**
 * Grading pass 3, "score": from the record's declared cases and the executed cells to one
 * result per case. Fail-closed: a case scores only with a record from its own test cell, and
 * the verdict is recomputed here wherever it can be: closeness cases from the reported actual
 * and expected values, hidden cases against expected.json, expressions with mathjs. A record's
 * own "passed" is trusted only for plain `check` cases.
 */
import { compareValues, TEST_MIME, TestRecord } from "nnlab/grading";
import { CaseSpec } from "./format/cases";
import { expressionsEquivalent } from "./expression";
import { ExpectedValues } from "./expected";
import { CellRun } from "./execute";
import { ReleaseRecord } from "./record";

export type CaseStatus = "passed" | "failed" | "error" | "timeout" | "killed" | "not-run";

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
  manual?: true;
  comment?: string;
  needsReview?: string;
}

function recordsOf(run: CellRun | undefined): Map<string, TestRecord> {
  const map = new Map<string, TestRecord>();
  for (const out of run?.outputs ?? []) {
    if (out.output_type !== "display_data") continue;
    const rec = out.data[TEST_MIME] as TestRecord | undefined;
    if (rec && typeof rec === "object" && typeof rec.id === "string" && !map.has(rec.id)) map.set(rec.id, rec);
  }
  return map;
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
      const text = redact(stderrOf(run)).split("\n").filter((l) => l.trim() !== "").slice(0, 6).join("\n");
      if (/Array buffer allocation failed|Invalid typed array length|heap out of memory/i.test(text)) {
        return { status: "error", message: `memory limit: ${text.split("\n")[0]}` };
      }
      if (/^(TypeScriptError: |\d+:\d+ - )/.test(text)) return { status: "error", message: `does not type-check: ${text.replace(/^TypeScriptError: /, "")}` };
      return { status: "error", message: text === "" ? "the test cell raised an error" : text };
    }
    default:
      return { status: "failed", message: "no result recorded for this case (the test did not reach it)" };
  }
}

function verdict(spec: CaseSpec, rec: TestRecord, expected: ExpectedValues): { passed: boolean; message: string } {
  if (spec.kind === "value" || spec.kind === "expression") {
    const exp = expected[spec.id];
    if (!exp) return { passed: false, message: "grader error: no expected value for this case" };
    if ("expression" in exp) return expressionsEquivalent(rec.expression, exp.expression, exp.variables, exp.domain);
    if (!("value" in rec)) return { passed: false, message: "no value reported" };
    return compareValues(rec.value, exp.value, { rtol: exp.rtol, atol: exp.atol }, false);
  }
  if (spec.kind === "close" && "actual" in rec && "expected" in rec) {
    return compareValues(rec.actual, rec.expected, { rtol: rec.rtol, atol: rec.atol }, true);
  }
  const passed = rec.passed === true;
  return { passed, message: passed ? "ok" : String(rec.message ?? "failed") };
}

export function scoreCases(
  record: ReleaseRecord,
  expected: ExpectedValues,
  runsByGradeId: Map<string, CellRun>,
  redact: (s: string) => string,
): CaseResult[] {
  const results: CaseResult[] = [];
  for (const cell of record.cells) {
    if (cell.role !== "test") continue;
    const run = runsByGradeId.get(cell.gradeId!);
    const records = recordsOf(run);
    const implicit = cell.cases.length === 1 && cell.cases[0].id === cell.gradeId && !records.has(cell.gradeId!);
    for (const spec of cell.cases) {
      const base = { id: spec.id, question: cell.gradeId!, max: spec.points, durationMs: run?.durationMs ?? 0, visibility: spec.hidden ? "hidden" : "visible" } as const;
      const rec = records.get(spec.id);
      if (implicit) {
        // A test cell without helper calls: nbgrader's rule, the cell passes if it ran cleanly.
        const ok = run?.status === "ok";
        const r = ok ? { status: "passed" as const, message: "ok" } : noRecord(run, redact);
        results.push({ ...base, points: ok ? spec.points : 0, ...r });
        continue;
      }
      if (!rec) {
        results.push({ ...base, points: 0, ...noRecord(run, redact) });
        continue;
      }
      const v = verdict(spec, rec, expected);
      results.push({ ...base, points: v.passed ? spec.points : 0, status: v.passed ? "passed" : "failed", message: redact(v.message) });
    }
  }
  return results;
}
