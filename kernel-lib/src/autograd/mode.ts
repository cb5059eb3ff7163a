/** Whether ops record the graph. `noGrad` turns recording off, e.g. for an optimiser's update or
 * for evaluation, where nobody will call backward and the graph would only cost memory. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Run `fn` without recording gradients (PyTorch's `torch.no_grad()`). Works for async functions too. */
export function noGrad<T>(fn: () => T): T {
  const before = enabled;
  enabled = false;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    enabled = before;
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      enabled = before;
    }) as unknown as T;
  }
  enabled = before;
  return result;
}

export function setGradEnabled(on: boolean): void {
  enabled = on;
}
