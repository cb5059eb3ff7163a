/**
 * `nnlab grade lessons/<nn> <submissions-dir> [--out DIR] [--jobs N] [--timeout S]
 * [--notebook-timeout S] [--force] [--server URL --token T]`.
 */
import { cpus } from "node:os";
import { basename, resolve } from "node:path";
import { ServerKernelClient } from "../kernel/server";
import { gradeBatch, type KernelFactory } from "../lessons/grade";
import { sandboxedKernelFactory, unsandboxedKernelFactory } from "../lessons/kernels";
import { sandboxMode, sandboxProblem } from "../lessons/sandbox";
import { GRADING_KERNEL_NAME, serverGradingProblem } from "../lessons/grading-kernelspec";
import { type Command, UsageError, parseSeconds } from "./command";

const USAGE = `usage: nnlab grade <lesson-dir> <submissions-dir> [options]

<submissions-dir> holds one folder (or one .ipynb) per student. Writes, under --out
(default graded/<lesson>): results/<student>.json, feedback/<student>.html,
gradescope/<student>/results.json, autograded/<student>.ipynb, gradebook.csv, summary.json.
Written answers are pending manual grading: grade them with nnlab manual-grade.

options:
  --out DIR              output folder
  --jobs N               kernels in parallel (default: the number of cores)
  --timeout S            per-cell time limit in seconds (default 30)
  --notebook-timeout S   whole-notebook limit in seconds (default 600)
  --force                regrade submissions that already have results
  --unsafe-no-sandbox    run kernels WITHOUT the bubblewrap sandbox, as your own user: only
                         for trusted notebooks (your own solutions), never for submissions
  --server URL --token T run kernels on a Jupyter server; its kernelspec must be the sandboxed
                         grading kernelspec (nnlab kernel install --grading)

Every kernel runs in a bubblewrap sandbox (see "Grading safely" in the README): no network,
no other files than its own, its own processes only, limits on memory, processes, files and
CPU time. Without /usr/bin/bwrap (Debian: apt-get install bubblewrap) grade refuses to run.`;

const UNSAFE_BANNER = [
  "!!! nnlab grade --unsafe-no-sandbox: kernels run WITHOUT a sandbox, as your own user. !!!",
  "!!! A submission can read the answer key, your files and the network, forge results   !!!",
  "!!! and leave processes behind. Use this only for notebooks you trust.                !!!",
].join("\n");

/**
 * Server mode: kernels come from a Jupyter server, so their working directory is the server's
 * root, not a private folder, and no memory cap or kill is ours to apply (documented weaker
 * guarantees). Hidden tests still travel only over the protocol.
 */
function serverFactory(url: string, token: string): KernelFactory {
  return () => new ServerKernelClient({ baseUrl: url, token, kernelName: GRADING_KERNEL_NAME });
}

export async function run(argv: string[]): Promise<number> {
  const positional: string[] = [];
  let out: string | undefined;
  let jobs = cpus().length;
  let timeout: number | undefined;
  let nbTimeout: number | undefined;
  let force = false;
  let unsafe = false;
  let server: string | undefined;
  let token: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--out") out = val();
    else if (a === "--jobs") {
      jobs = Number(val());
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a positive integer`);
    } else if (a === "--timeout") timeout = parseSeconds(a, val());
    else if (a === "--notebook-timeout") nbTimeout = parseSeconds(a, val());
    else if (a === "--force") force = true;
    else if (a === "--unsafe-no-sandbox") unsafe = true;
    else if (a === "--server") server = val();
    else if (a === "--token") token = val();
    else if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE + "\n");
      return 0;
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 2) throw new UsageError("give a lesson folder and a submissions folder");
  const [lessonDir, subsDir] = positional;
  let kernelFactory: KernelFactory;
  if (server && !unsafe) {
    const problem = await serverGradingProblem(server, token ?? "");
    if (problem) {
      process.stderr.write(`nnlab grade: refusing to grade on a server without the grading sandbox: ${problem}\n`);
      return 2;
    }
    kernelFactory = serverFactory(server, token ?? "");
  } else if (server) {
    process.stderr.write(UNSAFE_BANNER + "\n");
    kernelFactory = () => new ServerKernelClient({ baseUrl: server, token: token ?? "" });
  } else if (unsafe) {
    process.stderr.write(UNSAFE_BANNER + "\n");
    kernelFactory = unsandboxedKernelFactory();
  } else {
    const problem = sandboxProblem();
    if (problem) {
      process.stderr.write(`nnlab grade: refusing to grade without a sandbox: ${problem}\n`);
      return 2;
    }
    const cpu = Math.ceil(2 * (nbTimeout ?? 600)) + 120;
    kernelFactory = sandboxedKernelFactory({ cpuSeconds: cpu });
    process.stderr.write(
      `kernels run in bubblewrap sandboxes (${sandboxMode() === "root" ? "as root: one unprivileged uid per job" : "rootless, in user namespaces"})\n`,
    );
  }
  const outDir = out ?? resolve("graded", basename(resolve(lessonDir)));
  try {
    const summary = await gradeBatch({
      lessonDir,
      submissionsDir: subsDir,
      outDir,
      jobs,
      force,
      limits: {
        ...(timeout !== undefined ? { cellTimeoutMs: timeout * 1000 } : {}),
        ...(nbTimeout !== undefined ? { notebookTimeoutMs: nbTimeout * 1000 } : {}),
      },
      kernelFactory,
      log: (l) => process.stderr.write(l + "\n"),
    });
    const errors = summary.results.filter((r) => r.status === "grader-error").length;
    process.stdout.write(
      `graded ${summary.results.length} submission(s) of ${summary.lesson} into ${summary.outDir}` +
        (errors ? `; ${errors} grader error(s)` : "") +
        "\n",
    );
    const pending = summary.results.filter((r) => r.pendingManual);
    if (pending.length > 0) {
      const answers = pending.reduce((s, r) => s + r.pendingManual!.cases.length, 0);
      process.stdout.write(
        `pending manual grading: ${answers} written answer(s) of ${pending.length} student(s); run nnlab manual-grade ${lessonDir} --out ${outDir}\n`,
      );
    }
    return errors > 0 ? 1 : 0;
  } catch (e) {
    process.stderr.write(`nnlab grade: ${(e as Error).message}\n`);
    return 1;
  }
}

export const gradeCommand: Command = {
  usage: USAGE,
  run,
};
