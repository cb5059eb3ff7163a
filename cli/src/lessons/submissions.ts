/**
 * A submissions folder holds one sub-folder or one notebook per student. In a folder, the
 * notebook named like the release wins, else the only (or first, sorted) .ipynb; every other
 * regular file is the student's data, copied into the private working directory.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";

export interface Submission {
  student: string;
  notebookPath: string;
  /** The student's other files (absolute paths), copied next to the notebook's working dir. */
  files: string[];
  /** nbgrader's timestamp.txt, if present. */
  timestamp?: string;
}

function sorted(names: string[]): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function discoverSubmissions(dir: string, releaseName: string): Submission[] {
  const subs: Submission[] = [];
  for (const name of sorted(readdirSync(dir))) {
    if (name.startsWith(".") || name.startsWith("_")) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isFile() && name.endsWith(".ipynb")) {
      subs.push({ student: basename(name, ".ipynb"), notebookPath: path, files: [] });
    } else if (st.isDirectory()) {
      const entries = sorted(readdirSync(path)).filter((f) => !f.startsWith(".") && statSync(join(path, f)).isFile());
      const notebooks = entries.filter((f) => f.endsWith(".ipynb"));
      const nb = notebooks.includes(releaseName) ? releaseName : notebooks[0];
      if (!nb) continue;
      const files = entries.filter((f) => !f.endsWith(".ipynb") && f !== "timestamp.txt").map((f) => join(path, f));
      let timestamp: string | undefined;
      if (entries.includes("timestamp.txt")) timestamp = readFileSync(join(path, "timestamp.txt"), "utf8").trim();
      subs.push({ student: name, notebookPath: join(path, nb), files, timestamp });
    }
  }
  return subs;
}
