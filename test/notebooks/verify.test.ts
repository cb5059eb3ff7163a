/** The notebooks' check helper: what it prints when a value holds, and what it throws when not. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { decimalsOf, verify, verifyTrue, VerifyError } from "../../kernel-lib/src/verify";
import { tensor } from "../../kernel-lib/src/tensor/create";

describe("verify", () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  afterEach(() => log.mockClear());

  it("takes the expected value as written: 0.98 means rounds to 0.98", () => {
    verify("a1", [0.98201379, 0.11920292], [0.98, 0.12]);
    expect(log).toHaveBeenLastCalledWith("✓ a1: [0.9820, 0.1192] ≈ [0.98, 0.12]");
    expect(() => verify("a1", 0.986, 0.98)).toThrow(VerifyError);
    expect(() => verify("a1", 0.986, 0.98)).toThrow(/verify "a1" failed: got 0\.9860, expected 0\.98, tolerance 2 decimals/);
  });

  it("accepts tensors and nested arrays, and checks the shape", () => {
    verify(
      "W",
      tensor([
        [1, 2],
        [3, 4],
      ]),
      [
        [1, 2],
        [3, 4],
      ],
    );
    expect(log.mock.calls[0]![0]).toBe("✓ W: [[1, 2], [3, 4]] ≈ [[1, 2], [3, 4]]");
    expect(() =>
      verify("W", tensor([1, 2, 3, 4]), [
        [1, 2],
        [3, 4],
      ]),
    ).toThrow(/shape \[4\] but expected has shape \[2, 2\]/);
  });

  it("uses atol / rtol like numpy's isclose and names the worst element", () => {
    verify("x", [0.0071881, 0.0025534], [0.007188, 0.002553], { atol: 1e-6 });
    expect(log.mock.calls[0]![0]).toContain("(atol 0.000001)");
    expect(() => verify("x", [0.0071881, 0.00256], [0.007188, 0.002553], { atol: 1e-6 })).toThrow(/element 1: 0\.00256 vs 0\.002553/);
    verify("big", 1001, 1000, { rtol: 0.01 });
    expect(() => verify("big", 1020, 1000, { rtol: 0.01 })).toThrow(VerifyError);
  });

  it("refuses NaN and non-numbers with a message naming the label", () => {
    expect(() => verify("loss", NaN, 0.5)).toThrow(/"loss" failed: got NaN/);
    expect(() => verify("loss", "0.5" as unknown as number, 0.5)).toThrow(/"loss": the actual value is string/);
  });

  it("counts decimals of the written value", () => {
    expect([decimalsOf(0.98), decimalsOf(95), decimalsOf(1e-7), decimalsOf(2.5e-3), decimalsOf(-0.007188)]).toEqual([2, 0, 7, 4, 6]);
  });

  it("verifyTrue prints the detail or throws with it", () => {
    verifyTrue("gap closes", true, "test 0.1 < 1.0");
    expect(log).toHaveBeenLastCalledWith("✓ gap closes (test 0.1 < 1.0)");
    expect(() => verifyTrue("gap closes", false, "test 2.0 ≥ 1.0")).toThrow(/"gap closes" failed: test 2\.0 ≥ 1\.0/);
  });
});

describe("verify on long vectors", () => {
  it("prints the size and the largest deviation instead of every value", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const xs = Array.from({ length: 100 }, (_, i) => i / 7);
    verify(
      "curve",
      xs.map((v) => v + 1e-17),
      xs,
      { atol: 1e-15 },
    );
    expect(log.mock.calls[0]![0]).toMatch(/^✓ curve: 100 values \[100\], max \|actual − expected\| = \d\.\d\de-\d+ \(atol 1e-15\)$/);
    expect(() =>
      verify(
        "curve",
        xs.map((v, i) => (i === 42 ? v + 1 : v)),
        xs,
        { atol: 1e-15 },
      ),
    ).toThrow(/element 42/);
    log.mockRestore();
  });
});
