/**
 * Running a grading kernel as an unprivileged user (when the grader runs as root and util-linux
 * `setpriv` exists): the kernel can then read only what "nobody" may read, so a lesson folder,
 * a submissions folder and an output folder kept at mode 0700 are out of its reach, whatever
 * paths the student guesses. The wrapper copies the connection file into the kernel's own
 * folder (the original is 0600 root), applies the address-space cap, and `exec`s down to node so
 * the client's SIGINT and kill still reach the kernel itself.
 */
import { chownSync, existsSync, lchownSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { addressSpaceNodeFlags, kernelEntry } from "../kernel/kernelspec";

export interface SandboxUser {
  uid: number;
  gid: number;
}

const SETPRIV = "/usr/bin/setpriv";
export const NOBODY: SandboxUser = { uid: 65534, gid: 65534 };

/** The user kernels should run as, or undefined when this process cannot switch users. */
export function defaultSandboxUser(): SandboxUser | undefined {
  return process.getuid?.() === 0 && existsSync(SETPRIV) ? NOBODY : undefined;
}

/** Hand the private working directory (and its files) to the sandbox user. */
export function giveWorkdir(dir: string, user: SandboxUser): void {
  chownSync(dir, user.uid, user.gid);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    lchownSync(p, user.uid, user.gid);
    if (name === "node_modules") for (const inner of readdirSync(p)) lchownSync(join(p, inner), user.uid, user.gid);
  }
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function sandboxArgv(cwd: string, user: SandboxUser, limits: { maxOldSpaceMb: number; addressSpaceKb: number }): string[] {
  const conn = join(cwd, ".kernel-connection.json");
  const script = [
    `cp "$0" ${q(conn)}`,
    `chown ${user.uid}:${user.gid} ${q(conn)}`,
    `ulimit -v ${limits.addressSpaceKb}`,
    `exec ${SETPRIV} --reuid=${user.uid} --regid=${user.gid} --clear-groups -- ${q(process.execPath)} --max-old-space-size=${limits.maxOldSpaceMb} ${addressSpaceNodeFlags().join(" ")} ${q(kernelEntry())} --config-path ${q(conn)}`,
  ].join(" && ");
  return ["sh", "-c", script, "{connection_file}"];
}
