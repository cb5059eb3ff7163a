/**
 * Looking at processes through /proc (Linux), for tests that check that a kernel ended.
 */
import { readdirSync, readFileSync } from "node:fs";

/** State and process group from /proc/<pid>/stat (the command name may hold spaces: parse after its ")"). */
export function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state!, pgrp: Number(pgrp) };
  } catch {
    return undefined;
  }
}

/** Gone, or a zombie nobody reaped yet (it runs no code and holds no sockets). */
export function ended(pid: number): boolean {
  const s = procStat(pid);
  return s === undefined || s.state === "Z" || s.state === "X";
}

/** Live processes whose command line contains `text`, with that command line (NULs as spaces). */
export function processesNaming(text: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(text) && !ended(Number(entry))) found.push({ pid: Number(entry), cmdline: cmdline.split("\0").join(" ").trim() });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Polls `probe` every 100 ms until it gives a value; throws naming `what` after `ms`. */
export async function until<T>(what: string, ms: number, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
