/**
 * The direct back end (ZeroMQ, own kernel process) against the real nnlab kernel.
 * Needs `npm run build` (cli/dist/tslab/kernel.js). Two kernels are started per run plus the
 * restarts the kill/death cases cause. A kernel whose client dies: orphan.test.ts.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as zmq from "zeromq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectKernelClient } from "../../cli/src/kernel/direct";
import { backendInfo } from "../../kernel-lib/src/kernels/backend";
import { makeMessage, type Message } from "../../cli/src/tslab/wire";
import { defineProtocolCases, kernelEntryBuilt, repoRoot, resultData, streamText } from "./protocol-cases";

async function pingHeartbeat(client: DirectKernelClient): Promise<string> {
  const conn = (client as unknown as { proc: { conn: { ip: string; hb_port: number } } }).proc.conn;
  const sock = new zmq.Request({ linger: 0, receiveTimeout: 3000 });
  sock.connect(`tcp://${conn.ip}:${conn.hb_port}`);
  try {
    await sock.send("ping");
    const [reply] = await sock.receive();
    return reply.toString();
  } finally {
    sock.close();
  }
}

const cwd = join(repoRoot, "test", ".tmp", "kernel-direct");

interface ProcInternals {
  session: string;
  listeners: Map<string, (msg: Message, channel: string) => void>;
  send(channel: "shell", msg: Message, listener: (msg: Message, channel: string) => void): void;
}

/** One shell request through the client's own sockets, resolving with its reply's content. */
function shellRequest(client: DirectKernelClient, msgType: string, content: Record<string, unknown>): Promise<Record<string, unknown>> {
  const proc = (client as unknown as { proc: ProcInternals }).proc;
  const msg = makeMessage(proc.session, msgType, content);
  return new Promise((resolve) => {
    proc.send("shell", msg, (m, channel) => {
      if (channel !== "shell") return;
      proc.listeners.delete(msg.header.msg_id);
      resolve(m.content);
    });
  });
}

function directHelpers(client: () => DirectKernelClient) {
  return {
    sendQueued: async (codes: string[], stopOnError: boolean) => {
      const replies = codes.map((code) =>
        shellRequest(client(), "execute_request", {
          code,
          silent: false,
          store_history: true,
          user_expressions: {},
          allow_stdin: false,
          stop_on_error: stopOnError,
        }),
      );
      return (await Promise.all(replies)).map((c) => String(c.status));
    },
    complete: async (code: string, cursorPos: number) => {
      const reply = await shellRequest(client(), "complete_request", { code, cursor_pos: cursorPos });
      return (reply.matches as string[]) ?? [];
    },
  };
}

describe.skipIf(!kernelEntryBuilt)("DirectKernelClient protocol", () => {
  let client: DirectKernelClient;
  beforeAll(async () => {
    mkdirSync(cwd, { recursive: true });
    // SIGINT here (what Jupyter does with interrupt_mode "signal"); the specifics suite below
    // uses the default for our kernel, interrupt_request.
    client = new DirectKernelClient({ cwd, interruptGraceMs: 2000, interruptMode: "signal" });
    await client.start();
  });
  afterAll(async () => {
    await client?.shutdown();
  });

  defineProtocolCases(() => client, { deathReason: /^kernel died \(exit 3\)$/, ...directHelpers(() => client) });
});

