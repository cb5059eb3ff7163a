/**
 * Before grading anyone: start one kernel exactly as a submission's would be started (same
 * factory, sandbox and preload) in an empty work folder and run a trivial cell. If that fails,
 * the fault is the grader's (runtime unreadable, sandbox not set up, build missing) and no
 * student may be scored by it.
 */
import type { KernelFactory } from "./grade";
import { kernelEnv, makeWorkdir } from "./workdir";

export class GraderFault extends Error {}

/** Undefined when a kernel starts and runs `1 + 1`; otherwise why not. */
export async function preflight(factory: KernelFactory, slot: number, preload: string[]): Promise<string | undefined> {
  const workdir = makeWorkdir([]);
  let client: ReturnType<KernelFactory> | undefined;
  try {
    client = factory({ cwd: workdir.path, env: kernelEnv(workdir.path), slot });
    await client.start();
    for (const code of [...preload, "1 + 1"]) {
      const r = await client.execute(code, { timeoutMs: 120_000, maxOutputBytes: 16_384 });
      if (r.status !== "ok") {
        const text = r.outputs
          .map((o) => (o.output_type === "stream" ? o.text : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : ""))
          .join("")
          .trim();
        return `a trivial cell (${JSON.stringify(code)}) did not run in a fresh kernel: ${r.status}${r.reason ? ` (${r.reason})` : ""}${text ? `: ${text.slice(0, 500)}` : ""}`;
      }
    }
    return undefined;
  } catch (e) {
    return `a fresh kernel did not start: ${(e as Error).message}`;
  } finally {
    await client?.shutdown().catch(() => undefined);
    workdir.remove();
  }
}
