/**
 * keepAssigned: which declarations of a failed cell later cells may use (cli/src/tslab/cell-decls.ts).
 * Exercised end to end by the interrupt and stop_on_error protocol cases; here the edge cases.
 */
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { keepAssigned } from "../../cli/src/tslab/cell-decls";

const values: Record<string, unknown> = { n: 3, f: () => 1, C: class {}, lib: {}, a: 1 };
const hasValue = (name: string): boolean => values[name] !== undefined;

describe("keepAssigned", () => {
  it("keeps names that hold a value and drops the ones the cell never reached", () => {
    const decl = [
      "declare let n: number;",
      "declare let later: string;",
      "declare function f(): number;",
      "declare class C {\n}",
      "declare class Unreached {\n}",
      "interface Shape {\n    x: number;\n}",
      "type Alias = string;",
    ].join("\n");
    const out = keepAssigned(ts, decl, hasValue);
    expect(out).toContain("declare let n: number;");
    expect(out).not.toContain("later");
    expect(out).toContain("declare function f(): number;");
    expect(out).toContain("declare class C");
    expect(out).not.toContain("Unreached");
    // Types have no value and stay.
    expect(out).toContain("interface Shape");
    expect(out).toContain("type Alias = string;");
  });

  it("splits a declaration list and keeps an import whose require ran", () => {
    const out = keepAssigned(ts, `import { lib, OnlyAType } from "x";\nimport { gone } from "y";\ndeclare let a: number, b: string;`, hasValue);
    expect(out).toContain(`import { lib, OnlyAType } from "x";`);
    expect(out).not.toContain(`"y"`);
    expect(out).toMatch(/declare let a: number;/);
    expect(out).not.toContain("b: string");
  });
});
