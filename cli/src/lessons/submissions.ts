/**
 * A submissions folder holds one sub-folder or one notebook per student. In a folder, the
 * notebook named like the release wins, else the only (or first, sorted) .ipynb; every other
 * regular file is the student's data, copied into the private working directory.
 *
 * Nothing is followed: entries are examined with lstat and files opened with O_NOFOLLOW, so a
 * symbolic link to the answer key or to /etc/shadow is refused with a warning (and never copied,
 * read or printed), whoever runs the grader.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";

export interface Submission {
  student: string;
  notebookPath: string;
  /** The student's other files (absolute paths), copied next to the notebook's working dir. */
  files: string[];
  /** nbgrader's timestamp.txt, if present. */
  timestamp?: string | undefined;
  /** What was refused (symbolic links, special files), in words for the student's feedback. */
  refused?: string[] | undefined;
}

/** Larger files are not read as a notebook or timestamp (a notebook is a few hundred kB). */
export const MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024;

function sorted(names: string[]): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Read a regular file without following a symbolic link at its last component. */
export function readFileNoFollow(path: string, maxBytes: number = MAX_NOTEBOOK_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new Error(`${basename(path)} is a symbolic link; submit the file itself`);
    throw new Error(`${basename(path)} cannot be opened (${code})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${basename(path)} is not a regular file`);
    if (st.size > maxBytes) throw new Error(`${basename(path)} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function kindOf(path: string): "file" | "dir" | "link" | "other" {
  const st = lstatSync(path);
  return st.isSymbolicLink() ? "link" : st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
}

export function discoverSubmissions(dir: string, releaseName: string, log?: (line: string) => void): Submission[] {
  const subs: Submission[] = [];
  for (const name of sorted(readdirSync(dir))) {
    if (name.startsWith(".") || name.startsWith("_")) continue;
    const path = join(dir, name);
    const kind = kindOf(path);
    if (kind === "file" && name.endsWith(".ipynb")) {
      subs.push({ student: basename(name, ".ipynb"), notebookPath: path, files: [] });
    } else if (kind === "link") {
      log?.(`${name}: a symbolic link in the submissions folder; not followed, not graded`);
    } else if (kind === "dir") {
      const refused: string[] = [];
      const entries: string[] = [];
      for (const f of sorted(readdirSync(path))) {
        if (f.startsWith(".")) continue;
        const k = kindOf(join(path, f));
        if (k === "file") entries.push(f);
        else if (k === "link") refused.push(`${f} is a symbolic link; it was not read (submit the file itself)`);
        else if (k === "other") refused.push(`${f} is not a regular file; it was not read`);
      }
      const notebooks = entries.filter((f) => f.endsWith(".ipynb"));
      const nb = notebooks.includes(releaseName) ? releaseName : notebooks[0];
      if (!nb) {
        // The notebook itself was a link: graded as unreadable, with the reason, not skipped.
        const linked = refused.filter((r) => /^\S+\.ipynb is /.test(r)).map((r) => r.split(" ")[0]);
        const pick = linked.includes(releaseName) ? releaseName : linked[0];
        if (pick) subs.push({ student: name, notebookPath: join(path, pick), files: [], refused: refused.filter((r) => !r.startsWith(`${pick} `)) });
        continue;
      }
      const files = entries.filter((f) => !f.endsWith(".ipynb") && f !== "timestamp.txt").map((f) => join(path, f));
      let timestamp: string | undefined;
      if (entries.includes("timestamp.txt")) {
        try {
          timestamp = readFileNoFollow(join(path, "timestamp.txt"), 4096).trim();
        } catch (e) {
          refused.push((e as Error).message);
        }
      }
      subs.push({ student: name, notebookPath: join(path, nb), files, timestamp, ...(refused.length > 0 ? { refused } : {}) });
    }
  }
  return subs;
}
