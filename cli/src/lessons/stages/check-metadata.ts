import { checkCellMetadata } from "../format/nbgrader-meta";
import type { Stage } from "../pipeline";
import type { ReleaseContext, SanitizeContext } from "./context";

/** nbgrader CheckCellMetadata: schema 3 plus its cross-field rules; strict at release. */
export const checkMetadataStrict: Stage<ReleaseContext> = {
  name: "checkMetadata",
  run(nb, ctx) {
    const { errors, warnings } = checkCellMetadata(nb.cells, "strict");
    ctx.warnings.push(...warnings.map((w) => w.message));
    if (errors.length > 0) {
      throw new Error(`${ctx.file}: invalid nbgrader metadata:\n  ${errors.map((e) => e.message).join("\n  ")}`);
    }
    return nb;
  },
};

/** At grading the record is authoritative: anything still invalid is a warning, never a crash. */
export const checkMetadataLenient: Stage<SanitizeContext> = {
  name: "checkMetadata",
  run(nb, ctx) {
    const { errors, warnings } = checkCellMetadata(nb.cells, "repair");
    ctx.warnings.push(...warnings.map((w) => w.message), ...errors.map((e) => e.message));
    return nb;
  },
};
