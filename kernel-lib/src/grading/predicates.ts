/**
 * Properties a reported value must have ("stays finite", "has shape [3, 2]", "lies in [0, 1]"),
 * stated as data so that the grader can evaluate them itself on the value the kernel reported:
 * the kernel's own verdict is only the student's preview. The same function runs in the kernel
 * (`expectThat`) and in the grader (every property case, and `predicates` in expected.json).
 *
 * Vocabulary (all optional, all must hold; numbers are the value's flattened numeric data):
 * - `finite: true`            every number is finite (no NaN, no ±Infinity)
 * - `shape: [d0, d1, …]`      exactly this shape (`[]` for a single number)
 * - `range: [lo, hi]`         every number within lo ≤ x ≤ hi
 * - `greaterThan: a`          every number > a;    `lessThan: b`   every number < b
 * - `integer: true`           every number is an integer
 * - `monotone: "increasing" | "decreasing" | "nondecreasing" | "nonincreasing"`  along the flat data
 * - `sum: s`                  the numbers add up to s (|Σ − s| ≤ 1e-7 + 1e-7·|s|)
 */
import { abs, isArray, isFiniteNumber, objectKeys, stringify } from "./intrinsics";
import type { Comparison } from "./compare";
import { decodeNumber, isNumericValue, type Reported, toReported } from "./value";

export type Monotone = "increasing" | "decreasing" | "nondecreasing" | "nonincreasing";

export interface Predicates {
  finite?: boolean;
  shape?: number[];
  range?: [number, number];
  greaterThan?: number;
  lessThan?: number;
  integer?: boolean;
  monotone?: Monotone;
  sum?: number;
}

const KEYS: readonly string[] = ["finite", "shape", "range", "greaterThan", "lessThan", "integer", "monotone", "sum"];
const MONOTONE: readonly string[] = ["increasing", "decreasing", "nondecreasing", "nonincreasing"];

const isNum = (x: unknown): x is number => typeof x === "number";

/** Problems with a predicate object itself (unknown key, wrong type); empty when it is usable. */
export function predicateProblems(p: unknown): string[] {
  if (typeof p !== "object" || p === null || isArray(p)) return ["predicates must be an object such as { finite: true, shape: [2] }"];
  const o = p as Record<string, unknown>;
  const out: string[] = [];
  const keys = objectKeys(o);
  if (keys.length === 0) out.push("no predicate given");
  for (const k of keys) {
    const v = o[k];
    if (!KEYS.includes(k)) out.push(`unknown predicate "${k}" (known: ${KEYS.join(", ")})`);
    else if ((k === "finite" || k === "integer") && v !== true) out.push(`${k} must be true`);
    else if (k === "shape" && !(isArray(v) && v.every((d) => isNum(d) && d >= 0 && d % 1 === 0)))
      out.push("shape must be a list of sizes, e.g. [3, 2]");
    else if (k === "range" && !(isArray(v) && v.length === 2 && v.every(isNum) && (v[0] as number) <= (v[1] as number)))
      out.push("range must be [lo, hi] with lo ≤ hi");
    else if ((k === "greaterThan" || k === "lessThan" || k === "sum") && !isNum(v)) out.push(`${k} must be a number`);
    else if (k === "monotone" && !MONOTONE.includes(v as string)) out.push(`monotone must be one of ${MONOTONE.join(", ")}`);
  }
  return out;
}

function shapeText(s: number[]): string {
  return `[${s.join(", ")}]`;
}

/** Evaluate `p` on a value (raw, or already in wire form); the message names the first property that fails. */
export function checkPredicates(value: unknown, p: Predicates): Comparison {
  const bad = predicateProblems(p);
  if (bad.length > 0) return { passed: false, message: `invalid predicates: ${bad.join("; ")}` };
  const v: Reported = isNumericValue(value) ? value : toReported(value);
  if (!isNumericValue(v)) {
    const kind = v === null ? "nothing" : typeof v === "object" ? "a non-numeric value" : `a ${typeof v}`;
    return { passed: false, message: `expected numbers, got ${kind}` };
  }
  const xs = v.data.map(decodeNumber);
  if (p.shape !== undefined && (p.shape.length !== v.shape.length || p.shape.some((d, i) => d !== v.shape[i]))) {
    return { passed: false, message: `shape ${shapeText(v.shape)}, expected ${shapeText(p.shape)}` };
  }
  const first = (pred: (x: number) => boolean): number => {
    for (let i = 0; i < xs.length; i++) if (!pred(xs[i])) return i;
    return -1;
  };
  const at = (i: number, what: string): Comparison => ({ passed: false, message: `value ${i} of ${xs.length} is ${stringify(v.data[i])}: ${what}` });
  let i: number;
  if (p.finite && (i = first((x) => isFiniteNumber(x))) >= 0) return at(i, "not finite");
  if (p.integer && (i = first((x) => isFiniteNumber(x) && x % 1 === 0)) >= 0) return at(i, "not an integer");
  if (p.range && (i = first((x) => x >= p.range![0] && x <= p.range![1])) >= 0) return at(i, `outside [${p.range[0]}, ${p.range[1]}]`);
  if (p.greaterThan !== undefined && (i = first((x) => x > p.greaterThan!)) >= 0) return at(i, `not greater than ${p.greaterThan}`);
  if (p.lessThan !== undefined && (i = first((x) => x < p.lessThan!)) >= 0) return at(i, `not less than ${p.lessThan}`);
  if (p.monotone) {
    const ok = (a: number, b: number): boolean =>
      p.monotone === "increasing" ? b > a : p.monotone === "decreasing" ? b < a : p.monotone === "nondecreasing" ? b >= a : b <= a;
    for (let k = 1; k < xs.length; k++) if (!ok(xs[k - 1], xs[k])) return at(k, `breaks the ${p.monotone} order`);
  }
  if (p.sum !== undefined) {
    let s = 0;
    for (const x of xs) s += x;
    if (!(abs(s - p.sum) <= 1e-7 + 1e-7 * abs(p.sum))) return { passed: false, message: `the values add up to ${s}, expected ${p.sum}` };
  }
  return { passed: true, message: "ok" };
}
