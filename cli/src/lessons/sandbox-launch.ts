/**
 * The grading kernelspec's command (`nnlab-grade`), for a Jupyter Server that starts grading
 * kernels: `node sandbox-launch.js {connection_file}`. It starts the nnlab kernel in the same
 * bubblewrap sandbox as the direct back end and relays the server's five channels to it.
 *
 * Why a relay: the kernel lives in its own network namespace, where the server's TCP ports (or
 * its ipc paths) do not exist. The launcher listens on exactly the endpoints of the server's
 * connection file, outside the sandbox, and forwards each connection byte for byte to the
 * kernel's Unix socket, reached through /proc/<pid>/root (ZMTP is the same over TCP and ipc). Nothing
 * of it is reachable from another sandbox: those have their own network, mount and pid namespaces.
 *
 * The server kills the kernel by signalling the launcher's process group; bwrap is in that group
 * and runs with --die-with-parent, so the whole sandbox goes with it.
 */
import { spawn } from "node:child_process";
import { chownSync, readFileSync } from "node:fs";
import * as net from "node:net";
import { join } from "node:path";
import { writeConnectionFile, type ConnectionInfo } from "../kernel/connection";
import { holdLifeline, lifelineStdio, withLifelineEnv } from "../kernel/lifeline";
import { DEFAULT_SANDBOX_LIMITS, SANDBOX_IPC, giveWorkdir, sandboxArgv, sandboxMode, sandboxRoot, sandboxUserForSlot } from "./sandbox";
import { makeWorkdir } from "./workdir";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Connects to the kernel's socket, retrying while the kernel is still starting (it binds after ≈3 s of setup). */
async function connectInside(path: string, deadline: number): Promise<net.Socket> {
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(path);
        s.once("connect", () => resolve(s));
        s.once("error", reject);
      });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(100);
    }
  }
}

function relay(outside: ConnectionInfo, port: number, insidePath: string, onError: (e: Error) => void): net.Server {
  const server = net.createServer((client) => {
    client.pause();
    connectInside(insidePath, Date.now() + 120_000).then(
      (kernel) => {
        client.pipe(kernel).pipe(client);
        client.resume();
        const end = (): void => {
          client.destroy();
          kernel.destroy();
        };
        client.on("error", end).on("close", end);
        kernel.on("error", end).on("close", end);
      },
      () => client.destroy(),
    );
  });
  // A port taken meanwhile (the usual Jupyter race): the kernel cannot serve; the server sees it die.
  server.on("error", onError);
  if (outside.transport === "ipc") server.listen(`${outside.ip}-${port}`);
  else server.listen(port, outside.ip);
  return server;
}

export async function main(argv: string[]): Promise<number> {
  const connFile = argv[0];
  if (!connFile) {
    process.stderr.write("usage: sandbox-launch.js <connection file>\n");
    return 2;
  }
  const outside = JSON.parse(readFileSync(connFile, "utf8")) as ConnectionInfo;
  const mode = sandboxMode();
  // Root mode: one launcher per kernel, so the launcher's pid makes the uid the kernel's own.
  const user = mode === "root" ? sandboxUserForSlot(0) : undefined;
  const workdir = makeWorkdir([]);
  if (user) giveWorkdir(workdir.path, user);
  // The kernel's own connection file: the server's key, Unix sockets in the sandbox's /run.
  const inside: ConnectionInfo = {
    ...outside,
    transport: "ipc",
    ip: SANDBOX_IPC,
    shell_port: 1,
    iopub_port: 2,
    stdin_port: 3,
    control_port: 4,
    hb_port: 5,
  };
  const innerFile = writeConnectionFile(inside, workdir.path);
  if (user) chownSync(innerFile, user.uid, user.gid);
  const cmd = sandboxArgv({ mode, user, hostDir: workdir.path, limits: DEFAULT_SANDBOX_LIMITS }, innerFile);
  const child = spawn(cmd[0], cmd.slice(1), {
    cwd: workdir.path,
    // The lifeline ends the kernel if this launcher dies, even before bwrap's --die-with-parent
    // is in force (bwrap sets it a moment after it starts, and a parent dead by then goes unnoticed).
    env: withLifelineEnv({ PATH: "/usr/bin:/bin", TZ: "UTC", LANG: "C.UTF-8", LC_ALL: "C.UTF-8" }),
    stdio: lifelineStdio("ignore", "inherit", "inherit"),
  });
  holdLifeline(child);
  const exited = new Promise<number>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1)));
    child.on("error", () => resolve(127));
  });
  const stop = (): void => {
    child.kill("SIGKILL");
  };
  for (const sig of ["SIGTERM", "SIGHUP"] as const) process.on(sig, stop);
  // Interrupts come as interrupt_request on the control channel (interrupt_mode "message").
  process.on("SIGINT", () => undefined);
  const servers: net.Server[] = [];
  try {
    const root = await sandboxRoot(child.pid!);
    const channels: [number, number][] = [
      [outside.shell_port, 1],
      [outside.iopub_port, 2],
      [outside.stdin_port, 3],
      [outside.control_port, 4],
      [outside.hb_port, 5],
    ];
    for (const [port, n] of channels)
      servers.push(
        relay(outside, port, join(root, `${SANDBOX_IPC}-${n}`), (e) => {
          process.stderr.write(`nnlab-grade kernel: cannot listen on the server's endpoint for port ${port}: ${e.message}\n`);
          stop();
        }),
      );
  } catch (e) {
    process.stderr.write(`nnlab-grade kernel: the sandbox did not start: ${(e as Error).message}\n`);
    stop();
  }
  const code = await exited;
  for (const s of servers) s.close();
  workdir.remove();
  return code;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`nnlab-grade kernel: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
