// kernel-lib's .d.ts must type-check under tslab's bundled TypeScript 5.0.4, with skipLibCheck off:
// newer-TS-only constructs (Float64Array<ArrayBuffer>, MapIterator, NoInfer) silently turn into
// `any` inside the kernel otherwise (docs/tslab.md, "Packaging nnlab for tslab's compiler").
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "../..");
const tslabTsc = join(root, "node_modules/@tslab/typescript-for-tslab/bin/tsc");

function compile(file: string): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    [
      tslabTsc,
      "--noEmit",
      "--skipLibCheck",
      "false",
      "--strict",
      "--module",
      "esnext",
      "--moduleResolution",
      "node",
      "--target",
      "es2022",
      "--lib",
      "es2022",
      "--types",
      "node",
      "--esModuleInterop",
      join(__dirname, file),
    ],
    { cwd: root, encoding: "utf8" },
  );
  return { status: r.status, out: (r.stdout ?? "") + (r.stderr ?? "") };
}

describe("declarations under tslab's TypeScript 5.0.4", () => {
  it("uses tslab's compiler, which is 5.0.x", () => {
    const r = spawnSync(process.execPath, [tslabTsc, "-v"], { encoding: "utf8" });
    expect(r.stdout).toMatch(/Version 5\.0\./);
    expect(existsSync(join(root, "kernel-lib/dist/index.d.ts")), "build kernel-lib first (npm run build)").toBe(true);
  });
  it("a consumer of nnlab, nnlab/plot and nnlab/grading compiles with no error", () => {
    const r = compile("consumer.ts");
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
  });
  it("a wrong use is rejected, so the types are real and not any", () => {
    const r = compile("wrong.ts");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/wrong\.ts\(3,7\): error TS2322/);
    expect(r.out).toMatch(/wrong\.ts\(4,7\): error TS2322/);
  });
});
