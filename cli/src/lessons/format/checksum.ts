/**
 * nbgrader's cell checksum (utils.compute_checksum): MD5 over source, cell type, the three
 * flags as Python bools, the grade id and, for graded cells, Python's str(float(points)).
 * A change detector, not a signature.
 */
import { createHash } from "node:crypto";
import { type Cell, sourceOf } from "./notebook";
import { gradeId, isGrade, isLocked, isSolution } from "./nbgrader-meta";

/**
 * Python's repr of a float (str(float(x)) in Python 3): the shortest round-trip digits, like
 * JS, but ".0" on integers and exponent notation below 1e-4 and from 1e16 ("1e-05", "1e+16").
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant, expText] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac === "" ? "0" : frac}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${sign}${m}e${e}`;
}

function pythonBool(b: boolean): string {
  return b ? "True" : "False";
}

export function computeChecksum(cell: Cell): string {
  const h = createHash("md5");
  h.update(sourceOf(cell), "utf8");
  h.update(cell.cell_type, "utf8");
  h.update(pythonBool(isGrade(cell)));
  h.update(pythonBool(isSolution(cell)));
  h.update(pythonBool(isLocked(cell)));
  h.update(gradeId(cell) ?? "", "utf8");
  if (isGrade(cell)) h.update(pythonFloat(Number(cell.metadata.nbgrader?.points)));
  return h.digest("hex");
}
