#!/usr/bin/env node
// Type-checks every TypeScript project of the repository without emitting: the three packages
// (their builds emit; this also covers a tree that was never built) and the tests, which vitest
// runs with their types stripped. Part of `npm run lint`.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
let failed = 0;
for (const project of ["kernel-lib", "cli", "lab", "test"]) {
  const r = spawnSync(process.execPath, [tsc, "-p", project, "--noEmit"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`typecheck: ${project}/tsconfig.json has type errors (above)`);
  }
}
if (failed) process.exit(1);
console.log("typecheck: kernel-lib, cli, lab and test are type-correct");
