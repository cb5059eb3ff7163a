/**
 * A kernel must not outlive the process that started it, even when that process dies while the
 * kernel is still starting (a client that gives up, a killed test, Ctrl+C in `nnlab run`).
 *
 * Each case starts the real nnlab kernel from an intermediate process, through the path the CLI
 * uses (DirectKernelClient, plain or in the grading sandbox) or the one Jupyter Server uses
 * (jupyter_client's KernelManager with the nnlab kernelspec). The intermediate SIGKILLs itself at
 * a chosen moment: right after spawning the kernel ("spawn": the kernel has not run a line yet,
 * let alone answered kernel_info), once kernel_info is answered while the kernel is still loading
 * its compiler ("info"), or once it is ready ("ready"). Then every process whose command line
 * names the kernel's own folder (the kernel, a wrapper, the sandbox) must be gone. The timeout
 * only bounds the wait for a kernel that would otherwise live forever; it measures no speed.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newConnectionInfo, writeConnectionFile } from "../../cli/src/kernel/connection";
import { writeKernelspec } from "../../cli/src/kernel/kernelspec";
import { SYSTEM_PYTHON } from "../../cli/src/kernel/spawn-jupyter";
import { sandboxProblem } from "../../cli/src/lessons/sandbox";
import { kernelEntryBuilt, repoRoot } from "./protocol-cases";
import { ended, processesNaming, until } from "./processes";

const dist = (...p: string[]): string => join(repoRoot, "cli", "dist", ...p);
const built = kernelEntryBuilt && existsSync(dist("kernel", "direct.js")) && existsSync(dist("lessons", "kernels.js"));
const linux = process.platform === "linux";
if (!built) console.log("orphan tests skipped: the CLI is not built (npm run build)");
if (!linux) console.log("orphan tests skipped: they read /proc (Linux only)");

function probe(python: string, module: string): boolean {
  return spawnSync(python, ["-c", `import ${module}`], { stdio: "ignore" }).status === 0;
}
const jupyterClient = linux && probe(SYSTEM_PYTHON, "jupyter_client");
if (!jupyterClient)
  console.log(`orphan tests through jupyter_client skipped: ${SYSTEM_PYTHON} has no jupyter_client (apt-get install python3-jupyter-client)`);
const sandboxSkip = built && linux ? sandboxProblem() : "see above";
if (built && linux && sandboxSkip) console.log(`orphan tests in the grading sandbox skipped: ${sandboxSkip}`);

type Moment = "spawn" | "info" | "ready";

/**
 * The CLI's path: a DirectKernelClient (sandboxed or not) in this process, which prints
 * "KILL <child pid> <kernel folder>" and SIGKILLs itself at the moment ORPHAN_WHEN names.
 */
const directParent = `
const { DirectKernelClient } = require(${JSON.stringify(dist("kernel", "direct.js"))});
const { sandboxedKernelFactory } = require(${JSON.stringify(dist("lessons", "kernels.js"))});
const { kernelEnv, makeWorkdir } = require(${JSON.stringify(dist("lessons", "workdir.js"))});
const when = process.env.ORPHAN_WHEN;
const dir = makeWorkdir([]).path;
const c = process.env.ORPHAN_SANDBOX
  ? sandboxedKernelFactory()({ cwd: dir, env: kernelEnv(dir), slot: 0 })
  : new DirectKernelClient({ cwd: dir, connectionDir: dir });
const die = () => {
  console.log("KILL " + c.pid + " " + dir);
  process.kill(process.pid, "SIGKILL");
};
if (when === "spawn") {
  const t = setInterval(() => c.pid !== undefined && die(), 1);
} else if (when === "info") {
  const handshake = c.handshake.bind(c);
  c.handshake = (...a) => handshake(...a).then(die);
}
c.start().then(() => (when === "ready" ? die() : undefined), (e) => console.log("FAILED " + e.message));
setInterval(() => {}, 1000);
`;

/** Jupyter's path: jupyter_client's KernelManager with the nnlab kernelspec, its connection file in ORPHAN_DIR. */
const jupyterParent = `
import os
from jupyter_client import KernelManager
km = KernelManager(kernel_name="nnlab", connection_file=os.path.join(os.environ["ORPHAN_DIR"], "kernel.json"))
km.start_kernel(cwd=os.environ["ORPHAN_DIR"])
if os.environ["ORPHAN_WHEN"] == "ready":
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
print("KILL", km.provisioner.process.pid, os.environ["ORPHAN_DIR"], flush=True)
os.kill(os.getpid(), 9)
`;

const folders: string[] = [];

