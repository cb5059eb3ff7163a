/**
 * The grading kernelspec, `nnlab-grade`: the nnlab kernel inside the grading sandbox
 * (sandbox-launch.ts), so that a Jupyter Server that starts grading kernels sandboxes them exactly
 * as `nnlab grade` does itself. `nnlab kernel install --grading` writes it; `nnlab grade --server`
 * refuses a server that does not offer it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cliRoot, type Kernelspec } from "../kernel/kernelspec";

export const GRADING_KERNEL_NAME = "nnlab-grade";

/** The built launcher (also when this module runs from its TypeScript source, as under vitest). */
export function launcherPath(): string {
  return path.join(cliRoot(), "dist", "lessons", "sandbox-launch.js");
}

export function gradingKernelspec(): Kernelspec {
  return {
    argv: [process.execPath, launcherPath(), "{connection_file}"],
    display_name: "TypeScript (nnlab, grading sandbox)",
    language: "typescript",
    // A SIGINT would reach the launcher, not the kernel: interrupt over the control channel.
    interrupt_mode: "message",
    metadata: { nnlab: { sandbox: "bubblewrap" } },
  };
}

/** Writes `<dir>/kernels/nnlab-grade/kernel.json`; returns the kernelspec folder. */
export function writeGradingKernelspec(dir: string): string {
  const specDir = path.join(dir, "kernels", GRADING_KERNEL_NAME);
  fs.mkdirSync(specDir, { recursive: true });
  fs.writeFileSync(path.join(specDir, "kernel.json"), JSON.stringify(gradingKernelspec(), null, 2) + "\n");
  return specDir;
}

/** Undefined when the server offers the sandboxed grading kernelspec; otherwise what is wrong. */
export async function serverGradingProblem(baseUrl: string, token: string): Promise<string | undefined> {
  let specs: { kernelspecs?: Record<string, { spec?: { argv?: string[] } }> };
  try {
    const res = await fetch(`${baseUrl.replace(/\/$/, "")}/api/kernelspecs`, {
      headers: { Authorization: `token ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return `GET ${baseUrl}/api/kernelspecs answered ${res.status}`;
    specs = (await res.json()) as typeof specs;
  } catch (e) {
    return `the server at ${baseUrl} did not answer: ${(e as Error).message}`;
  }
  const spec = specs.kernelspecs?.[GRADING_KERNEL_NAME]?.spec;
  if (!spec)
    return `the server at ${baseUrl} has no "${GRADING_KERNEL_NAME}" kernelspec: run \`nnlab kernel install --grading [--user|--prefix DIR]\` where that server looks for kernelspecs, and restart it`;
  if (!spec.argv?.some((a) => a.endsWith("sandbox-launch.js")))
    return `the server's "${GRADING_KERNEL_NAME}" kernelspec does not start the grading sandbox (argv ${JSON.stringify(spec.argv)})`;
  return undefined;
}
