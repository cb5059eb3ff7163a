import { describe, expect, it } from "vitest";
import { Windows } from "../../kernel-lib/src/kernels/wasm-memory";

describe("Windows: kept views of a kernel's memory", () => {
  it("gives the same elements as subarray, the same view object again, and the base itself for the whole", () => {
    const base = Float32Array.from({ length: 64 }, (_, i) => i);
    const w = new Windows(base);
    const v = w.get(8, 5);
    expect(Array.from(v)).toEqual([8, 9, 10, 11, 12]);
    expect(v.buffer).toBe(base.buffer);
    expect(w.get(8, 5)).toBe(v);
    expect(w.get(8, 6)).not.toBe(v);
    expect(Array.from(w.get(0, 3))).toEqual([0, 1, 2]);
    expect(w.get(0, 64)).toBe(base);
    base[9] = -1;
    expect(v[1]).toBe(-1); // a view, not a copy
  });

  it("keeps a bounded number of views and still answers correctly past the bound", () => {
    const base = new Float64Array(1000).map((_, i) => i * 0.5);
    const w = new Windows(base);
    for (let n = 1; n <= 200; n++) {
      const v = w.get(n, n);
      expect(v.length).toBe(n);
      expect(v[0]).toBe(n * 0.5);
      expect(v[n - 1]).toBe((2 * n - 1) * 0.5);
    }
    expect((w as unknown as { kept: Map<number, unknown> }).kept.size).toBeLessThanOrEqual(64);
  });
});
