/**
 * `nnlab check`: the student's self-check. Runs their notebook as it is (in its own folder) and
 * reports only the public cases, saying plainly that hidden cases are not run here, so "all
 * passed" is never mistaken for a grade (otter-grader #138).
 */
import { readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { kernelEnv, makeWorkdir } from "./workdir";
import type { KernelClient } from "../kernel/client";
import { extractCases } from "./format/cases";
import { removeHiddenRegions } from "./format/delimiters";
import { type Notebook, cellLabel, readNotebook, sourceOf } from "./format/notebook";
import { gradeId, isTestCell } from "./format/nbgrader-meta";
import { type CellRun, executeForGrading } from "./execute";
import type { ReleaseRecord } from "./record";
import type { ExpectedValues } from "./expected";
import type { ExpressionSamples } from "./expression";
import { type CaseResult, judgeExpressions, scoreCases } from "./score";

export interface CheckReport {
  cases: CaseResult[];
  passed: number;
  total: number;
  summary: string;
  graderError?: string | undefined;
}

/**
 * A record made from the student's notebook itself: its test cells as they are, hidden regions
 * dropped; public expression cases are judged against the samples the release put in the cell.
 */
export function recordFromNotebook(nb: Notebook, file: string): { record: ReleaseRecord; notebook: Notebook; expected: ExpectedValues } {
  const expected: ExpectedValues = {};
  const cells: ReleaseRecord["cells"] = [];
  const notebook: Notebook = { ...nb, cells: nb.cells.map((c) => ({ ...c })) };
  notebook.cells.forEach((cell, i) => {
    if (!isTestCell(cell) || !gradeId(cell)) return;
    const where = `${file} ${cellLabel(cell, i)}`;
    const src = removeHiddenRegions(sourceOf(cell), where).source;
    cell.source = src;
    const points = Number(cell.metadata.nbgrader?.points) || 0;
    const samples = (cell.metadata.nnlab as { expressions?: Record<string, ExpressionSamples> } | undefined)?.expressions ?? {};
    for (const [id, s] of Object.entries(samples)) expected[id] = { expression: "", variables: s.variables, domain: s.domain, samples: s };
    let cases = extractCases(src, where).filter(
      (c) => c.kind === "check" || c.kind === "close" || c.kind === "property" || (c.kind === "expression" && c.id in samples),
    );
    const all = extractCases(src, where);
    if (all.length === 0) cases = [{ id: gradeId(cell)!, points, kind: "check", hidden: false }];
    cells.push({ index: i, id: cell.id, gradeId: gradeId(cell), role: "test", released: cell, fullSource: src, points, cases });
  });
  const record: ReleaseRecord = {
    format: "nnlab-release-record/1",
    lesson: "",
    notebook: file,
    kernelspec: nb.metadata.kernelspec ?? { name: "nnlab", language: "typescript", display_name: "TypeScript (nnlab)" },
    cells,
    maxScore: cells.reduce((s, c) => s + c.cases.reduce((t, k) => t + k.points, 0), 0),
  };
  return { record, notebook, expected };
}

export function summarize(cases: CaseResult[]): { passed: number; total: number; summary: string } {
  const passed = cases.filter((c) => c.status === "passed").length;
  return { passed, total: cases.length, summary: `public ${passed}/${cases.length} passed; hidden tests run at grading` };
}

export async function checkNotebook(
  file: string,
  makeClient: (cwd: string, env: NodeJS.ProcessEnv) => KernelClient,
  cellTimeoutMs = 30_000,
): Promise<CheckReport> {
  const path = resolve(file);
  const { record, notebook, expected } = recordFromNotebook(readNotebook(path), path);
  // The student's data files travel with the notebook, as at grading.
  const files = readdirSync(dirname(path))
    .map((f) => join(dirname(path), f))
    .filter((f) => !f.endsWith(".ipynb") && statSync(f).isFile());
  const workdir = makeWorkdir(files);
  const client = makeClient(workdir.path, kernelEnv(workdir.path));
  const runsByGradeId = new Map<string, CellRun>();
  let graderError: string | undefined;
  try {
    await client.start();
    const run = await executeForGrading(notebook, client, {
      cellTimeoutMs,
      notebookTimeoutMs: 3_600_000,
      maxOutputBytes: 1_000_000,
      preload: [],
      trustedCell: () => true,
    });
    graderError = run.graderError;
    for (const r of run.runs) {
      const gid = gradeId(notebook.cells[r.index]);
      if (gid && isTestCell(notebook.cells[r.index])) runsByGradeId.set(gid, r);
    }
  } finally {
    await client.shutdown().catch(() => undefined);
    workdir.remove();
  }
  const cases = scoreCases(record, expected, runsByGradeId, (s) => s, await judgeExpressions(record, expected, runsByGradeId));
  const s = summarize(cases);
  // Written answers have no tests: say that they are graded by hand, so "all passed" is not read as full marks.
  const written = notebook.cells.filter(
    (c) => c.cell_type === "markdown" && c.metadata.nbgrader?.grade === true && c.metadata.nbgrader?.solution === true,
  ).length;
  if (written > 0) s.summary += `; ${written} written answer${written === 1 ? " is" : "s are"} graded by hand`;
  return { cases, ...s, graderError };
}