describe.skipIf(!kernelEntryBuilt)("DirectKernelClient specifics", () => {
  let client: DirectKernelClient;
  const kernelLog: string[] = [];
  beforeAll(async () => {
    mkdirSync(cwd, { recursive: true });
    client = new DirectKernelClient({ cwd, onKernelLog: (l) => kernelLog.push(l) });
    await client.start();
  });
  afterAll(async () => {
    await client?.shutdown();
  });

  it("the kernel runs in the given cwd and reports its language", async () => {
    const r = await client.execute(`process.cwd()`);
    expect(resultData(r)).toEqual({ "text/plain": `'${cwd}'` });
    expect(client.kernelInfo).toMatchObject({ protocol_version: "5.3", language_info: { name: "typescript" } });
  });

  it("a folder appearing in the notebook's folder between cells does not break the next cell", async () => {
    // TypeScript watches failed module lookups (node_modules/@types under the cwd); tslab's single
    // timer slot made the next cell fail with "Unexpected pending rebuildTimer".
    expect((await client.execute(`const beforeFolder = 1`)).status).toBe("ok");
    mkdirSync(join(cwd, "node_modules", "@types", `appeared-${Date.now()}`), { recursive: true });
    await new Promise((r) => setTimeout(r, 1500));
    const r = await client.execute(`beforeFolder + 1`);
    expect(r.status).toBe("ok");
    expect(resultData(r)).toEqual({ "text/plain": "2" });
  });

  it("the banner names nnlab's matrix back end, the one this machine loads", () => {
    const banner = String((client.kernelInfo as { banner?: unknown }).banner);
    const info = backendInfo();
    if (info.backend === "blas") expect(banner).toContain(`matrix products: BLAS ${info.library} from ${info.path}`);
    else expect(banner).toContain("matrix products: nnlab WebAssembly kernels");
  });

  it("heartbeat answers and interrupt_request stops a busy loop (both served by the kernel's control thread)", async () => {
    await client.execute(`let before = "kept";`);
    let sent = false;
    let echo: Promise<string> | undefined;
    const r = await client.execute(`console.log("busy");\nwhile (true) {}`, {
      timeoutMs: 60_000,
      onOutput: (o) => {
        if (!sent && o.output_type === "stream") {
          sent = true;
          // The main thread is stuck in the loop now; only the control thread can answer.
          echo = pingHeartbeat(client).finally(() => void client.interrupt("message"));
        }
      },
    });
    expect(await echo).toBe("ping");
    expect(r.status, JSON.stringify(r)).toBe("error");
    expect(r.evalue).toMatch(/interrupted by `SIGINT`/);
    expect(resultData(await client.execute(`before`))).toEqual({ "text/plain": "'kept'" });
  });

  it("an interrupt that arrives while the cell is still compiling stops it before it runs", async () => {
    // A long cell keeps the type checker busy for a second or more; the loop at its end must never start.
    const decls = Array.from({ length: 400 }, (_, i) => `const c${i}: { a: number; b: string[] } = { a: ${i}, b: ["x"] };`);
    const t0 = Date.now();
    let started: number | null | undefined;
    // execute_input is sent just before type-checking starts; the interrupt lands during it.
    const r = await client.execute([...decls, "while (true) {}"].join("\n"), {
      timeoutMs: 60_000,
      onStart: (count) => {
        started = count;
        void client.interrupt();
      },
    });
    expect(typeof started).toBe("number");
    expect(r.status, JSON.stringify({ ...r, outputs: undefined })).toBe("error");
    expect(r.evalue).toBe("Script execution was interrupted (during compilation, before the cell ran)");
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it("a timeout that the interrupt can stop keeps the state (status timeout, reason says so)", async () => {
    const pid = client.pid;
    // Compilation takes well under 5 s even on a loaded machine; SIGINT then hits the loop.
    const r = await client.execute(`while (true) {}`, { timeoutMs: 5000 });
    expect(r.status, JSON.stringify(r)).toBe("timeout");
    expect(r.reason).toBe("timeout after 5 s (interrupted; kernel state kept)");
    expect(r.ename).toBe("Error");
    expect(client.pid).toBe(pid);
    expect(resultData(await client.execute(`before`))).toEqual({ "text/plain": "'kept'" });
  });

  it("inspect on a class shows its constructor signature; {@link X} in a doc reads as X", async () => {
    const r = await client.execute(`import { Linear, fitSync } from "nnlab";`);
    expect(r.status, JSON.stringify(r)).toBe("ok");
    const inspect = async (code: string): Promise<string> => {
      const reply = await shellRequest(client, "inspect_request", { code, cursor_pos: code.length, detail_level: 0 });
      return String((reply.data as Record<string, unknown>)["text/plain"]);
    };
    expect(await inspect("Linear")).toBe("class Linear\nnew Linear(inFeatures: number, outFeatures: number, options?: LinearOptions): Linear");
    const doc = await inspect("fitSync");
    expect(doc).toContain("The same loop as fit, run");
    expect(doc).not.toContain("{@link");
  });

  it("console.error goes to stderr and is not a failure", async () => {
    const r = await client.execute(`console.error("careful"); 7`);
    expect(r.status).toBe("ok");
    expect(streamText(r, "stderr")).toBe("careful\n");
    expect(resultData(r)).toEqual({ "text/plain": "7" });
  });

  it("output written by an earlier cell's timer lands in the request running at that time", async () => {
    // Wide margins: B must have started before A's timer fires, and still run when it does, even
    // on a loaded two-core machine.
    await client.execute(`setTimeout(() => console.log("late from A"), 1500);`);
    const b = await client.execute(`await new Promise((r) => setTimeout(r, 5000)); "B"`);
    expect(streamText(b)).toContain("late from A");
  });

  it("shutdown ends even a kernel stuck in a loop (its control thread terminates it) and removes the connection file", async () => {
    const proc = (client as unknown as { proc: { connFile: string; child: { pid: number }; exit: { signal: string | null } | null } }).proc;
    const file = proc.connFile;
    expect(existsSync(file)).toBe(true);
    // The cell finishes; 200 ms later a timer blocks the main thread for good.
    const r = await client.execute(`setTimeout(() => { while (true) {} }, 200); "armed"`);
    expect(r.status).toBe("ok");
    await new Promise((resolve) => setTimeout(resolve, 600));
    const t0 = Date.now();
    await client.shutdown();
    // SIGTERM from the kernel's own control thread after 1.5 s, before the client's 3 s SIGKILL.
    // (the signal itself proves the order; the time bound only catches a hang, with headroom for load)
    expect(proc.exit?.signal).toBe("SIGTERM");
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(client.alive).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(() => process.kill(proc.child.pid, 0)).toThrow();
  });
});
