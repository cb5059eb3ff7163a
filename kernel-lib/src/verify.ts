/**
 * Check cells for the chapter notebooks: a reader sees each reproduced number next to the value the
 * article (or PyTorch) gives, and `nnlab run` fails as soon as one drifts.
 *
 *   verify("a¹", a1, [0.98, 0.12]);                 // ✓ a¹: [0.9820, 0.1192] ≈ [0.98, 0.12]
 *   verify("final x", x, [0.007188, 0.002553], { atol: 1e-6 });
 *   verifyTrue("test loss falls with λ = 3", after < before, `${after} < ${before}`);
 *
 * Without a tolerance, the expected value is taken as written: 0.98 means "rounds to 0.98", so the
 * tolerance is half a unit in its last decimal (0.005). `digits` fixes the decimals instead; `atol`
 * and `rtol` give an absolute / relative tolerance as numpy's isclose does (|a − e| ≤ atol + rtol·|e|).
 */

/** Tolerances of {@link verify}. */
export interface VerifyOptions {
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance (of the expected value). */
  rtol?: number;
  /** Decimals the expected value is given to: passes when |a − e| ≤ ½·10^−digits. */
  digits?: number;
}

/** What verify accepts: a number, nested arrays of numbers, a typed array, or a tensor-like `toArray()`. */
export type Verifiable = number | ArrayLike<number> | Verifiable[] | { toArray(): unknown };

/** Thrown when a check does not hold; the message names the label, the values and the tolerance. */
export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyError";
  }
}

function flatten(x: unknown, what: string, label: string): { values: number[]; shape: number[] } {
  if (typeof x === "number") return { values: [x], shape: [] };
  if (typeof x === "object" && x !== null && typeof (x as { toArray?: unknown }).toArray === "function") {
    return flatten((x as { toArray(): unknown }).toArray(), what, label);
  }
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const values = Array.from(x as unknown as ArrayLike<number>);
    return { values, shape: [values.length] };
  }
  if (Array.isArray(x)) {
    if (x.length === 0) return { values: [], shape: [0] };
    const parts = x.map((item) => flatten(item, what, label));
    const inner = parts[0]!.shape;
    for (const p of parts) {
      if (p.shape.join(",") !== inner.join(",")) {
        throw new VerifyError(`verify ${JSON.stringify(label)}: the ${what} value is a ragged array; give a number, an array of numbers or a tensor`);
      }
    }
    return { values: parts.flatMap((p) => p.values), shape: [x.length, ...inner] };
  }
  throw new VerifyError(
    `verify ${JSON.stringify(label)}: the ${what} value is ${x === null ? "null" : typeof x}; give a number, an array of numbers or a tensor`,
  );
}

/** Decimals of a number as written in source (0.98 → 2, 1e-7 → 7, 2.5e-3 → 4), at most 12. */
export function decimalsOf(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const s = String(Math.abs(x));
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) return 12;
  const frac = m[2]?.length ?? 0;
  const exp = m[3] !== undefined ? Number(m[3]) : 0;
  return Math.min(12, Math.max(0, frac - exp));
}

function fmt(x: number, decimals: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 10 ** -Math.min(decimals, 12) / 2)) return x.toExponential(Math.min(6, Math.max(3, decimals)));
  return x.toFixed(Math.min(decimals, 12));
}

