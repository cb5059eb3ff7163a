/**
 * tslab's converter gives TypeScript's watch program a single timer slot: it throws "Unexpected
 * pending rebuildTimer" when TypeScript asks for a second timer while one waits, and fires the
 * waiting one itself at the next cell. A file event between cells (TypeScript then schedules
 * work of its own) made every later cell of that kernel fail, so that a grading kernel lost all
 * its remaining cases (seen in the lesson gate). Here every timer TypeScript asks for while one is
 * pending joins that one, and tslab's firing runs them all in order; clearing one removes only it.
 * A timer asked for while they run waits for the next turn (tslab frees its slot only after).
 */
type Callback = (...args: unknown[]) => void;
export interface TimerHost {
  setTimeout?: ((callback: Callback, ms: number, ...args: unknown[]) => unknown) | undefined;
  clearTimeout?: ((handle: unknown) => void) | undefined;
}

export function shareOneTimer(host: TimerHost): void {
  const set = host.setTimeout;
  const clear = host.clearTimeout;
  if (!set || !clear) return;
  interface Slot {
    handle: unknown;
    jobs: Map<object, () => void>;
  }
  let slot: Slot | null = null;
  let running = false;
  const later: [object, () => void, number][] = [];

  const open = (token: object, job: () => void, ms: number): void => {
    const current: Slot = { handle: undefined, jobs: new Map([[token, job]]) };
    slot = current;
    current.handle = set.call(
      host,
      () => {
        if (slot === current) slot = null;
        running = true;
        try {
          for (const run of current.jobs.values()) run();
        } finally {
          running = false;
        }
        if (later.length > 0) queueMicrotask(flushLater);
      },
      ms,
    );
  };
  const flushLater = (): void => {
    for (const [token, job, ms] of later.splice(0)) {
      if (slot) slot.jobs.set(token, job);
      else open(token, job, ms);
    }
  };

  host.setTimeout = (callback: Callback, ms: number, ...args: unknown[]): unknown => {
    const token = {};
    const job = (): void => callback(...args);
    if (running) later.push([token, job, ms]);
    else if (slot) slot.jobs.set(token, job);
    else open(token, job, ms);
    return token;
  };
  host.clearTimeout = (token: unknown): void => {
    const i = later.findIndex(([t]) => t === token);
    if (i >= 0) later.splice(i, 1);
    const current: Slot | null = slot;
    if (!current?.jobs.delete(token as object)) return;
    if (current.jobs.size === 0) {
      slot = null;
      clear.call(host, current.handle);
    }
  };
}
