import { linspace } from "./values";

/** Significant digits of a sampled grid value: shading and contour lines cannot show more. */
const gridDigits = 4;

/**
 * A grid's values with {@link gridDigits} significant digits, for a figure: a grid is thousands
 * of numbers that a notebook stores one per line, and shading and contours cannot show more.
 */
export function roundGrid(z: number[][]): number[][] {
  return z.map((row) => row.map((v) => (Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(gridDigits)) : v)));
}

/** `f` sampled on a `steps × steps` grid: `z[j][i] = f(x[i], y[j])` (plotly's row = y convention). */
export function sampleGrid(
  f: (x: number, y: number) => number,
  xRange: [number, number],
  yRange: [number, number],
  steps: number,
  what: string,
): { x: number[]; y: number[]; z: number[][] } {
  const x = linspace(xRange[0], xRange[1], steps);
  const y = linspace(yRange[0], yRange[1], steps);
  const z = y.map((yj) =>
    x.map((xi) => {
      const v = f(xi, yj);
      if (typeof v !== "number") {
        throw new Error(`${what}: the function returned ${typeof v} at (${xi}, ${yj}); it must return a number`);
      }
      return v;
    }),
  );
  return { x, y, z };
}
