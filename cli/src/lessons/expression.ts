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
import { type MathNode, derivative, parse, simplify } from "mathjs";

const FUNCTIONS = new Set([
  "exp",
  "log",
  "log1p",
  "sqrt",
  "tanh",
  "sinh",
  "cosh",
  "sech",
  "csch",
  "coth",
  "sin",
  "cos",
  "tan",
  "sec",
  "csc",
  "cot",
  "abs",
  "max",
  "min",
  "pow",
  "sigmoid",
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
    yield lo + (s / 2 ** 32) * (hi - lo);
  }
}

const SCOPE_FUNCTIONS = { sigmoid: (z: number) => 1 / (1 + Math.exp(-z)) };

/**
 * The expected expression's values at the points the numeric check uses (the first 40 of the
 * seeded sequence where it is finite). The release puts these into a public expression case's
 * released test cell, so that `nnlab check` judges the answer at exactly the points the grader
 * will, and the two agree, without the expression itself (the answer) leaving the grader.
 */
export interface ExpressionSamples {
  variables: string[];
  domain: [number, number];
  points: number[][];
  values: number[];
}

function expectedNode(expectedText: string): MathNode {
  // The instructor may state the expectation as a derivative for mathjs to take: "derivative(f, x)".
  const d = /^\s*derivative\((.*),\s*([A-Za-z_]\w*)\s*\)\s*$/.exec(expectedText);
  return d ? derivative(parse(d[1]), d[2]) : parse(expectedText);
}

export function expressionSamples(expectedText: string, variables: string[], domain: [number, number] = [-3, 3]): ExpressionSamples {
  const fe = expectedNode(expectedText).compile();
  const gens = variables.map((_, i) => samples(1234 + 7919 * i, domain[0], domain[1]));
  const points: number[][] = [];
  const values: number[] = [];
  for (let k = 0; k < POINTS * 3 && values.length < POINTS; k++) {
    const at = variables.map((_, i) => gens[i].next().value as number);
    const scope: Record<string, unknown> = { ...SCOPE_FUNCTIONS };
    variables.forEach((v, i) => (scope[v] = at[i]));
    let b: unknown;
    try {
      b = fe.evaluate(scope);
    } catch {
      continue;
    }
    if (typeof b !== "number" || !Number.isFinite(b)) continue;
    points.push(at);
    values.push(b);
  }
  return { variables, domain, points, values };
}

/** Parse and vet a student's answer: the node, or why it is refused. */
function studentNode(studentText: unknown, variables: string[]): MathNode | ExpressionVerdict {
  if (typeof studentText !== "string" || studentText.trim() === "") return { passed: false, message: "no expression given" };
  if (studentText.length > MAX_EXPRESSION_CHARS) return { passed: false, message: `expression longer than ${MAX_EXPRESSION_CHARS} characters` };
  let student: MathNode;
  try {
    student = parse(studentText);
  } catch (e) {
    return { passed: false, message: `could not parse the expression: ${(e as Error).message}` };
  }
  const problem = check(student, new Set(variables));
  if (problem) return { passed: false, message: problem };
  const size = nodeCount(student);
  if (size > MAX_EXPRESSION_NODES) return { passed: false, message: `expression too large (${size} terms; at most ${MAX_EXPRESSION_NODES})` };
  return student;
}

const isVerdict = (x: MathNode | ExpressionVerdict): x is ExpressionVerdict => "passed" in x && "message" in x && !("type" in x);

/** Numeric verdict at the given samples: every point must agree within 1e-9 (absolute + relative). */
function compareAtSamples(student: MathNode, s: ExpressionSamples): ExpressionVerdict {
  if (s.values.length < 10) return { passed: false, message: "could not compare: the expected expression is undefined on the domain" };
  const fs = student.compile();
  for (let k = 0; k < s.values.length; k++) {
    const scope: Record<string, unknown> = { ...SCOPE_FUNCTIONS };
    s.variables.forEach((v, i) => (scope[v] = s.points[k][i]));
    let a: unknown;
    try {
      a = fs.evaluate(scope);
    } catch (e) {
      return { passed: false, message: `could not evaluate the expression: ${(e as Error).message}` };
    }
    const b = s.values[k];
    if (typeof a !== "number" || !(Math.abs(a - b) <= 1e-9 + 1e-9 * Math.abs(b))) {
      const at = s.variables.map((v, i) => `${v} = ${s.points[k][i].toPrecision(4)}`).join(", ");
      return { passed: false, message: `not equivalent: differs at ${at}` };
    }
  }
  const where = s.variables.map((v) => `${v} ∈ [${s.domain[0]}, ${s.domain[1]}]`).join(", ");
  return { passed: true, message: `ok: equal at ${s.values.length} points of ${where}` };
}

/** `nnlab check`'s judgement: the answer against the released samples (no expression available). */
export function matchesSamples(studentText: unknown, s: ExpressionSamples): ExpressionVerdict {
  const student = studentNode(studentText, s.variables);
  return isVerdict(student) ? student : compareAtSamples(student, s);
}

/** The grader's judgement: numerically at the same samples (decisive), and symbolically when small. */
export function expressionsEquivalent(
  studentText: unknown,
  expectedText: string,
  variables: string[],
  domain: [number, number] = [-3, 3],
): ExpressionVerdict {
  const student = studentNode(studentText, variables);
  if (isVerdict(student)) return student;
  const expected = expectedNode(expectedText);
  const numeric = compareAtSamples(student, expressionSamples(expectedText, variables, domain));
  if (!numeric.passed) return numeric;
  let symbolic = false;
  if (nodeCount(student) + nodeCount(expected) <= MAX_SYMBOLIC_NODES) {
    try {
      symbolic = simplify(parse(`(${student.toString()}) - (${expected.toString()})`)).toString() === "0";
    } catch {
      /* the numeric verdict stands */
    }
  }
  return { passed: true, message: `${numeric.message}${symbolic ? " and symbolically" : "; not reduced symbolically"}` };
}
