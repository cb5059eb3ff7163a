/**
 * The kernels `nnlab grade` starts: sandboxed (the default; see sandbox.ts) or, with
 * --unsafe-no-sandbox, plain kernels running as the grader's own user.
 */
import { chownSync } from "node:fs";
import { DirectKernelClient } from "../kernel/direct";
import type { KernelFactory } from "./grade";
import {
  DEFAULT_SANDBOX_LIMITS,
  SANDBOX_IPC,
  type SandboxLimits,
  type SandboxMode,
  giveWorkdir,
  sandboxArgv,
  sandboxMode,
  sandboxRoot,
  sandboxUserForSlot,
} from "./sandbox";

export function sandboxedKernelFactory(limits: Partial<SandboxLimits> = {}, mode: SandboxMode = sandboxMode()): KernelFactory {
  const l = { ...DEFAULT_SANDBOX_LIMITS, ...limits };
  return ({ cwd, env, slot }) => {
    const user = mode === "root" ? sandboxUserForSlot(slot ?? 0) : undefined;
    if (user) giveWorkdir(cwd, user);
    return new DirectKernelClient({
      cwd,
      env,
      argv: sandboxArgv({ mode, user, hostDir: cwd, limits: l }),
      connectionDir: cwd,
      onConnectionFile: user ? (f) => chownSync(f, user.uid, user.gid) : undefined,
      ipc: { path: SANDBOX_IPC, root: sandboxRoot },
      warmUp: true,
      // Our own kernel behind a wrapper: interrupt by message (a SIGINT would reach bwrap), and
      // it publishes all output before idle.
      interruptMode: "message",
      quietMs: 0,
      // Under load a right answer stays right: a cell's limit counts the CPU it got, not the
      // time it waited for a core (wall time capped at 3× the limit).
      cpuTimeout: { wallFactor: 3 },
    });
  };
}

/** Trusted input only: the kernel runs as the grader's user, with the memory caps and nothing else. */
export function unsandboxedKernelFactory(limits: Partial<SandboxLimits> = {}): KernelFactory {
  const l = { ...DEFAULT_SANDBOX_LIMITS, ...limits };
  return ({ cwd, env }) => new DirectKernelClient({ cwd, env, maxOldSpaceMb: l.maxOldSpaceMb, addressSpaceKb: l.addressSpaceKb });
}
