/**
 * Grading pass 1, "sanitize" (nbgrader autograde's first list): from whatever the student
 * handed in to the notebook that will run. Order matters: ids are deduplicated before cells are
 * matched by them, metadata is checked last, against the repaired cells.
 */
import type { Notebook } from "./format/notebook";
import { type Stage, requireBefore, runStages } from "./pipeline";
import type { ReleaseRecord } from "./record";
import { checkMetadataLenient } from "./stages/check-metadata";
import { clearOutput } from "./stages/clear-output";
import type { SanitizeContext } from "./stages/context";
import { dedupeIds } from "./stages/dedupe-ids";
import { overwriteKernelspec } from "./stages/overwrite-kernelspec";
import { rebuildFromRecord } from "./stages/rebuild-from-record";

export const SANITIZE_STAGES: readonly Stage<SanitizeContext>[] = [
  clearOutput,
  dedupeIds,
  overwriteKernelspec,
  rebuildFromRecord,
  checkMetadataLenient,
];
requireBefore(SANITIZE_STAGES, "dedupeIds", "rebuildFromRecord");
requireBefore(SANITIZE_STAGES, "rebuildFromRecord", "checkMetadata");

export function sanitize(nb: Notebook, record: ReleaseRecord, file: string): { notebook: Notebook; warnings: string[] } {
  const ctx: SanitizeContext = { file, record, warnings: [] };
  const notebook = runStages(SANITIZE_STAGES, nb, ctx);
  return { notebook, warnings: ctx.warnings };
}
