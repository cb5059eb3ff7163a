/**
 * Expression answers ("write σ'(z) in terms of z") are graded by equivalence, not by text:
 * first symbolically (mathjs simplify of the difference to 0), then numerically at 40 seeded
 * points of the domain. The student's string is parsed, never evaluated as code: only numbers,
 * the declared variables, e and pi, operators and a short list of functions are accepted.
 */
import { MathNode, derivative, parse, simplify } from "mathjs";

const FUNCTIONS = new Set(["exp", "log", "sqrt", "tanh", "sinh", "cosh", "sin", "cos", "abs", "max", "min", "pow", "sigmoid"]);
const CONSTANTS = new Set(["e", "pi"]);
const POINTS = 40;

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
  if (studentText.length > 2000) return { passed: false, message: "expression longer than 2000 characters" };
  const vars = new Set(variables);
  let student: MathNode;
  try {
    student = parse(studentText);
  } catch (e) {
    return { passed: false, message: `could not parse the expression: ${(e as Error).message}` };
  }
  const problem = check(student, vars);
  if (problem) return { passed: false, message: problem };
  // The instructor may state the expectation as a derivative for mathjs to take: "derivative(f, x)".
  const d = /^\s*derivative\((.*),\s*([A-Za-z_]\w*)\s*\)\s*$/.exec(expectedText);
  const expected = d ? derivative(parse(d[1]), d[2]) : parse(expectedText);
  try {
    const diff = simplify(parse(`(${student.toString()}) - (${expected.toString()})`)).toString();
    if (diff === "0") return { passed: true, message: "ok (symbolically equal)" };
  } catch {
    /* fall through to the numeric check */
  }
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
  return { passed: true, message: `ok (equal at ${compared} points)` };
}
