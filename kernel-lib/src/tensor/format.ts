/**
 * PyTorch-like printing: `tensor([[1.0000, 2.0000], [3.0000, 4.0000]], requires_grad=True)`.
 * Follows torch/_tensor_str.py's choices: 4 decimals; integer-valued data printed as `1.`; scientific
 * notation when the magnitudes span more than 1000× or leave [1e-4, 1e8); more than 1000 elements
 * are summarised with `...` keeping 3 items at each edge. Unlike PyTorch, long rows are not wrapped
 * at 80 columns (a notebook scrolls; wrapped rows are harder to read back). float32 is named since our default dtype
 * is float64 (PyTorch names whichever is not its default).
 */
import type { DType, FloatArray } from "./dtype";

export interface FormatOptions {
  precision?: number;
  /** Summarise above this many elements. */
  threshold?: number;
  edgeItems?: number;
}

export function formatTensor(data: FloatArray, shape: readonly number[], dtype: DType, extras: string[] = [], options: FormatOptions = {}): string {
  const precision = options.precision ?? 4;
  const threshold = options.threshold ?? 1000;
  const edge = options.edgeItems ?? 3;
  const summarise = data.length > threshold;
  const fmt = chooseFormatter(data, precision);
  const prefix = "tensor(";
  let body: string;
  if (shape.length === 0) body = fmt.format(data[0]);
  else if (data.length === 0) body = "[]";
  else body = formatDim(data, shape, 0, 0, fmt, summarise, edge, prefix.length);
  const tail = [...extras];
  if (data.length === 0 && shape.length !== 1) tail.unshift(`size=(${shape.join(", ")})`);
  if (dtype === "float32") tail.push("dtype=float32");
  return `${prefix}${body}${tail.length ? ", " + tail.join(", ") : ""})`;
}

interface Formatter {
  format(x: number): string;
  width: number;
}

function chooseFormatter(data: FloatArray, precision: number): Formatter {
  let intMode = true;
  let minAbs = Infinity;
  let maxAbs = 0;
  let anyFinite = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    anyFinite = true;
    if (v !== Math.trunc(v)) intMode = false;
    const a = Math.abs(v);
    if (a !== 0) {
      if (a < minAbs) minAbs = a;
      if (a > maxAbs) maxAbs = a;
    }
  }
  let format: (x: number) => string;
  if (!anyFinite) format = special;
  else if (intMode) {
    const sci = maxAbs > 1e8 || (minAbs !== Infinity && maxAbs / minAbs > 1000);
    format = (x) => (Number.isFinite(x) ? (sci ? expo(x, precision) : `${x.toFixed(0)}.`) : special(x));
  } else {
    const sci = maxAbs !== 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
    format = (x) => (Number.isFinite(x) ? (sci ? expo(x, precision) : x.toFixed(precision)) : special(x));
  }
  let width = 0;
  for (let i = 0; i < Math.min(data.length, 2000); i++) width = Math.max(width, format(data[i]).length);
  return { format: (x) => format(x).padStart(width), width };
}

function special(x: number): string {
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

function expo(x: number, precision: number): string {
  // PyTorch prints 1.2346e+03 (two-digit exponent).
  const [m, e] = x.toExponential(precision).split("e");
  const sign = e[0] === "-" ? "-" : "+";
  const digits = e.replace(/^[+-]/, "").padStart(2, "0");
  return `${m}e${sign}${digits}`;
}

function formatDim(
  data: FloatArray,
  shape: readonly number[],
  dim: number,
  offset: number,
  fmt: Formatter,
  summarise: boolean,
  edge: number,
  indent: number,
): string {
  const n = shape[dim];
  let stride = 1;
  for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
  const idx: (number | null)[] = [];
  if (summarise && n > 2 * edge) {
    for (let i = 0; i < edge; i++) idx.push(i);
    idx.push(null);
    for (let i = n - edge; i < n; i++) idx.push(i);
  } else for (let i = 0; i < n; i++) idx.push(i);
  if (dim === shape.length - 1) {
    const items = idx.map((i) => (i === null ? " ..." : fmt.format(data[offset + i])));
    return `[${items.join(", ")}]`;
  }
  const rows = idx.map((i) => (i === null ? "..." : formatDim(data, shape, dim + 1, offset + i * stride, fmt, summarise, edge, indent + 1)));
  const sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
  return `[${rows.join(sep)}]`;
}
