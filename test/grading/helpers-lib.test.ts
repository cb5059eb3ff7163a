import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  check,
  compareValues,
  expectClose,
  expectEqual,
  expectThat,
  onRecord,
  reportExpression,
  reportValue,
  type TestRecord,
  toReported,
} from "../../kernel-lib/src/grading";

let records: TestRecord[] = [];
let off: () => void = () => undefined;
beforeEach(() => {
  records = [];
  off = onRecord((r) => records.push(r));
});
afterEach(() => off());

describe("nnlab/grading helpers", () => {
  it("check records pass, failure, and a throwing condition with its error", () => {
    check("a", 1, true);
    check("b", 2, () => false, "b is false");
    check(
      "c",
      1,
      () => {
        throw new TypeError("boom");
      },
      "c threw",
    );
    expect(records.map((r) => [r.id, r.points, r.passed])).toEqual([
      ["a", 1, true],
      ["b", 2, false],
      ["c", 1, false],
    ]);
    expect(records[1].message).toBe("b is false");
    expect(records[2].message).toBe("c threw (TypeError: boom)");
  });

  it("expectThat previews the predicates in the kernel and sends the value (wire form) for the grader to judge", () => {
    expect(expectThat("p", 1, [0.25, 0.75], { finite: true, shape: [2], sum: 1 })).toBe(true);
    expect(expectThat("q", 1, [1, Infinity], { finite: true })).toBe(false);
    expect(records[0]).toMatchObject({ id: "p", points: 1, passed: true, value: { shape: [2], data: [0.25, 0.75] } });
    expect(records[1]).toMatchObject({
      passed: false,
      message: 'value 1 of 2 is "Infinity": not finite',
      value: { shape: [2], data: [1, "Infinity"] },
    });
  });

  it("a value off by 1e-7 passes with the default tolerance and fails with atol = 0", () => {
    expect(expectClose("x", 1, 0.5 + 1e-7, 0.5)).toBe(true);
    expect(expectClose("x0", 1, 0.5 + 1e-7, 0.5, { atol: 0 })).toBe(false);
    expect(records[1].message).toMatch(/got 0\.5000001, expected 0\.5/);
  });

  it("names both shapes on a shape mismatch, for arrays and duck-typed tensors", () => {
    expectClose(
      "s",
      1,
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    );
    expect(records[0].message).toBe("shape mismatch: got [2, 3], expected [3, 2]");
    const tensor = { shape: [2, 2], data: new Float64Array([1, 2, 3, 4]) };
    expect(
      expectClose("t", 1, tensor, [
        [1, 2],
        [3, 4],
      ]),
    ).toBe(true);
    expect(expectClose("t2", 1, { toArray: () => [1, 2] }, [1, 2])).toBe(true);
  });

  it("reports the worst element by index", () => {
    expectClose(
      "w",
      1,
      [
        [1, 2],
        [3, 9],
      ],
      [
        [1, 2],
        [3, 4],
      ],
    );
    expect(records[0].message).toMatch(/largest difference at index \[1, 1\]: got 9, expected 4/);
  });

  it("treats NaN as equal to NaN and infinities exactly", () => {
    expect(expectClose("n", 1, [NaN, Infinity], [NaN, Infinity])).toBe(true);
    expect(expectClose("n2", 1, [1, -Infinity], [1, Infinity])).toBe(false);
    expect(toReported([NaN, -Infinity])).toEqual({ shape: [2], data: ["NaN", "-Infinity"] });
  });

  it("reportValue sends the value only (tensors as shape + data), never a verdict", () => {
    reportValue("h", 2, { shape: [1, 2], data: [0.25, 0.5] });
    expect(records[0]).toEqual({ id: "h", points: 2, message: "value recorded", value: { shape: [1, 2], data: [0.25, 0.5] }, hidden: true });
    expect(records[0]).not.toHaveProperty("passed");
    reportExpression("e", 1, "x*(1-x)");
    expect(records[1].expression).toBe("x*(1-x)");
  });

  it("expectEqual is exact; structures compare field by field", () => {
    expect(expectEqual("e1", 1, { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(expectEqual("e2", 1, { a: 1 }, { a: 1 + 1e-12 })).toBe(false);
    expect(compareValues({ a: 1, b: 2 }, { a: 1 }, {}).message).toMatch(/expected keys a, got a, b/);
  });

  it("keeps working when a student replaces Math.abs, Object.is, JSON.stringify and Array.prototype.every", () => {
    const saved = { abs: Math.abs, is: Object.is, stringify: JSON.stringify, every: Array.prototype.every };
    try {
      Math.abs = () => 0;
      Object.is = () => true;
      JSON.stringify = () => '{"passed":true}';
      (Array.prototype as { every: unknown }).every = () => true;
      expect(expectClose("p", 1, 0.3, 0.5)).toBe(false);
      expect(compareValues([1, 2], [1, 3]).passed).toBe(false);
    } finally {
      Math.abs = saved.abs;
      Object.is = saved.is;
      JSON.stringify = saved.stringify;
      Array.prototype.every = saved.every;
    }
    expect(records[0].passed).toBe(false);
  });

  it("cannot be rewired through the module's exports", () => {
    const mod = require("nnlab/grading"); // the built module, as a kernel loads it
    expect(() => {
      mod.check = () => true;
    }).toThrow();
  });
});
