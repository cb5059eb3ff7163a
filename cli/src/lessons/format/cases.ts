/**
 * The test cases a grade cell declares. Test cells call nnlab/grading helpers with a literal id
 * and points (`check("q1_zero", 1, …)`), so the grader knows every case before running anything
 * and can score a missing record as 0 (fail-closed) instead of trusting what the kernel sends.
 */
import { findRegions, BEGIN_HIDDEN, END_HIDDEN } from "./delimiters";

export type CaseKind = "check" | "close" | "value" | "expression";

export interface CaseSpec {
  id: string;
  points: number;
  kind: CaseKind;
  /** Declared inside a hidden-test region: its source never reaches a student. */
  hidden: boolean;
}

const HELPERS: Record<string, CaseKind> = {
  check: "check",
  expectClose: "close",
  expectEqual: "close",
  reportValue: "value",
  reportExpression: "expression",
};
const CALL = /\b(check|expectClose|expectEqual|reportValue|reportExpression)\s*\(\s*(["'])([A-Za-z0-9_.\-]+)\2\s*,\s*([0-9]+(?:\.[0-9]+)?)/g;

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
  return cases;
}
