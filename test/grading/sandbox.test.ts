/**
 * The grading sandbox's own tests: a real kernel started exactly as `nnlab grade` starts one
 * (sandboxedKernelFactory), each probe expecting a refusal. A second kernel is the neighbour
 * that must stay out of reach.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DirectKernelClient } from "../../cli/src/kernel/direct";
import { kernelEntry } from "../../cli/src/kernel/kernelspec";
import { sandboxedKernelFactory } from "../../cli/src/lessons/kernels";
import { sandboxProblem } from "../../cli/src/lessons/sandbox";
import { kernelEnv, makeWorkdir, removeLeftovers, type Workdir } from "../../cli/src/lessons/workdir";
import { MINI } from "./helpers";

const built = existsSync(kernelEntry());
const problem = built ? sandboxProblem() : "the kernel is not built (npm run build)";
if (problem) console.log(`sandbox tests skipped: ${problem}`);

function textOf(r: { outputs: { output_type: string; text?: string }[] }): string {
  return r.outputs.map((o) => (o.output_type === "stream" ? o.text : "")).join("");
}

/** The host pid of the node kernel: bwrap → its pid-namespace init → node. */
function kernelHostPid(bwrapPid: number): number {
  const init = Number(readFileSync(`/proc/${bwrapPid}/task/${bwrapPid}/children`, "utf8").trim().split(/\s+/)[0]);
  return Number(readFileSync(`/proc/${init}/task/${init}/children`, "utf8").trim().split(/\s+/)[0]);
}

