import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// TypeScript compiles `export { x } from "./y"` to CommonJS as `exports.x = void 0` followed by a
// getter defined over it, which turns the module's exports object into a dictionary: every call
// into that module (`(0, gemm_1.kernelBackend)()`) then goes through a generic property lookup
// instead of a constant. kernels/gemm.ts did this and every small kernel paid for it each call.
// Re-exports belong in the index files only (the public API, called once per op by user code).
const src = path.resolve(__dirname, "../../kernel-lib/src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

describe("internal modules keep fast exports objects", () => {
  it("re-export values only from index files", () => {
    const offenders: string[] = [];
    for (const file of sources(src)) {
      if (path.basename(file) === "index.ts") continue;
      const text = readFileSync(file, "utf8");
      for (const line of text.split("\n")) {
        // `export type { … } from` emits nothing at run time; value re-exports emit getters.
        if (/^export\s+(\*|\{)[^;]*\bfrom\s/.test(line)) offenders.push(`${path.relative(src, file)}: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
