import { type AutogradeStage, inRecordOrder } from "../autograde-job";
import { writtenCases } from "../written-answers";

/**
 * Autograde "pendingManual": one case per manually graded written answer, pending (0 counted,
 * its points at stake) unless left as released ("no response", 0). The text comes from the
 * sanitized notebook, so neither its metadata nor its cell type is the student's to choose, and
 * it never ran in the kernel (markdown). Manual grades are applied later, by write.
 */
export const pendingManual: AutogradeStage = {
  name: "pendingManual",
  run(job) {
    const written = writtenCases(job.ctx.record, job.readError === undefined ? job.notebook : undefined);
    job.cases = inRecordOrder(job.ctx.record, [...job.cases.filter((c) => !written.some((w) => w.id === c.id)), ...written]);
  },
};