describe.skipIf(!!problem)("the grading sandbox refuses", () => {
  const factory = sandboxedKernelFactory();
  const dirs: Workdir[] = [];
  let a: DirectKernelClient;
  let b: DirectKernelClient;
  let listener: Server;
  let port = 0;
  let connections = 0;

  const start = async (slot: number): Promise<DirectKernelClient> => {
    const w = makeWorkdir([join(MINI, "source.ipynb")]);
    dirs.push(w);
    const k = factory({ cwd: w.path, env: kernelEnv(w.path), slot }) as DirectKernelClient;
    await k.start();
    return k;
  };
  const run = async (k: DirectKernelClient, code: string, timeoutMs = 30_000) => {
    const r = await k.execute(code, { timeoutMs, maxOutputBytes: 100_000 });
    return { ...r, text: textOf(r) };
  };

  beforeAll(async () => {
    listener = createServer((s) => {
      connections++;
      s.end("hello");
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    port = (listener.address() as { port: number }).port;
    [a, b] = await Promise.all([start(0), start(1)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.shutdown(), b?.shutdown()]);
    listener?.close();
    for (const w of dirs) w.remove();
  });

  it("reading the lesson's expected.json by its absolute path (it is not mounted)", async () => {
    const path = join(MINI, "expected.json");
    expect(existsSync(path)).toBe(true);
    const r = await run(
      a,
      `import * as fs from "fs";\ntry { console.log("READ " + fs.readFileSync(${JSON.stringify(path)}, "utf8").length); } catch (e) { console.log("REFUSED " + (e as NodeJS.ErrnoException).code); }`,
    );
    expect(r.status).toBe("ok");
    expect(r.text).toMatch(/^REFUSED ENOENT/);
  });

  it("connecting to a listener on the host's 127.0.0.1 (own network namespace)", async () => {
    const r = await run(
      a,
      `import * as net from "net";
await new Promise<void>((resolve) => {
  const s = net.connect(${port}, "127.0.0.1");
  s.on("data", (d) => { console.log("CONNECTED " + d); resolve(); });
  s.on("error", (e) => { console.log("REFUSED " + (e as NodeJS.ErrnoException).code); resolve(); });
  setTimeout(() => { console.log("REFUSED timeout"); s.destroy(); resolve(); }, 3000);
});`,
    );
    expect(r.text).toMatch(/^REFUSED (ECONNREFUSED|ENETUNREACH|timeout)/);
    expect(connections).toBe(0);
  });

  it("signalling another kernel (own pid namespace): it cannot be seen or killed", async () => {
    const other = kernelHostPid(b.pid!);
    expect(existsSync(`/proc/${other}`)).toBe(true);
    const r = await run(
      a,
      `try { process.kill(${other}, "SIGKILL"); console.log("SIGNALLED"); } catch (e) { console.log("REFUSED " + (e as NodeJS.ErrnoException).code); }
import * as fs from "fs";
console.log("PIDS " + fs.readdirSync("/proc").filter((n) => /^\\d+$/.test(n)).join(","));`,
    );
    expect(r.text).toMatch(/^REFUSED (ESRCH|EPERM)/);
    // Only its own namespace's processes: pid 1 (bwrap's init) and the kernel.
    const pids = /PIDS ([\d,]+)/.exec(r.text)![1].split(",").map(Number);
    expect(pids.length).toBeLessThan(5);
    expect(pids).toContain(1);
    const alive = await run(b, "6 * 7");
    expect(alive.status).toBe("ok");
  });

  it("forking 200 processes (RLIMIT_NPROC)", async () => {
    const r = await run(
      a,
      `import { spawn } from "child_process";
let ok = 0, refused = 0;
const codes = new Set<string>();
const kids = [];
for (let i = 0; i < 200; i++) {
  const c = spawn("/usr/bin/sleep", ["30"]);
  c.on("spawn", () => ok++);
  c.on("error", (e) => { refused++; codes.add((e as NodeJS.ErrnoException).code ?? "?"); });
  kids.push(c);
}
await new Promise((r) => setTimeout(r, 2000));
console.log("STARTED " + ok + " REFUSED " + refused + " " + [...codes].join(","));
for (const c of kids) c.kill("SIGKILL");`,
      60_000,
    );
    const m = /STARTED (\d+) REFUSED (\d+) (\S*)/.exec(r.text);
    expect(m, r.text + (r.reason ?? "")).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(128);
    expect(Number(m![2])).toBeGreaterThan(0);
    expect(m![3]).toMatch(/EAGAIN/);
  });

  it("time limits count CPU time: a cell that only waits past its limit finishes (up to 3× in wall time), a busy loop is stopped", async () => {
    const waiting = await run(a, `await new Promise((r) => setTimeout(r, 1500)); console.log("WAITED");`, 1000);
    expect(waiting.status, waiting.reason).toBe("ok");
    expect(waiting.text).toContain("WAITED");
    const busy = await run(a, "while (true) {}", 1000);
    expect(busy.status).toBe("timeout");
    expect(busy.reason).toMatch(/^timeout after 1 s/);
    expect(busy.durationMs).toBeLessThan(3000 + 10_000);
    const after = await run(a, "6 * 7");
    expect(after.status).toBe("ok");
  });

  it("writing 1 GB, to the home folder or to /tmp (RLIMIT_FSIZE, tmpfs sizes); the host disk gets nothing", async () => {
    const r = await run(
      a,
      `import * as fs from "fs";
const chunk = Buffer.alloc(16 * 1024 * 1024, 1);
for (const f of ["big-home.bin", "/tmp/big.bin"]) {
  let written = 0;
  try {
    const fd = fs.openSync(f, "w");
    try { while (written < 1024 ** 3) written += fs.writeSync(fd, chunk); } finally { fs.closeSync(fd); }
    console.log("WROTE " + f + " " + written);
  } catch (e) { console.log("REFUSED " + f + " " + (e as NodeJS.ErrnoException).code + " after " + written); }
  try { fs.unlinkSync(f); } catch {}
}`,
      60_000,
    );
    const refusals = r.text.match(/REFUSED \S+ (EFBIG|ENOSPC) after (\d+)/g) ?? [];
    expect(refusals, r.text + (r.reason ?? "")).toHaveLength(2);
    for (const line of refusals) expect(Number(line.split(" ").pop())).toBeLessThanOrEqual(128 * 1024 * 1024);
    expect(r.text).not.toContain("WROTE");
    // The kernel's writable home is its own tmpfs: the host work folder did not change.
    for (const w of dirs) expect(existsSync(join(w.path, "big-home.bin"))).toBe(false);
  });
});

describe("leftovers of a killed grader", () => {
  it("removes work folders and connection files whose grader pid is gone, keeps those of live ones", () => {
    const tmp = mkdtempSync(join(tmpdir(), "nnlab-test-leftovers-"));
    const dead = 2 ** 22 + 12345; // above pid_max's default ceiling: never a live pid
    mkdirSync(join(tmp, `nnlab-grade-${dead}-AbC123`));
    writeFileSync(join(tmp, `nnlab-grade-${dead}-AbC123`, "key.json"), "{}");
    writeFileSync(join(tmp, `nnlab-kernel-${dead}-0123456789ab.json`), "{}");
    mkdirSync(join(tmp, `nnlab-grade-${process.ppid}-XyZ789`));
    writeFileSync(join(tmp, "unrelated.txt"), "");
    const removed = removeLeftovers(tmp).sort();
    expect(removed).toEqual([`nnlab-grade-${dead}-AbC123`, `nnlab-kernel-${dead}-0123456789ab.json`]);
    expect(existsSync(join(tmp, `nnlab-grade-${process.ppid}-XyZ789`))).toBe(true);
    expect(existsSync(join(tmp, "unrelated.txt"))).toBe(true);
    rmSync(tmp, { recursive: true, force: true });
  });
});
