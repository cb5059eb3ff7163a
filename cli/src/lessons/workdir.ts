/**
 * A kernel's private working directory: a fresh temp folder holding copies of the student's
 * own files and a node_modules/nnlab link to the library (the kernel resolves "nnlab" and its
 * types from its cwd), and nothing else: no record, no expected values, no other submission.
 * The sandbox binds it read-only and copies it into the kernel's own tmpfs home; the kernel's
 * connection file is written here too.
 *
 * Its name carries the grader's pid, so that a later run can remove what a killed one left.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

export interface Workdir {
  path: string;
  remove(): void;
}

const PREFIX = "nnlab-grade-";

export function makeWorkdir(files: string[]): Workdir {
  const path = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  for (const f of files) copyFileSync(f, join(path, basename(f)));
  const lib = dirname(require.resolve("nnlab/package.json"));
  mkdirSync(join(path, "node_modules"), { recursive: true });
  symlinkSync(lib, join(path, "node_modules", "nnlab"), "dir");
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the work folders and connection files (they hold a kernel's key) that graders which
 * no longer run left in the temp folder: a run killed with SIGKILL cannot clean up after itself.
 * Returns what was removed.
 */
export function removeLeftovers(dir: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^(?:nnlab-grade-(\d+)-[A-Za-z0-9]{6}|nnlab-kernel-(\d+)-[0-9a-f]{12}\.json)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1] ?? m[2]);
    if (pid === process.pid || alive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The kernel's whole environment: no grader variables, fixed time zone and locale. */
export function kernelEnv(cwd: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, TMPDIR: cwd, TZ: "UTC", LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
}
