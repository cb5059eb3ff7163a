import type { Output } from "../../kernel/client";
import type { AutogradeStage } from "../autograde-job";
import { isTestCell } from "../format/nbgrader-meta";

/** What the graded notebook and the feedback keep of all non-test cells' outputs together. */
export const MAX_NOTEBOOK_OUTPUT_BYTES = 20_000_000;

function bytesOf(o: Output): number {
  if (o.output_type === "stream") return o.text.length;
  if (o.output_type === "error") return o.ename.length + o.evalue.length + o.traceback.join("\n").length;
  return JSON.stringify(o.data).length;
}

/**
 * Autograde "limit output" (nbgrader LimitOutput, after execution): each cell is already capped
 * while it runs (stream bytes in the client, displays and records in execute.ts); this bounds
 * the whole notebook, so thirty cells each just under their cap do not make a 150 MB feedback
 * page. Test cells are left alone: their records are what score reads, and their outputs are
 * never written (the case table replaces them). Cells past the budget keep a note instead.
 */
export const limitOutput: AutogradeStage = {
  name: "limitOutput",
  run(job) {
    let used = 0;
    job.runs = job.runs.map((run) => {
      const cell = job.notebook.cells[run.index];
      if (cell && isTestCell(cell)) return run;
      const size = run.outputs.reduce((s, o) => s + bytesOf(o), 0);
      if (used + size <= MAX_NOTEBOOK_OUTPUT_BYTES) {
        used += size;
        return run;
      }
      const note: Output = {
        output_type: "stream",
        name: "stderr",
        text: `[nnlab: ${size} bytes of output not kept: the notebook's outputs are over ${MAX_NOTEBOOK_OUTPUT_BYTES} bytes]\n`,
      };
      return { ...run, outputs: [note], truncated: true };
    });
  },
};
