/**
 * A kernel's private working directory: a fresh temp folder holding copies of the student's
 * own files and a node_modules/nnlab link to the library (the kernel resolves "nnlab" and its
 * types from its cwd), and nothing else: no record, no expected values, no other submission.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

export interface Workdir {
  path: string;
  remove(): void;
}

export function makeWorkdir(files: string[]): Workdir {
  const path = mkdtempSync(join(tmpdir(), "nnlab-grade-"));
  for (const f of files) copyFileSync(f, join(path, basename(f)));
  const lib = dirname(require.resolve("nnlab/package.json"));
  mkdirSync(join(path, "node_modules"), { recursive: true });
  symlinkSync(lib, join(path, "node_modules", "nnlab"), "dir");
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The kernel's whole environment: no grader variables, fixed time zone and locale. */
export function kernelEnv(cwd: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, TMPDIR: cwd, TZ: "UTC", LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
}
