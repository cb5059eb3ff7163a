/** `nnlab release lessons/<nn> [--out DIR]`: the student version of an assignment. */
import { relative } from "node:path";
import { releaseLesson } from "../lessons/release";
import { type Command, UsageError } from "./command";

const USAGE = `usage: nnlab release <lesson-dir> [--out DIR]

Writes <lesson-dir>/release/<lesson>.ipynb (solutions replaced by stubs, hidden tests, outputs
and attachments removed, nbgrader checksums set) and <lesson-dir>/release-record.json, the
grader's copy with the full tests (keep it out of what students receive).`;

export async function run(argv: string[]): Promise<number> {
  let out: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") out = argv[++i];
    else if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE + "\n");
      return 0;
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError("give exactly one lesson folder, e.g. lessons/01-backprop");
  if (out === undefined && argv.includes("--out")) throw new UsageError("--out needs a folder");
  try {
    const r = releaseLesson(positional[0], out);
    for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
    const tests = r.record.cells.filter((c) => c.role === "test");
    const hidden = tests.flatMap((c) => c.cases).filter((c) => c.hidden).length;
    const written = r.record.cells.filter((c) => c.role === "manual");
    process.stdout.write(
      `released ${relative(process.cwd(), r.notebookPath)}: ${tests.length} graded cells, ${r.record.maxScore} points, ` +
        `${hidden} hidden cases` +
        (written.length > 0
          ? `, ${written.length} written answer(s) graded by hand (${written.reduce((s, c) => s + c.points, 0)} of the points; rubrics in the record)`
          : "") +
        `\nrecord    ${relative(process.cwd(), r.recordPath)}\n`,
    );
    return 0;
  } catch (e) {
    process.stderr.write(`nnlab release: ${(e as Error).message}\n`);
    return 1;
  }
}

export const releaseCommand: Command = {
  usage: USAGE,
  run,
};
