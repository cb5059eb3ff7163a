/**
 * Closeness with PyTorch's float64 defaults (torch.testing.assert_close: rtol 1e-7, atol 1e-7):
 * |actual − expected| ≤ atol + rtol·|expected|, NaN equal to NaN, shapes compared first. The
 * same function runs in the kernel (public cases) and in the grader process (hidden cases).
 */
import { abs, isArray, objectKeys, stringify } from "./intrinsics";
import { type NumericValue, type Reported, decodeNumber, isNumericValue, toReported } from "./value";

export interface Tolerance {
  rtol?: number | undefined;
  atol?: number | undefined;
}
export interface Comparison {
  passed: boolean;
  message: string;
}

export const DEFAULT_RTOL: number = 1e-7;
export const DEFAULT_ATOL: number = 1e-7;

function shapeText(shape: number[]): string {
  return `[${shape.join(", ")}]`;
}

function indexText(flat: number, shape: number[]): string {
  if (shape.length === 0) return "";
  const idx: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return ` at index ${shapeText(idx)}`;
}

function compareNumeric(a: NumericValue, e: NumericValue, tol: Tolerance, reveal: boolean): Comparison {
  if (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape[i])) {
    return { passed: false, message: `shape mismatch: got ${shapeText(a.shape)}, expected ${shapeText(e.shape)}` };
  }
  const rtol = tol.rtol ?? DEFAULT_RTOL;
  const atol = tol.atol ?? DEFAULT_ATOL;
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  for (let i = 0; i < e.data.length; i++) {
    const x = decodeNumber(a.data[i]);
    const y = decodeNumber(e.data[i]);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue; // equal infinities
    const diff = abs(x - y);
    const allowed = atol + rtol * abs(y);
    // An infinity equals only itself (rtol·∞ would otherwise accept anything).
    if (!(diff <= allowed) || y === Infinity || y === -Infinity) {
      bad++;
      const excess = Number.isNaN(diff) ? Infinity : diff - allowed;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (bad === 0) return { passed: true, message: "ok" };
  const x = decodeNumber(a.data[worst]);
  const y = decodeNumber(e.data[worst]);
  const where = indexText(worst, e.shape);
  const count = e.data.length > 1 ? `${bad} of ${e.data.length} values differ; ` : "";
  // Hidden cases: neither the expected value nor the difference (got ± |Δ| would give it back).
  const detail = reveal
    ? `got ${x}, expected ${y} (|Δ| = ${abs(x - y)}, rtol ${rtol}, atol ${atol})`
    : `got ${x}, outside rtol ${rtol}, atol ${atol}`;
  return { passed: false, message: `${count}largest difference${where}: ${detail}` };
}

/**
 * Compare two values; `reveal: false` keeps the expected value out of the message (hidden cases).
 */
export function compareValues(actual: unknown, expected: unknown, tol: Tolerance = {}, reveal: boolean = true): Comparison {
  const a: Reported = isReported(actual) ? actual : toReported(actual);
  const e: Reported = isReported(expected) ? expected : toReported(expected);
  if (isNumericValue(a) && isNumericValue(e)) return compareNumeric(a, e, tol, reveal);
  if (isNumericValue(e) && !isNumericValue(a)) {
    return { passed: false, message: `expected numbers of shape ${shapeText(e.shape)}, got ${describe(a)}` };
  }
  if (isJson(a) && isJson(e)) {
    const where = deepMismatch(a.json, e.json, tol, "value");
    if (where === undefined) return { passed: true, message: "ok" };
    return { passed: false, message: reveal ? `${where} (got ${stringify(a.json)}, expected ${stringify(e.json)})` : where };
  }
  const sa = stringify(a);
  const se = stringify(e);
  if (sa === se) return { passed: true, message: "ok" };
  return { passed: false, message: reveal ? `got ${sa}, expected ${se}` : `got ${sa}` };
}

function isJson(x: unknown): x is { json: unknown } {
  return typeof x === "object" && x !== null && !isArray(x) && objectKeys(x).length === 1 && objectKeys(x)[0] === "json";
}

/** Already in wire form (a value that travelled from the kernel): do not encode again. */
function isReported(x: unknown): x is Reported {
  return isNumericValue(x) || isJson(x);
}

/** Structural comparison of plain data, numbers within tolerance; the path of the first difference. */
function deepMismatch(a: unknown, e: unknown, tol: Tolerance, path: string): string | undefined {
  if (typeof e === "number" || typeof a === "number") {
    if (typeof a !== "number" || typeof e !== "number") return `${path}: expected a number, got ${a === null ? "null" : typeof a}`;
    const r = compareValues(a, e, tol, false);
    return r.passed ? undefined : `${path}: ${r.message}`;
  }
  if (isArray(e)) {
    if (!isArray(a)) return `${path}: expected a list, got ${typeof a}`;
    if (a.length !== e.length) return `${path}: expected ${e.length} items, got ${a.length}`;
    for (let i = 0; i < e.length; i++) {
      const m = deepMismatch(a[i], e[i], tol, `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (typeof e === "object" && e !== null) {
    if (typeof a !== "object" || a === null || isArray(a)) return `${path}: expected an object`;
    const ka = objectKeys(a).sort();
    const ke = objectKeys(e).sort();
    if (stringify(ka) !== stringify(ke)) return `${path}: expected keys ${ke.join(", ")}, got ${ka.join(", ")}`;
    for (const k of ke) {
      const m = deepMismatch((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], tol, `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return a === e ? undefined : `${path}: got ${stringify(a)}`;
}

function describe(x: Reported): string {
  if (x === null) return "nothing (null/undefined)";
  if (typeof x === "object" && !isArray(x) && "json" in x) return `a ${typeof x.json === "object" ? "non-numeric object" : typeof x.json}`;
  return typeof x;
}
