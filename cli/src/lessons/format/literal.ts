/**
 * The expectations a test cell states as literals (`expectClose("id", 1, f(2), [0.5, 0.25],
 * { atol: 1e-4 })`, `expectThat("id", 1, v, { finite: true })`), read from the source with the
 * TypeScript parser and evaluated here, in the grader, never in a kernel: the grader then judges
 * the reported value against what the instructor wrote, not against what the kernel sends back.
 *
 * A literal is JSON-like data (numbers, strings, booleans, null, arrays, objects) plus number
 * arithmetic (+ − * / **, parentheses), Infinity/NaN and Math constants and functions, so that
 * `1 - 0.01 * 2 / (Math.sqrt(0.04) + 1e-8)` stays readable in a lesson.
 */
import * as ts from "typescript";

export type Literal = { value: unknown } | { error: string };

const MATH_FNS: Record<string, (...x: number[]) => number> = {
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  abs: Math.abs,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  pow: Math.pow,
  log1p: Math.log1p,
  expm1: Math.expm1,
  max: Math.max,
  min: Math.min,
};
const MATH_CONSTS: Record<string, number> = { PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, SQRT2: Math.SQRT2 };

class NotLiteral extends Error {}

function num(x: unknown, node: ts.Node): number {
  if (typeof x !== "number") throw new NotLiteral(`"${node.getText()}" is not a number`);
  return x;
}

function evalNode(node: ts.Expression): unknown {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return evalNode(node.expression);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(node) && (node.text === "Infinity" || node.text === "NaN")) return node.text === "NaN" ? NaN : Infinity;
  if (ts.isPrefixUnaryExpression(node)) {
    const v = num(evalNode(node.operand), node.operand);
    if (node.operator === ts.SyntaxKind.MinusToken) return -v;
    if (node.operator === ts.SyntaxKind.PlusToken) return v;
  }
  if (ts.isBinaryExpression(node)) {
    const a = num(evalNode(node.left), node.left);
    const b = num(evalNode(node.right), node.right);
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
        return a + b;
      case ts.SyntaxKind.MinusToken:
        return a - b;
      case ts.SyntaxKind.AsteriskToken:
        return a * b;
      case ts.SyntaxKind.SlashToken:
        return a / b;
      case ts.SyntaxKind.AsteriskAsteriskToken:
        return a ** b;
    }
  }
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Math" && node.name.text in MATH_CONSTS) {
    return MATH_CONSTS[node.name.text];
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    ts.isIdentifier(node.expression.expression) &&
    node.expression.expression.text === "Math" &&
    Object.hasOwn(MATH_FNS, node.expression.name.text)
  ) {
    return MATH_FNS[node.expression.name.text](...node.arguments.map((a) => num(evalNode(a), a)));
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => evalNode(e));
  if (ts.isObjectLiteralExpression(node)) {
    const o: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
        throw new NotLiteral(`"${p.getText()}" is not a plain property`);
      o[p.name.text] = evalNode(p.initializer);
    }
    return o;
  }
  throw new NotLiteral(`"${node.getText()}" is not a literal`);
}

export function literalOf(node: ts.Expression | undefined): Literal {
  if (node === undefined) return { value: undefined };
  try {
    return { value: evalNode(node) };
  } catch (e) {
    if (e instanceof NotLiteral) return { error: e.message };
    throw e;
  }
}

export interface HelperCall {
  helper: string;
  id: string;
  /** Arguments after id and points. */
  args: ts.Expression[];
}

/** Every call `helper("id", points, …)` of the named helpers in `source`, in source order. */
export function helperCalls(source: string, helpers: ReadonlySet<string>): HelperCall[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const calls: HelperCall[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && helpers.has(n.expression.text)) {
      const first = n.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        calls.push({ helper: n.expression.text, id: first.text, args: n.arguments.slice(2) });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return calls;
}

/**
 * The test source as the grader sends it to a kernel: the expectations of closeness and
 * property cases replaced by `undefined` / `{}`. The grader judges those cases from the literals
 * in the record, so the kernel has no need of them, and code that intercepts the helpers (a
 * swapped module, a wrapped display writer) finds no expected value to copy into its report.
 */
export function blindExpectations(source: string): string {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { from: number; to: number; text: string }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.arguments.length >= 4) {
      const name = n.expression.text;
      const last = n.arguments[n.arguments.length - 1];
      if (name === "expectClose" || name === "expectEqual") edits.push({ from: n.arguments[3].getStart(file), to: last.end, text: "undefined" });
      else if (name === "expectThat") edits.push({ from: n.arguments[3].getStart(file), to: last.end, text: "{}" });
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  let out = source;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
