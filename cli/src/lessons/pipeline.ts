/**
 * A pipeline is an ordered list of small named stages, each `(nb, ctx) => nb`, as nbgrader's
 * preprocessor lists. Stages share a typed context instead of an untyped resources dict, and
 * order constraints are asserted in code (see `requireBefore`).
 */
import type { Notebook } from "./format/notebook";

export interface Stage<C> {
  readonly name: string;
  run(nb: Notebook, ctx: C): Notebook;
}

export interface Diagnostics {
  warnings: string[];
}

export function runStages<C extends Diagnostics>(stages: readonly Stage<C>[], nb: Notebook, ctx: C): Notebook {
  let current = nb;
  for (const stage of stages) {
    try {
      current = stage.run(current, ctx);
    } catch (e) {
      const err = e as Error;
      err.message = `[${stage.name}] ${err.message}`;
      throw err;
    }
  }
  return current;
}

/** Throw at pipeline construction when `first` does not come before `second`. */
export function requireBefore(stages: readonly { readonly name: string }[], first: string, second: string): void {
  const a = stages.findIndex((s) => s.name === first);
  const b = stages.findIndex((s) => s.name === second);
  if (a < 0 || b < 0 || a > b) throw new Error(`pipeline order: "${first}" must run before "${second}"`);
}
