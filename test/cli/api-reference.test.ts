/** The API reference's failure path: the site is built without it, with the reason. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildApiReference } from "../../cli/src/commands/api-reference";

const tmp = mkdtempSync(join(tmpdir(), "nnlab-api-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("buildApiReference", () => {
  it("says that TypeDoc is missing and how to install it, instead of failing the site", () => {
    writeFileSync(join(tmp, "typedoc.json"), "{}");
    const r = buildApiReference(join(tmp, "site"), tmp);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.why).toMatch(/TypeDoc is not installed.*npm install/);
  });

  it("says which configuration is missing", () => {
    const empty = join(tmp, "empty");
    const r = buildApiReference(join(tmp, "site"), empty);
    expect(!r.ok && r.why).toBe(`no typedoc.json in ${empty}`);
  });
});
