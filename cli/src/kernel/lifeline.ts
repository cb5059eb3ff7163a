/**
 * The launcher's half of the kernel's lifeline (cli/src/tslab/parent-watch.ts): the kernel gets
 * one end of a socket pair as fd 3, this process keeps the other. However this process ends
 * (SIGKILL, a Ctrl+C during start-up, a test runner giving up), the kernel reads end of file
 * and ends itself, even before it could have noticed its parent changing, and inside the grading
 * sandbox, where pids mean nothing.
 */
import type { ChildProcess, StdioOptions } from "node:child_process";
import { LIFELINE_ENV } from "../tslab/parent-watch";

/** The lifeline's fd in the child: the first after stdin, stdout and stderr. */
const LIFELINE_FD = 3;

type Stdio = Exclude<StdioOptions, string>[number];

/** stdio for spawn(): stdin, stdout and stderr as given, then the lifeline. */
export function lifelineStdio(stdin: Stdio, stdout: Stdio, stderr: Stdio): Stdio[] {
  return [stdin, stdout, stderr, "pipe"];
}

/**
 * The kernel's environment: the lifeline's fd, and JPY_PARENT_PID set to this process as
 * jupyter_client does (replacing one inherited from a notebook this process may run in).
 */
export function withLifelineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, [LIFELINE_ENV]: String(LIFELINE_FD), JPY_PARENT_PID: String(process.pid) };
}

/**
 * Holds this end for the child's life. Whatever the child writes on it is dropped (a sandboxed
 * kernel could write there; nothing here reads it), and it is closed once the child exits, so
 * that a grandchild still holding the kernel's end cannot keep it open.
 */
export function holdLifeline(child: ChildProcess): void {
  const end = child.stdio[LIFELINE_FD];
  if (!end) return;
  end.on("error", () => undefined);
  if ("resume" in end) end.resume();
  child.once("exit", () => end.destroy());
}
