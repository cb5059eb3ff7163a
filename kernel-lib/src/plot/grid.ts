import { linspace } from "./values";

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
