/**
 * What spawnJupyter's comment says about kernels and the process group, checked on a real
 * Jupyter Server running the real nnlab kernel: the kernel is outside the server's process
 * group (a group signal does not reach it), yet it ends once the server is killed; and stop()
 * ends it through the REST API.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeKernelspec } from "../../cli/src/kernel/kernelspec";
import { jupyterServerAvailable, spawnJupyter, type JupyterServer } from "../../cli/src/kernel/spawn-jupyter";
import { kernelEntryBuilt, repoRoot } from "./protocol-cases";
import { ended, procStat, processesNaming, until } from "./processes";

const available = jupyterServerAvailable() && process.platform === "linux";
if (!available)
  console.log("spawnJupyter tests skipped: needs Linux and /usr/bin/python3 with jupyter_server (apt-get install python3-jupyter-server)");

const tmp = join(repoRoot, "test", ".tmp", "spawn-jupyter");

/** The pid of the kernel started for `kernelId`: the process whose command line names its connection file. */
function kernelPid(kernelId: string): number | undefined {
  return processesNaming(`kernel-${kernelId}.json`)[0]?.pid;
}

/** Whether something listens on the port (the kernel binds its sockets once its parent watch is set). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: "127.0.0.1", port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.on("error", () => resolve(false));
  });
}

/** Starts an nnlab kernel through the server; resolves with its pid once its shell socket is bound. */
async function startKernel(server: JupyterServer): Promise<number> {
  const res = await fetch(`${server.url}/api/kernels`, {
    method: "POST",
    headers: { Authorization: `token ${server.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "nnlab" }),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const pid = await until("the kernel process to appear", 30_000, () => kernelPid(id));
  const connectionFile = readFileSync(`/proc/${pid}/cmdline`, "utf8")
    .split("\0")
    .find((a) => a.endsWith(`kernel-${id}.json`))!;
  const { shell_port } = JSON.parse(readFileSync(connectionFile, "utf8")) as { shell_port: number };
  for (const deadline = Date.now() + 60_000; !(await listening(shell_port)); ) {
    if (Date.now() > deadline) throw new Error(`kernel ${id}: shell port ${shell_port} not bound within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return pid;
}

describe.skipIf(!available || !kernelEntryBuilt)("spawnJupyter: kernels and the server's process group", () => {
  let server: JupyterServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function spawnServer(): Promise<JupyterServer> {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, "root"), { recursive: true });
    writeKernelspec(join(tmp, "jupyter"));
    server = await spawnJupyter({ module: "jupyter_server", rootDir: join(tmp, "root"), jupyterPath: join(tmp, "jupyter") });
    return server;
  }

  it("a kernel is outside the server's process group, yet ends once the whole group is killed", async () => {
    const s = await spawnServer();
    const serverPid = s.process.pid!;
    const pid = await startKernel(s);
    expect(procStat(serverPid)?.pgrp).toBe(serverPid);
    // jupyter_client starts each kernel in a session of its own: a group signal misses it.
    expect(procStat(pid)?.pgrp).not.toBe(serverPid);
    const exited = new Promise((r) => s.process.once("exit", r));
    process.kill(-serverPid, "SIGKILL");
    await exited;
    // The kernel notices that its parent is gone (its ppid changes) and ends itself.
    await until("the orphaned kernel to end", 15_000, () => ended(pid));
  }, 90_000);

  it("stop() ends the kernels through the REST API", async () => {
    const s = await spawnServer();
    const pid = await startKernel(s);
    await s.stop();
    server = undefined;
    expect(ended(pid)).toBe(true);
  }, 90_000);
});
