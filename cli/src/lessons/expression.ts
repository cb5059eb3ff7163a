/**
 * Expression answers ("write σ'(z) in terms of z") are graded by equivalence, not by text:
 * numerically at 40 seeded points of the stated domain (decisive: every point must agree) and
 * symbolically (mathjs simplify of the difference to 0, tried only on small expressions, and
 * reported). The student's string is parsed, never evaluated as code: only numbers, the declared
 * variables, e and pi, operators and a short list of functions are accepted.
 *
 * This module is the pure judgement; it runs in a worker thread with a time and memory budget
 * (expression-judge.ts), never on the grader's main thread, because mathjs can take minutes on
 * a hostile string.
 */
import { MathNode, derivative, parse, simplify } from "mathjs";

const FUNCTIONS = new Set([
  "exp", "log", "log1p", "sqrt", "tanh", "sinh", "cosh", "sech", "csch", "coth", "sin", "cos", "tan", "sec", "csc", "cot",
  "abs", "max", "min", "pow", "sigmoid",
]);
const CONSTANTS = new Set(["e", "pi"]);
const POINTS = 40;
/** Size budget: longer or larger answers are refused before any algebra runs. */
export const MAX_EXPRESSION_CHARS = 1000;
export const MAX_EXPRESSION_NODES = 200;
/** simplify() is tried only when both sides together are this small (its cost grows fast). */
const MAX_SYMBOLIC_NODES = 60;

function nodeCount(n: MathNode): number {
  let k = 0;
  n.traverse(() => void k++);
  return k;
}

export interface ExpressionVerdict {
  passed: boolean;
  message: string;
}

function check(node: MathNode, variables: Set<string>): string | undefined {
  let problem: string | undefined;
  node.traverse((n, _path, parent) => {
    if (problem) return;
    switch (n.type) {
      case "ConstantNode":
      case "OperatorNode":
      case "ParenthesisNode":
        return;
      case "SymbolNode": {
        const name = (n as unknown as { name: string }).name;
        const isFnName = parent?.type === "FunctionNode" && (parent as unknown as { fn: MathNode }).fn === n;
        if (isFnName ? !FUNCTIONS.has(name) : !variables.has(name) && !CONSTANTS.has(name)) {
          problem = isFnName ? `unknown function "${name}"` : `unknown symbol "${name}" (use ${[...variables].join(", ")})`;
        }
        return;
      }
      case "FunctionNode":
        return;
      default:
        problem = `"${n.toString()}" is not allowed in an expression answer`;
    }
  });
  return problem;
}

/** Deterministic points: a small LCG, so grading twice gives the same verdict. */
function* samples(seed: number, lo: number, hi: number): Generator<number> {
  let s = seed >>> 0;
  for (;;) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    yield lo + ((s / 2 ** 32) * (hi - lo));
  }
}

const SCOPE_FUNCTIONS = { sigmoid: (z: number) => 1 / (1 + Math.exp(-z)) };

export function expressionsEquivalent(
  studentText: unknown,
  expectedText: string,
  variables: string[],
  domain: [number, number] = [-3, 3],
): ExpressionVerdict {
  if (typeof studentText !== "string" || studentText.trim() === "") return { passed: false, message: "no expression given" };
  if (studentText.length > MAX_EXPRESSION_CHARS) return { passed: false, message: `expression longer than ${MAX_EXPRESSION_CHARS} characters` };
  const vars = new Set(variables);
  let student: MathNode;
  try {
    student = parse(studentText);
  } catch (e) {
    return { passed: false, message: `could not parse the expression: ${(e as Error).message}` };
  }
  const problem = check(student, vars);
  if (problem) return { passed: false, message: problem };
  const size = nodeCount(student);
  if (size > MAX_EXPRESSION_NODES) return { passed: false, message: `expression too large (${size} terms; at most ${MAX_EXPRESSION_NODES})` };
  // The instructor may state the expectation as a derivative for mathjs to take: "derivative(f, x)".
  const d = /^\s*derivative\((.*),\s*([A-Za-z_]\w*)\s*\)\s*$/.exec(expectedText);
  const expected = d ? derivative(parse(d[1]), d[2]) : parse(expectedText);
  const numeric = sampleCompare(student, expected, variables, domain);
  if (!numeric.passed) return numeric;
  let symbolic = false;
  if (size + nodeCount(expected) <= MAX_SYMBOLIC_NODES) {
    try {
      symbolic = simplify(parse(`(${student.toString()}) - (${expected.toString()})`)).toString() === "0";
    } catch {
      /* the numeric verdict stands */
    }
  }
  return { passed: true, message: `${numeric.message}${symbolic ? " and symbolically" : "; not reduced symbolically"}` };
}

function sampleCompare(student: MathNode, expected: MathNode, variables: string[], domain: [number, number]): ExpressionVerdict {
  const fs = student.compile();
  const fe = expected.compile();
  const gens = variables.map((_, i) => samples(1234 + 7919 * i, domain[0], domain[1]));
  let compared = 0;
  for (let k = 0; k < POINTS * 3 && compared < POINTS; k++) {
    const scope: Record<string, unknown> = { ...SCOPE_FUNCTIONS };
    variables.forEach((v, i) => (scope[v] = gens[i].next().value));
    let a: unknown;
    let b: unknown;
    try {
      b = fe.evaluate(scope);
      a = fs.evaluate(scope);
    } catch (e) {
      return { passed: false, message: `could not evaluate the expression: ${(e as Error).message}` };
    }
    if (typeof b !== "number" || !Number.isFinite(b)) continue;
    if (typeof a !== "number" || !(Math.abs(a - b) <= 1e-9 + 1e-9 * Math.abs(b))) {
      const at = variables.map((v) => `${v} = ${(scope[v] as number).toPrecision(4)}`).join(", ");
      return { passed: false, message: `not equivalent: differs at ${at}` };
    }
    compared++;
  }
  if (compared < 10) return { passed: false, message: "could not compare: the expected expression is undefined on the domain" };
  const where = variables.map((v) => `${v} ∈ [${domain[0]}, ${domain[1]}]`).join(", ");
  return { passed: true, message: `ok: equal at ${compared} points of ${where}` };
}