afterEach(() => {
  // A kernel that failed the test must not outlive it either.
  for (const dir of folders.splice(0)) {
    for (const p of processesNaming(dir)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs the intermediate parent until it has killed itself; resolves with the kernel's child pid and folder. */
function runParent(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ pid: number; dir: string }> {
  const parent = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  parent.stdout.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    parent.on("exit", (code, signal) => {
      const m = /KILL (\d+) (\S+)/.exec(out);
      if (m) folders.push(m[2]!);
      if (signal !== "SIGKILL" || !m) reject(new Error(`the intermediate parent ended with ${signal ?? `exit ${code}`} before its kill: ${out}`));
      else resolve({ pid: Number(m[1]), dir: m[2]! });
    });
  });
}

/** Every process of this kernel (named by its folder) has ended. */
async function expectAllEnded(pid: number, dir: string): Promise<void> {
  expect(pid).toBeGreaterThan(0);
  try {
    await until("the orphaned kernel to end", 30_000, () => ended(pid) && processesNaming(dir).length === 0);
  } catch {
    const left = processesNaming(dir).map((p) => `${p.pid}: ${p.cmdline.slice(0, 200)}`);
    expect.fail(`30 s after its parent was killed, the kernel still runs:\n${left.join("\n")}`);
  }
}

describe.skipIf(!built || !linux)("a kernel whose parent is killed ends itself (the CLI's direct kernel)", () => {
  it.each<Moment>(["spawn", "info", "ready"])(
    "parent killed at '%s'",
    async (when) => {
      const { pid, dir } = await runParent(process.execPath, ["-e", directParent], { ORPHAN_WHEN: when });
      await expectAllEnded(pid, dir);
    },
    120_000,
  );
});

describe.skipIf(!built || !linux || !!sandboxSkip)("a kernel whose parent is killed ends itself (the grading sandbox)", () => {
  it.each<Moment>(["spawn", "ready"])(
    "parent killed at '%s'",
    async (when) => {
      const { pid, dir } = await runParent(process.execPath, ["-e", directParent], { ORPHAN_WHEN: when, ORPHAN_SANDBOX: "1" });
      await expectAllEnded(pid, dir);
    },
    120_000,
  );
});

/** A folder of its own under test/.tmp, removed after the test. */
function testFolder(): string {
  const base = join(repoRoot, "test", ".tmp");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "orphan-"));
  folders.push(dir);
  return dir;
}

/** The pids of a process's children. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe.skipIf(!built || !linux || !!sandboxSkip)("a kernel whose parent is killed ends itself (the grading kernelspec's launcher)", () => {
  // sandbox-launch.js is what Jupyter Server runs for a grading kernel; here this process plays
  // the server and SIGKILLs the launcher as soon as it has started bwrap, or once the kernel runs
  // in the sandbox. Its folder (nnlab-grade-<launcher pid>-…) is named by bwrap and the kernel.
  it.each(["spawn", "kernel"] as const)(
    "launcher killed at '%s'",
    async (when) => {
      const file = writeConnectionFile(await newConnectionInfo(), testFolder());
      const launcher = spawn(process.execPath, [dist("lessons", "sandbox-launch.js"), file], { stdio: "ignore" });
      const exited = new Promise((resolve) => launcher.once("exit", resolve));
      const pid = launcher.pid!;
      const marker = `nnlab-grade-${pid}-`;
      let bwrap: number | undefined;
      for (const deadline = Date.now() + 30_000; bwrap === undefined && Date.now() < deadline; ) {
        bwrap = childrenOf(pid)[0];
        await new Promise((r) => setImmediate(r));
      }
      expect(bwrap, "the launcher started no sandbox").toBeDefined();
      if (when === "kernel")
        await until("the kernel to run in the sandbox", 60_000, () =>
          processesNaming(marker).some((p) => p.cmdline.startsWith(process.execPath) && p.cmdline.includes("kernel.js")),
        );
      launcher.kill("SIGKILL");
      await exited;
      folders.push(
        ...readdirSync(tmpdir())
          .filter((n) => n.startsWith(marker))
          .map((n) => join(tmpdir(), n)),
      );
      await expectAllEnded(bwrap!, marker);
    },
    120_000,
  );
});

describe.skipIf(!built || !jupyterClient)("a kernel whose parent is killed ends itself (jupyter_client, as Jupyter Server starts it)", () => {
  it.each<Moment>(["spawn", "ready"])(
    "parent killed at '%s'",
    async (when) => {
      const base = join(repoRoot, "test", ".tmp");
      mkdirSync(base, { recursive: true });
      const dir = mkdtempSync(join(base, "orphan-"));
      folders.push(dir);
      writeKernelspec(join(dir, "jupyter"));
      const { pid } = await runParent(SYSTEM_PYTHON, ["-c", jupyterParent], {
        ORPHAN_WHEN: when,
        ORPHAN_DIR: dir,
        JUPYTER_PATH: join(dir, "jupyter"),
      });
      await expectAllEnded(pid, dir);
    },
    120_000,
  );
});
