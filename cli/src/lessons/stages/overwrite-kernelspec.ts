import type { Stage } from "../pipeline";
import type { SanitizeContext } from "./context";

/** nbgrader OverwriteKernelspec: a submission saved under python3 still runs in the nnlab kernel. */
export const overwriteKernelspec: Stage<SanitizeContext> = {
  name: "overwriteKernelspec",
  run(nb, ctx) {
    const want = ctx.record.kernelspec;
    const have = nb.metadata.kernelspec;
    if (!have || have.name !== want.name || have.language !== want.language) {
      ctx.warnings.push(`kernelspec ${have ? JSON.stringify(have.name) : "(missing)"} replaced by the release's "${want.name}"`);
    }
    nb.metadata.kernelspec = { ...want };
    return nb;
  },
};