function significant(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

function show(values: number[], shape: number[], format: (v: number) => string): string {
  if (shape.length === 0) return format(values[0]!);
  if (shape.length === 1) return `[${values.map(format).join(", ")}]`;
  const inner = shape.slice(1).reduce((p, q) => p * q, 1);
  const rows: string[] = [];
  for (let i = 0; i < shape[0]!; i++) rows.push(show(values.slice(i * inner, (i + 1) * inner), shape.slice(1), format));
  return `[${rows.join(", ")}]`;
}

/**
 * Checks that `actual` equals `expected` within a tolerance and prints one line
 * `✓ label: actual ≈ expected`; otherwise throws a {@link VerifyError} naming the label, both
 * values, the worst element and the tolerance.
 */
export function verify(label: string, actual: Verifiable, expected: Verifiable, options: VerifyOptions = {}): void {
  const a = flatten(actual, "actual", label);
  const e = flatten(expected, "expected", label);
  if (a.values.length !== e.values.length || (e.shape.length > 1 && a.shape.join(",") !== e.shape.join(","))) {
    throw new VerifyError(
      `verify ${JSON.stringify(label)}: actual has shape [${a.shape.join(", ")}] but expected has shape [${e.shape.join(", ")}]; compare values of the same shape`,
    );
  }
  const explicit = options.atol !== undefined || options.rtol !== undefined;
  const digits = options.digits ?? (explicit ? undefined : Math.max(...e.values.map(decimalsOf), 0));
  const tolOf = (ev: number): number => {
    if (explicit) return (options.atol ?? 0) + (options.rtol ?? 0) * Math.abs(ev);
    // A hair above ½ ulp of the last decimal so that a value printed as exactly x.xx5 is not refused by float noise.
    return 0.5 * 10 ** -digits! * (1 + 1e-9) + 1e-15 * Math.abs(ev);
  };
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.values.length; i++) {
    const av = a.values[i]!;
    const ev = e.values[i]!;
    const diff = Math.abs(av - ev);
    const ok = Number.isFinite(av) ? diff <= tolOf(ev) : av === ev;
    if (!ok) {
      const excess = Number.isFinite(diff) ? diff - tolOf(ev) : Infinity;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  const shape = a.shape.length > 0 ? a.shape : e.shape;
  // Rounded to the decimals checked (plus two, to show how close), or, with an explicit tolerance,
  // to 6 significant digits on both sides; a failure message below adds the exact values.
  const actualText =
    digits !== undefined
      ? show(a.values, shape, (v) => (digits === 0 && Number.isInteger(v) ? String(v) : fmt(v, Math.min(12, digits + 2))))
      : show(a.values, shape, significant);
  // Without a tolerance the expected value is shown as written: 0.98 stays 0.98.
  const expectedText = show(e.values, e.shape, digits !== undefined ? (v) => String(v) : significant);
  if (worst >= 0) {
    const where = e.values.length > 1 ? ` (element ${worst}: ${a.values[worst]} vs ${e.values[worst]})` : "";
    const tol = explicit
      ? `atol ${options.atol ?? 0}, rtol ${options.rtol ?? 0}`
      : `${digits} decimal${digits === 1 ? "" : "s"}, i.e. ±${0.5 * 10 ** -digits!}`;
    const long = e.values.length > 8;
    throw new VerifyError(
      `verify ${JSON.stringify(label)} failed: got ${long ? `${e.values.length} values` : actualText}, expected ${long ? "others" : expectedText}${where}, tolerance ${tol}. ` +
        "The reproduced value no longer matches the reference: check what changed in the code above (seed, data, settings).",
    );
  }
  if (e.values.length > 8) {
    // A long vector (a whole curve) reads better as its size and worst deviation.
    let maxDiff = 0;
    for (let i = 0; i < e.values.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.values[i]! - e.values[i]!));
    const tol = explicit ? `atol ${options.atol ?? 0}${options.rtol ? `, rtol ${options.rtol}` : ""}` : `${digits} decimals`;
    console.log(`✓ ${label}: ${e.values.length} values [${shape.join(", ")}], max |actual − expected| = ${maxDiff.toExponential(2)} (${tol})`);
    return;
  }
  const tolNote = explicit ? ` (atol ${options.atol ?? 0}${options.rtol ? `, rtol ${options.rtol}` : ""})` : "";
  console.log(`✓ ${label}: ${actualText} ≈ ${expectedText}${tolNote}`);
}

/**
 * Checks a condition (a comparison the article states in words, e.g. "the test loss is far above the
 * training loss") and prints `✓ label (detail)`; throws a {@link VerifyError} with the detail otherwise.
 */
export function verifyTrue(label: string, condition: boolean, detail: string = ""): void {
  if (!condition) {
    throw new VerifyError(
      `verify ${JSON.stringify(label)} failed${detail ? `: ${detail}` : ""}. The behaviour the text describes did not happen: check the settings above.`,
    );
  }
  console.log(`✓ ${label}${detail ? ` (${detail})` : ""}`);
}
