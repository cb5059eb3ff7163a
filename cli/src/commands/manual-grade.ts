/**
 * `nnlab manual-grade <lesson-dir> [--out DIR] [--all]` lists written answers pending a grade;
 * `… --student S --cell C (--points P | --criteria c1=1,c2=0.5) [--comment T]` records one;
 * with no grade given and a terminal on both ends, it prompts for each pending answer.
 */
import { basename, resolve } from "node:path";
import { createInterface } from "node:readline";
import { type Command, UsageError } from "./command";
import {
  type GradeRequest,
  ManualGradeError,
  type WrittenAnswer,
  describeAnswer,
  listWrittenAnswers,
  parseCriteria,
  printable,
  recordManualGrade,
} from "../lessons/manual-grade";

const USAGE = `usage: nnlab manual-grade <lesson-dir> [--out DIR] [--all]
       nnlab manual-grade <lesson-dir> [--out DIR] --student S --cell C --points P [--comment TEXT]
       nnlab manual-grade <lesson-dir> [--out DIR] --student S --cell C --criteria c1=1,c2=0.5 [--comment TEXT]

Written answers (manually graded cells) are pending after nnlab grade. Without a grade, lists
the pending ones (--all: every written answer) with the student's text and the rubric; run in
a terminal, it then asks for each one's points, criterion by criterion (Enter skips an answer).
With --student/--cell and --points (0..the cell's points) or --criteria (one value per rubric
criterion), records that grade and a comment. Grades are signed with the grader's key in
<out>/manual/, kept by later nnlab grade runs while the answer's text is unchanged, and
included at once in results, feedback, Gradescope files, gradebook.csv and summary.json.
--out defaults to graded/<lesson>, as for nnlab grade.`;

function number(option: string, v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${option} takes a number, got ${JSON.stringify(v)}`);
  return n;
}

class EndOfInput extends Error {}

/** Ask for each answer's points, criterion by criterion; Enter on the first criterion skips it. */
async function prompt(
  answers: WrittenAnswer[],
  lessonDir: string,
  outDir: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<number> {
  const rl = createInterface({ input, terminal: false });
  // Lines are buffered by the iterator, so input typed (or pasted) ahead is not lost.
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (q: string): Promise<string> => {
    output.write(q);
    const next = await lines.next();
    if (next.done) throw new EndOfInput();
    return String(next.value);
  };
  let graded = 0;
  try {
    for (const a of answers) {
      output.write(`\n${describeAnswer(a)}\n`);
      const criteria: Record<string, number> = {};
      let skipped = false;
      for (const k of a.rubric.criteria) {
        for (;;) {
          const text = (await ask(`${k.id} (0..${k.points}, Enter to skip this answer): `)).trim();
          if (text === "" && Object.keys(criteria).length === 0) {
            skipped = true;
            break;
          }
          const p = Number(text);
          if (text !== "" && Number.isFinite(p) && p >= 0 && p <= k.points) {
            criteria[k.id] = p;
            break;
          }
          output.write(`  give a number from 0 to ${k.points}\n`);
        }
        if (skipped) break;
      }
      if (skipped) continue;
      const comment = (await ask("comment (Enter for none): ")).trim();
      const req: GradeRequest = { student: a.student, cell: a.cell, criteria, ...(comment ? { comment } : {}) };
      const r = recordManualGrade(lessonDir, outDir, req);
      graded++;
      output.write(
        `recorded ${printable(a.student)}/${a.cell}: ${r.cases.find((c) => c.id === a.cell)?.points}/${a.max}; score now ${r.score}/${r.maxScore}\n`,
      );
    }
  } catch (e) {
    if (!(e instanceof EndOfInput)) throw e;
    output.write("\n(end of input)\n");
  } finally {
    rl.close();
  }
  output.write(`${graded} answer(s) graded\n`);
  return 0;
}

export async function run(
  argv: string[],
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; tty: boolean } = {
    input: process.stdin,
    output: process.stdout,
    tty: !!process.stdin.isTTY && !!process.stdout.isTTY,
  },
): Promise<number> {
  const positional: string[] = [];
  let out: string | undefined;
  let all = false;
  const req: Partial<GradeRequest> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--out") out = val();
    else if (a === "--all") all = true;
    else if (a === "--student") req.student = val();
    else if (a === "--cell") req.cell = val();
    else if (a === "--points") req.points = number(a, val());
    else if (a === "--criteria") {
      try {
        req.criteria = parseCriteria(val());
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else if (a === "--comment") req.comment = val();
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError("give one lesson folder, e.g. lessons/01-backprop");
  const lessonDir = positional[0];
  const outDir = out ?? resolve("graded", basename(resolve(lessonDir)));
  const grading =
    req.student !== undefined || req.cell !== undefined || req.points !== undefined || req.criteria !== undefined || req.comment !== undefined;
  try {
    if (grading) {
      if (req.student === undefined || req.cell === undefined) throw new UsageError("a grade needs --student and --cell");
      if (req.points === undefined && req.criteria === undefined) throw new UsageError("a grade needs --points or --criteria");
      const r = recordManualGrade(lessonDir, outDir, req as GradeRequest);
      const c = r.cases.find((k) => k.id === req.cell)!;
      io.output.write(
        `recorded ${printable(r.student)}/${c.id}: ${c.points}/${c.max}${c.comment ? ` (${printable(c.comment)})` : ""}; score now ${r.score}/${r.maxScore}` +
          (r.pendingManual ? `, ${r.pendingManual.points} point(s) still pending manual grading` : "") +
          "\n",
      );
      return 0;
    }
    const answers = listWrittenAnswers(lessonDir, outDir, { all });
    if (answers.length === 0) {
      io.output.write(all ? "no written answers graded yet (run nnlab grade first)\n" : "no written answer is pending manual grading\n");
      return 0;
    }
    if (io.tty)
      return await prompt(
        answers.filter((a) => a.status === "pending"),
        lessonDir,
        outDir,
        io.input,
        io.output,
      );
    for (const a of answers) io.output.write(`${describeAnswer(a)}\n\n`);
    io.output.write(
      `${answers.length} written answer(s)${all ? "" : " pending manual grading"}; record one with --student S --cell C --points P [--comment TEXT]\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof ManualGradeError) {
      process.stderr.write(`nnlab manual-grade: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`nnlab manual-grade: ${(e as Error).message}\n`);
    return 1;
  }
}

export const manualGradeCommand: Command = {
  usage: USAGE,
  run: (argv) => run(argv),
};
