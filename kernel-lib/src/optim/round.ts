/**
 * Math.fround for float32 parameters, identity for float64: the rounding inside the optimisers'
 * per-weight loops. A branch on a flag fixed for the whole loop, which the JIT inlines and
 * predicts; a call through `rounding(p)` (a function value with two possible targets) is not
 * inlined, and made those loops several times slower (bench/NOTES.md).
 */
export function round(f32: boolean, x: number): number {
  return f32 ? Math.fround(x) : x;
}
