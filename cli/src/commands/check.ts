/** `nnlab check <notebook> [--timeout S]`: run a notebook's public tests. */
import { DirectKernelClient } from "../kernel/direct";
import { checkNotebook } from "../lessons/check";
import { type Command, UsageError, parseSeconds } from "./command";

const USAGE = `usage: nnlab check <notebook.ipynb> [--timeout S]

Runs the notebook in a fresh nnlab kernel and reports its public test cases. Hidden cases
are not in your copy: they run when the assignment is graded.`;

export async function run(argv: string[]): Promise<number> {
  let timeout = 30;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--timeout") timeout = parseSeconds(a, argv[++i]) ?? 30;
    else if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE + "\n");
      return 0;
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError("give one notebook");
  try {
    const report = await checkNotebook(positional[0], (cwd, env) => new DirectKernelClient({ cwd, env }), timeout * 1000);
    for (const c of report.cases) {
      const mark = c.status === "passed" ? "✓" : "✗";
      process.stdout.write(
        `${mark} ${c.question}/${c.id} (${c.max} pt${c.max === 1 ? "" : "s"})${c.status === "passed" ? "" : `: ${c.status}: ${c.message.split("\n")[0]}`}\n`,
      );
    }
    if (report.graderError) process.stdout.write(`could not run the notebook: ${report.graderError}\n`);
    process.stdout.write(report.summary + "\n");
    return report.passed === report.total && !report.graderError ? 0 : 1;
  } catch (e) {
    process.stderr.write(`nnlab check: ${(e as Error).message}\n`);
    return 1;
  }
}

export const checkCommand: Command = {
  usage: USAGE,
  run,
};
