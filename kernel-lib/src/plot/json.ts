/** Significant digits a figure keeps: beyond what a screen shows, a sixth of a float64's text. */
export const FIGURE_DIGITS = 7;

/**
 * A JSON-safe deep copy for plotly: typed arrays and tensors become plain arrays (plotly.js and
 * the Jupyter mime renderer read JSON, where a Float64Array would serialise as {"0":…}), and
 * NaN/±Infinity become null, which plotly draws as a gap. Numbers keep {@link FIGURE_DIGITS}
 * significant digits: a float64 as text is 17-19 characters, and a contour grid of them made a
 * notebook megabytes larger (`0.30000000000000004` → `0.3`).
 */
export function toPlotlyJSON(value: unknown): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    return Number.isInteger(value) ? value : Number(value.toPrecision(FIGURE_DIGITS));
  }
  if (typeof value === "bigint") return Number(value);
  if (value === null || typeof value !== "object") return value;
  if (ArrayBuffer.isView(value)) {
    const arr = value as unknown as ArrayLike<number>;
    const out: unknown[] = new Array(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = toPlotlyJSON(arr[i]);
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlotlyJSON);
  if (value instanceof Date) return value.toISOString();
  const toArray = (value as { toArray?: unknown }).toArray;
  if (typeof toArray === "function") return toPlotlyJSON(toArray.call(value));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && typeof v !== "function") out[k] = toPlotlyJSON(v);
  }
  return out;
}
