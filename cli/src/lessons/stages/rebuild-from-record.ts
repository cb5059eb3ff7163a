/**
 * nbgrader OverwriteCells, made robust: the record, not the student's metadata, decides what is
 * graded. Student cells are matched to record cells by grade_id, then by cell id; matched test
 * and locked cells are restored whole from the record (hidden tests included), answer cells keep
 * the student's source but get the record's type and metadata back; test cells the student
 * deleted are re-inserted after the answer cell that precedes them in the release. Never throws
 * for a mangled submission: each repair is a warning.
 */
import { type Cell, type Notebook, sourceOf } from "../format/notebook";
import { gradeId } from "../format/nbgrader-meta";
import type { Stage } from "../pipeline";
import type { RecordCell } from "../record";
import type { SanitizeContext } from "./context";

function restored(rc: RecordCell): Cell {
  const cell = JSON.parse(JSON.stringify(rc.released)) as Cell;
  if (rc.fullSource !== undefined) cell.source = rc.fullSource;
  if (cell.cell_type === "code") {
    cell.outputs = [];
    cell.execution_count = null;
  }
  return cell;
}

export const rebuildFromRecord: Stage<SanitizeContext> = {
  name: "rebuildFromRecord",
  run(nb, ctx) {
    const tracked = ctx.record.cells.filter((c) => c.role !== "free");
    const byGradeId = new Map(tracked.filter((c) => c.gradeId).map((c) => [c.gradeId!, c]));
    const byCellId = new Map(tracked.filter((c) => c.id).map((c) => [c.id!, c]));
    const used = new Set<RecordCell>();

    const out: { cell: Cell; rc?: RecordCell }[] = [];
    nb.cells.forEach((cell, i) => {
      let rc = gradeId(cell) !== undefined ? byGradeId.get(gradeId(cell)!) : undefined;
      if (gradeId(cell) !== undefined && !rc) {
        ctx.warnings.push(`cell ${i}: grade_id "${gradeId(cell)}" is not in the release; treated as an ordinary cell`);
        delete cell.metadata.nbgrader;
      }
      if (!rc && cell.id !== undefined && byCellId.has(cell.id)) {
        rc = byCellId.get(cell.id);
        ctx.warnings.push(`cell ${i}: nbgrader metadata missing; matched to "${rc!.gradeId}" by cell id`);
      }
      if (rc && used.has(rc)) rc = undefined; // dedupeIds normally prevents this
      if (!rc) {
        out.push({ cell });
        return;
      }
      used.add(rc);
      if (rc.role === "solution" || rc.role === "manual") {
        // The student's answer, with the record's type and metadata.
        const answer = restored(rc);
        answer.source = sourceOf(cell);
        if (cell.cell_type !== rc.released.cell_type) {
          ctx.warnings.push(`cell ${i} ("${rc.gradeId}"): cell type ${cell.cell_type} reverted to ${rc.released.cell_type}`);
        }
        out.push({ cell: answer, rc });
      } else {
        const original = sourceOf(cell);
        if ((original !== sourceOf(rc.released) && original !== rc.fullSource) || cell.cell_type !== rc.released.cell_type) {
          ctx.warnings.push(`cell ${i} ("${rc.gradeId}"): locked cell was edited; restored from the release`);
        }
        out.push({ cell: restored(rc), rc });
      }
    });

    // Re-insert missing test/locked cells after the nearest preceding record cell present.
    for (const rc of tracked) {
      if (used.has(rc) || rc.role === "solution" || rc.role === "manual") {
        if (!used.has(rc)) ctx.warnings.push(`answer cell "${rc.gradeId}" is missing from the submission`);
        continue;
      }
      const before = ctx.record.cells
        .slice(0, rc.index)
        .reverse()
        .find((p) => used.has(p));
      let at = 0;
      if (before) at = out.findIndex((o) => o.rc === before) + 1;
      // A re-inserted cell counts as present, so the next missing one lands after it.
      out.splice(at, 0, { cell: restored(rc), rc });
      used.add(rc);
      ctx.warnings.push(`cell "${rc.gradeId}" was deleted; re-inserted from the release`);
    }
    const rebuilt: Notebook = { ...nb, cells: out.map((o) => o.cell) };
    return rebuilt;
  },
};
