/**
 * `nnlab release`: source.ipynb → release/<name>.ipynb (student version) + release-record.json
 * (grader's copy, next to the source). Stage order follows nbgrader's generate_assignment;
 * the record is built from the instructor's cells BEFORE hidden tests are cleared.
 */
import type { PartialJSONObject } from "@lumino/coreutils";
import { mkdirSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { extractCases } from "./format/cases";
import { type Notebook, cellLabel, cloneNotebook, readNotebook, serializeNotebook, sourceOf } from "./format/notebook";
import { gradeId, isGrade, isLocked, isSolution, isTask, isTestCell } from "./format/nbgrader-meta";
import { type ExpectedValues, readExpected, withHeldBackLabels } from "./expected";
import { expressionSamples } from "./expression";
import { readHeldBack } from "./held-back";
import { findLeaks, secretNeedles } from "./leak-check";
import { parseRubric } from "./format/rubric";
import { type Stage, requireBefore, runStages } from "./pipeline";
import { RECORD_FILE, type RecordCell, type RecordCellRole, type ReleaseRecord } from "./record";
import { checkCases } from "./stages/check-cases";
import { checkMetadataStrict } from "./stages/check-metadata";
import { clearHiddenTests } from "./stages/clear-hidden-tests";
import { clearMarkScheme } from "./stages/clear-mark-scheme";
import { clearOutput } from "./stages/clear-output";
import { clearSolutions } from "./stages/clear-solutions";
import { computeChecksums } from "./stages/compute-checksums";
import type { ReleaseContext } from "./stages/context";
import { lockCells } from "./stages/lock-cells";

export const RELEASE_STAGES: readonly Stage<ReleaseContext>[] = [
  checkMetadataStrict,
  checkCases,
  lockCells,
  clearSolutions,
  clearOutput,
  clearHiddenTests,
  clearMarkScheme,
  computeChecksums,
  checkMetadataStrict,
];
requireBefore(RELEASE_STAGES, "clearSolutions", "computeChecksums");
requireBefore(RELEASE_STAGES, "clearHiddenTests", "computeChecksums");
requireBefore(RELEASE_STAGES, "clearMarkScheme", "computeChecksums");

export const NNLAB_KERNELSPEC = { name: "nnlab", language: "typescript", display_name: "TypeScript (nnlab)" };

function roleOf(cell: Notebook["cells"][number]): RecordCellRole {
  if (isTestCell(cell)) return "test";
  if (isSolution(cell)) return isGrade(cell) ? "manual" : "solution";
  if (isTask(cell)) return "task";
  if (isLocked(cell)) return "locked";
  return "free";
}

export interface ReleaseResult {
  notebook: Notebook;
  record: ReleaseRecord;
  warnings: string[];
  bytes: string;
}

/**
 * Public expression cases get the expected expression's values at the grader's sample points in
 * their released test cell (`metadata.nnlab.expressions`), so `nnlab check` judges them as the
 * grader will. The expression itself stays in expected.json.
 */
function addExpressionSamples(released: Notebook, file: string, expected: ExpectedValues): void {
  released.cells.forEach((cell, i) => {
    if (!isTestCell(cell)) return;
    const exprs: Record<string, unknown> = {};
    for (const c of extractCases(sourceOf(cell), `${file} ${cellLabel(cell, i)}`)) {
      const exp = expected[c.id];
      if (c.kind !== "expression" || c.hidden || !exp || !("expression" in exp)) continue;
      exprs[c.id] = expressionSamples(exp.expression, exp.variables, exp.domain);
    }
    if (Object.keys(exprs).length === 0) return;
    cell.metadata.nnlab = { ...cell.metadata.nnlab, expressions: exprs as PartialJSONObject };
  });
}

/** Pure release of one notebook (no files written). */
export function releaseNotebook(
  source: Notebook,
  file: string,
  ctxExtra: Pick<ReleaseContext, "expected">,
  lesson: string,
  name: string,
): ReleaseResult {
  const ctx: ReleaseContext = { file, warnings: [], expected: ctxExtra.expected, source };
  if (!source.metadata.kernelspec) source.metadata.kernelspec = { ...NNLAB_KERNELSPEC };
  const released = runStages(RELEASE_STAGES, cloneNotebook(source), ctx);
  addExpressionSamples(released, file, ctx.expected);
  const cells: RecordCell[] = source.cells.map((cell, i) => {
    const role = roleOf(cell);
    const where = `${file} ${cellLabel(cell, i)}`;
    const full = sourceOf(cell);
    let cases = role === "test" ? extractCases(full, where) : [];
    const points = isGrade(cell) ? Number(cell.metadata.nbgrader?.points) : 0;
    if (role === "test" && cases.length === 0) {
      cases = [{ id: gradeId(cell)!, points, kind: "check", hidden: false }];
    }
    if (role === "manual" && cell.cell_type !== "markdown") {
      throw new Error(`${where}: a manually graded answer must be a markdown cell (a code answer is graded by its tests)`);
    }
    const rubric = role === "manual" ? parseRubric(full, points, where) : undefined;
    return {
      index: i,
      id: cell.id,
      gradeId: gradeId(cell),
      role,
      released: released.cells[i],
      fullSource: role === "test" || role === "locked" ? full : undefined,
      points,
      cases,
      ...(rubric ? { rubric } : {}),
    };
  });
  const record: ReleaseRecord = {
    format: "nnlab-release-record/1",
    lesson,
    notebook: name,
    kernelspec: released.metadata.kernelspec!,
    cells,
    // Written answers count in the maximum; until graded by hand they are pending, not 0 of it.
    maxScore: cells.reduce((s, c) => s + (c.role === "test" || c.role === "manual" ? c.points : 0), 0),
  };
  const bytes = serializeNotebook(released);
  const leaks = findLeaks(bytes, secretNeedles(source, ctx.expected, file));
  if (leaks.length > 0) {
    throw new Error(`${file}: the release would leak ${leaks.length} secret line(s), e.g. ${JSON.stringify(leaks[0])}; refusing to write it`);
  }
  return { notebook: released, record, warnings: ctx.warnings, bytes };
}

export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  // Exclusive create: a link planted at the temporary name is removed, never written through.
  rmSync(tmp, { force: true });
  writeFileSync(tmp, text, { flag: "wx" });
  renameSync(tmp, file);
}

/** Release lessons/<nn>: writes <outDir>/<name>.ipynb and lessons/<nn>/release-record.json. */
export function releaseLesson(lessonDir: string, outDir?: string): ReleaseResult & { notebookPath: string; recordPath: string } {
  const dir = resolve(lessonDir);
  const lesson = basename(dir);
  const file = join(dir, "source.ipynb");
  const name = `${lesson}.ipynb`;
  // withHeldBackLabels: an accuracy case must name a held-back set that exists (heldback.json).
  const result = releaseNotebook(readNotebook(file), file, { expected: withHeldBackLabels(readExpected(dir), readHeldBack(dir), dir) }, lesson, name);
  const out = resolve(outDir ?? join(dir, "release"));
  mkdirSync(out, { recursive: true });
  const notebookPath = join(out, name);
  writeAtomic(notebookPath, result.bytes);
  const recordPath = join(dir, RECORD_FILE);
  writeAtomic(recordPath, JSON.stringify(result.record, null, 1) + "\n");
  return { ...result, notebookPath, recordPath };
}
