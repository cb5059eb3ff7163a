/** Whether ops record the graph. `noGrad` turns recording off, e.g. for an optimiser's update or
 * for evaluation, where nobody will call backward and the graph would only cost memory. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Run `fn` without recording gradients (PyTorch's `torch.no_grad()`).
 *
 * `fn` must be synchronous. The switch is one flag for the whole program: an async `fn` would leave
 * it off across each `await`, while other code (another cell, a timer, a data loader) runs and
 * silently records nothing, or turn it back on before `fn` has finished. Following an async
 * function across awaits needs AsyncLocalStorage, which browsers do not have and which every op
 * would pay for; so an async `fn` is refused, before it runs, with the way to write it instead.
 */
export function noGrad<T>(fn: () => T): T {
  if (isAsyncFunction(fn)) throw new TypeError(asyncMessage("is an async function"));
  const before = enabled;
  enabled = false;
  let result: T;
  try {
    result = fn();
  } finally {
    enabled = before;
  }
  // A plain function that returned a promise: its synchronous part ran without gradients, but the
  // rest would not. Say so rather than let it pass.
  if (isThenable(result)) throw new TypeError(asyncMessage("returned a promise"));
  return result;
}

function asyncMessage(what: string): string {
  return (
    `noGrad(fn): fn ${what}. noGrad turns gradients off for the whole program while fn runs, so it cannot wait across an await ` +
    "(other code would run without gradients meanwhile). Await outside and keep fn synchronous: " +
    "`const batch = await loader.next(); const out = noGrad(() => model.forward(batch));`."
  );
}

/** The constructor of `async function`s (not a global): an async arrow or method is an instance too. */
const AsyncFunction: unknown = Object.getPrototypeOf(async () => {}).constructor;

function isAsyncFunction(fn: unknown): boolean {
  return fn instanceof (AsyncFunction as new () => unknown);
}

function isThenable(v: unknown): boolean {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}

export function setGradEnabled(on: boolean): void {
  enabled = on;
}
