/**
 * CPU time of a process and all its descendants, from /proc (Linux): what a cell has really
 * run, as opposed to how long it waited for a core on a busy machine.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux build that matters). */
const TICKS_PER_SECOND = 100;

function ownTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces and parentheses): utime is the 14th field.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(rest[11]) + Number(rest[12]);
}

function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  let tasks: string[] = [];
  try {
    // Children started from other threads are listed under those threads.
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return kids;
  }
  for (const t of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/)) if (c) kids.push(Number(c));
    } catch {
      // thread gone
    }
  }
  return kids;
}

/** Milliseconds of CPU (user + system) used by `pid` and its live descendants; undefined when unreadable. */
export function treeCpuMs(pid: number): number | undefined {
  let ticks = 0;
  const seen = new Set<number>();
  const stack = [pid];
  try {
    ticks += ownTicks(pid);
  } catch {
    return undefined;
  }
  seen.add(pid);
  while (stack.length > 0) {
    const p = stack.pop()!;
    for (const c of childrenOf(p)) {
      if (seen.has(c)) continue;
      seen.add(c);
      try {
        ticks += ownTicks(c);
        stack.push(c);
      } catch {
        // exited meanwhile
      }
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
