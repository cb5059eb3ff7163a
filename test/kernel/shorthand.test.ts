import { describe, expect, it } from "vitest";
import * as ts from "typescript";
import { declaredNames, expandShorthands } from "../../cli/src/tslab/shorthand";

describe("shorthand properties naming earlier cells' variables", () => {
  const earlier = new Set(["lr", "model"]);
  it("spells out { lr } in object literals and assignment patterns, only for earlier names", () => {
    expect(expandShorthands(ts, "const o = { lr, x };", earlier)).toBe("const o = { lr: lr, x };");
    expect(expandShorthands(ts, "({ lr = 1 } = opts);", earlier)).toBe("({ lr: lr = 1 } = opts);");
    expect(expandShorthands(ts, "fit(model, { lr, epochs: 3 })", earlier)).toBe("fit(model, { lr: lr, epochs: 3 })");
  });
  it("leaves destructuring declarations, strings and other code alone", () => {
    for (const src of ["const { lr } = cfg;", "const s = '{ lr }';", "function f({ lr }) { return lr; }", "x = 1"]) {
      expect(expandShorthands(ts, src, earlier)).toBe(src);
    }
  });
  it("reads the earlier cells' names from their declarations", () => {
    const names = declaredNames(
      ts,
      'declare const lr: number;\nexport declare let [a, { b }]: any;\nexport declare function f(): void;\ndeclare class Net {}\nimport * as nn from "nnlab";\nimport { tensor as t } from "nnlab";',
    );
    expect([...names].sort()).toEqual(["Net", "a", "b", "f", "lr", "nn", "t"]);
  });
});
