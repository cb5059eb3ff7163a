/**
 * The test cases a grade cell declares. Test cells call nnlab/grading helpers with a literal id
 * and points (`check("q1_zero", 1, …)`), so the grader knows every case before running anything
 * and can score a missing record as 0 (fail-closed) instead of trusting what the kernel sends.
 */
import { predicateProblems, type Predicates, type Reported, toReported } from "nnlab/grading";
import { BEGIN_HIDDEN, END_HIDDEN } from "./delimiters";
import { findRegions } from "./regions";
import { helperCalls, literalOf } from "./literal";

export type CaseKind = "check" | "close" | "value" | "expression" | "property";

export interface CaseSpec {
  id: string;
  points: number;
  kind: CaseKind;
  /** Declared inside a hidden-test region: its source never reaches a student. */
  hidden: boolean;
  /** close: the expected value as written in the test source (wire form), judged in the grader. */
  expected?: Reported;
  rtol?: number;
  atol?: number;
  /** property: the predicates as written in the test source. */
  predicates?: Predicates;
  /** Why the grader cannot judge this case from the source (the release refuses it). */
  problem?: string;
}

const HELPERS: Record<string, CaseKind> = {
  check: "check",
  expectClose: "close",
  expectEqual: "close",
  expectThat: "property",
  reportValue: "value",
  reportExpression: "expression",
};
const CALL =
  /\b(check|expectClose|expectEqual|expectThat|reportValue|reportExpression)\s*\(\s*(["'])([A-Za-z0-9_.-]+)\2\s*,\s*([0-9]+(?:\.[0-9]+)?)/g;

export function extractCases(source: string, where: string): CaseSpec[] {
  const hiddenLines = new Set<number>();
  for (const r of findRegions(source, BEGIN_HIDDEN, END_HIDDEN, where)) {
    for (let i = r.begin; i <= r.end; i++) hiddenLines.add(i);
  }
  const lineStarts: number[] = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    while (lo + 1 < lineStarts.length && lineStarts[lo + 1] <= offset) lo++;
    return lo;
  };
  const cases: CaseSpec[] = [];
  for (const m of source.matchAll(CALL)) {
    const line = lineOf(m.index!);
    const lineText = source.slice(lineStarts[line], m.index!);
    if (lineText.trimStart().startsWith("//")) continue;
    cases.push({ id: m[3], kind: HELPERS[m[1]], points: Number(m[4]), hidden: hiddenLines.has(line) });
  }
  addLiterals(source, cases);
  return cases;
}

function numberOr(x: unknown): number | undefined {
  return typeof x === "number" ? x : undefined;
}

/** Attach the literal expectation of every close and property case (or the reason there is none). */
function addLiterals(source: string, cases: CaseSpec[]): void {
  const judged = cases.filter((c) => c.kind === "close" || c.kind === "property");
  if (judged.length === 0) return;
  const calls = helperCalls(source, new Set(["expectClose", "expectEqual", "expectThat"]));
  for (const c of judged) {
    const mine = calls.filter((k) => k.id === c.id);
    if (mine.length !== 1) {
      c.problem = `"${c.id}" is declared by ${mine.length} calls; give each call its own id`;
      continue;
    }
    const [call] = mine;
    if (call.helper === "expectThat") {
      const p = literalOf(call.args[1]);
      if ("error" in p) c.problem = `the predicates of "${c.id}" must be a literal object: ${p.error}`;
      else if (predicateProblems(p.value).length > 0) c.problem = `"${c.id}": ${predicateProblems(p.value).join("; ")}`;
      else c.predicates = p.value as Predicates;
      continue;
    }
    const e = literalOf(call.args[1]);
    if ("error" in e || e.value === undefined) {
      c.problem = `the expected value of "${c.id}" must be a literal (numbers, arrays, objects, arithmetic, Math.*) so that the grader can judge it without trusting the kernel: ${"error" in e ? e.error : "missing"}; paste the value, or use reportValue with expected.json`;
      continue;
    }
    c.expected = toReported(e.value);
    if (call.helper === "expectEqual") {
      c.rtol = 0;
      c.atol = 0;
      continue;
    }
    const tol = literalOf(call.args[2]);
    if ("error" in tol) {
      c.problem = `the tolerances of "${c.id}" must be a literal such as { atol: 1e-4 }: ${tol.error}`;
      continue;
    }
    const t = (tol.value ?? {}) as { rtol?: unknown; atol?: unknown };
    if (numberOr(t.rtol) !== undefined) c.rtol = t.rtol as number;
    if (numberOr(t.atol) !== undefined) c.atol = t.atol as number;
  }
}
