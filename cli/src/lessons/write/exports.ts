/**
 * The batch-wide exports, rewritten from the results after every grading run and after every
 * manual grade: gradebook.csv (gradebook-csv.ts) and summary.json (scores, pass rates, and the
 * written answers still pending manual grading, with their points at stake).
 */
import { join } from "node:path";
import type { ReleaseRecord } from "../record";
import { writeAtomic } from "../release";
import { gradebookCsv } from "./gradebook-csv";
import { type SubmissionResult, round, writeJsonAtomic } from "./results-json";

/** Per-case pass rates across the batch (otter #885); written answers count as passed once graded in full. */
export function passRates(results: SubmissionResult[]): Record<string, number> {
  const rates: Record<string, number> = {};
  if (results.length === 0) return rates;
  for (const c of results[0].cases) {
    const passed = results.filter((r) => {
      const x = r.cases.find((k) => k.id === c.id);
      return x?.status === "passed" || (x?.status === "graded" && x.points === x.max);
    }).length;
    rates[c.id] = round(passed / results.length);
  }
  return rates;
}

export function writeExports(outDir: string, record: ReleaseRecord, results: SubmissionResult[], timestamps: Map<string, string> = new Map()): void {
  const questions = record.cells.filter((c) => c.role === "test" || c.role === "manual").map((c) => c.gradeId!);
  const written = record.cells.filter((c) => c.role === "manual").map((c) => c.gradeId!);
  writeAtomic(join(outDir, "gradebook.csv"), gradebookCsv(record.lesson, questions, results, timestamps, written));
  const pending = results.filter((r) => r.pendingManual);
  writeJsonAtomic(join(outDir, "summary.json"), {
    lesson: record.lesson,
    submissions: results.length,
    maxScore: record.maxScore,
    scores: Object.fromEntries(results.map((r) => [r.student, r.score])),
    passRates: passRates(results),
    ...(written.length > 0
      ? {
          pendingManualGrading: Object.fromEntries(pending.map((r) => [r.student, r.pendingManual])),
          pendingManualNote:
            pending.length === 0
              ? "every written answer is graded"
              : `pending manual grading: ${pending.reduce((s, r) => s + r.pendingManual!.cases.length, 0)} written answer(s) of ${pending.length} student(s); run nnlab manual-grade`,
        }
      : {}),
  });
}
