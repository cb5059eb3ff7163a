/**
 * A fault of the grader is never a student's zero: when kernels cannot start for a reason of the
 * grader's, the batch stops with the cause and writes no scores; when only one submission's
 * kernel fails, that submission alone is marked as a grader error. No real kernel needed.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import { afterAll, describe, expect, it, vi } from "vitest";
import { run as grade } from "../../cli/src/commands/grade";
import type { ExecuteResult, KernelClient } from "../../cli/src/kernel/client";
import { serializeNotebook } from "../../cli/src/lessons/format/notebook";
import { gradeBatch, type KernelFactory } from "../../cli/src/lessons/grade";
import { GraderFault } from "../../cli/src/lessons/preflight";
import { releaseLesson } from "../../cli/src/lessons/release";
import { BWRAP, sandboxProblem } from "../../cli/src/lessons/sandbox";
import { hostileSubmissions } from "./hostile";
import { MINI } from "./helpers";

class ScriptedKernel implements KernelClient {
  alive = false;
  constructor(private readonly startError?: string) {}
  async start() {
    if (this.startError) throw new Error(this.startError);
    this.alive = true;
  }
  async execute(): Promise<ExecuteResult> {
    return { status: "ok", executionCount: 1, outputs: [], durationMs: 1, stateLost: false };
  }
  async interrupt() {}
  async restart() {}
  async shutdown() {
    this.alive = false;
  }
}

const work = mkdtempSync(join(tmpdir(), "nnlab-test-preflight-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function setup(name: string): { lesson: string; subs: string; out: string } {
  const lesson = join(work, name, "lesson");
  cpSync(MINI, lesson, { recursive: true });
  releaseLesson(lesson, join(work, name, "release"));
  const subs = join(work, name, "subs");
  const { subs: hostile } = hostileSubmissions();
  for (const s of hostile.filter((h) => ["good", "released", "probe"].includes(h.name))) {
    mkdirSync(join(subs, s.name), { recursive: true });
    writeFileSync(join(subs, s.name, "mini.ipynb"), serializeNotebook(s.notebook!));
  }
  return { lesson, subs, out: join(work, name, "out") };
}

describe("grader faults", () => {
  it("stops the batch with the cause, before any student is scored, when no kernel can start", async () => {
    const { lesson, subs, out } = setup("broken");
    const factory: KernelFactory = () => new ScriptedKernel("the kernel process ended during startup (exit 1): Cannot find module 'nnlab'");
    const batch = gradeBatch({ lessonDir: lesson, submissionsDir: subs, outDir: out, jobs: 2, force: true, kernelFactory: factory });
    await expect(batch).rejects.toBeInstanceOf(GraderFault);
    await expect(batch).rejects.toThrow(/grader's fault.*Cannot find module 'nnlab'/);
    expect(readdirSync(join(out, "results"))).toEqual([]);
    expect(existsSync(join(out, "gradebook.csv"))).toBe(false);
  });

  it("marks only the submission whose kernel will not start, when a fresh kernel still starts", async () => {
    const { lesson, subs, out } = setup("one-bad");
    // The probe student also handed in a tsconfig.json; say it breaks the kernel's startup.
    writeFileSync(join(subs, "probe", "tsconfig.json"), '{"compilerOptions": {"lib": ["nothing"]}}');
    const factory: KernelFactory = ({ cwd }) => new ScriptedKernel(existsSync(join(cwd, "tsconfig.json")) ? "startup failed" : undefined);
    const batch = await gradeBatch({ lessonDir: lesson, submissionsDir: subs, outDir: out, jobs: 2, force: true, kernelFactory: factory });
    const status = Object.fromEntries(batch.results.map((r) => [r.student, r.status]));
    expect(status).toEqual({ good: "graded", released: "graded", probe: "grader-error" });
    expect(batch.results.find((r) => r.student === "probe")!.graderError).toMatch(/startup failed/);
  });

  it("refuses a Jupyter server that does not offer the sandboxed grading kernelspec, saying how to install it", async () => {
    const { lesson, subs, out } = setup("server");
    // A stand-in server whose only kernelspec is the plain, unsandboxed nnlab kernel.
    const server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify(
          req.url?.startsWith("/api/kernelspecs")
            ? { default: "nnlab", kernelspecs: { nnlab: { name: "nnlab", spec: { argv: ["node", "kernel.js", "{connection_file}"] } } } }
            : {},
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await grade([lesson, subs, "--out", out, "--server", url, "--token", "t"])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join("")).toMatch(
        /refusing to grade on a server without the grading sandbox: .*no "nnlab-grade" kernelspec: run `nnlab kernel install --grading/,
      );
    } finally {
      err.mockRestore();
      server.close();
    }
    expect(existsSync(join(out, "results"))).toBe(false);
  });

  it("says what to install when bubblewrap is missing", () => {
    expect(sandboxProblem("root", "/nonexistent/bwrap")).toMatch(
      /\/nonexistent\/bwrap is missing: install bubblewrap \(Debian\/Ubuntu: apt-get install bubblewrap/,
    );
    expect(sandboxProblem("rootless", "/nonexistent/bwrap")).toMatch(/--unsafe-no-sandbox/);
    expect(BWRAP).toBe("/usr/bin/bwrap");
  });
});
