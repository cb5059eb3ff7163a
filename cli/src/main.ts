#!/usr/bin/env node
/**
 * The `nnlab` command. Each subcommand is one entry of COMMANDS: its name, its line for `nnlab
 * help`, and how to load its `Command` object.
 */
import type { Command } from "./commands/command";
import { UsageError } from "./commands/command";

/**
 * The command table. A command's module is loaded only when it runs (grade pulls in mathjs, run
 * zeromq and @jupyterlab/services), so `nnlab help` stays instant.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Command;
}

// Each command is required on first use, so `nnlab help` does not load the grader or Jupyter clients.
export const COMMANDS: CommandEntry[] = [
  {
    name: "start",
    summary: "open the notebooks in JupyterLab (or build a headless HTML site without Jupyter)",
    load: () => (require("./commands/start") as typeof import("./commands/start")).startCommand,
  },
  {
    name: "run",
    summary: "execute notebooks headless; write executed .ipynb and HTML",
    load: () => (require("./commands/run") as typeof import("./commands/run")).runCommand,
  },
  {
    name: "kernel",
    summary: "kernel install [--user|--sys-prefix|--prefix DIR]: register the TypeScript (nnlab) kernel",
    load: () => (require("./commands/kernel") as typeof import("./commands/kernel")).kernelCommand,
  },
  {
    name: "release",
    summary: "make the student version of an assignment",
    load: () => (require("./commands/release") as typeof import("./commands/release")).releaseCommand,
  },
  {
    name: "check",
    summary: "run an assignment's public tests on your notebook",
    load: () => (require("./commands/check") as typeof import("./commands/check")).checkCommand,
  },
  {
    name: "grade",
    summary: "grade a folder of submissions into a gradebook with feedback",
    load: () => (require("./commands/grade") as typeof import("./commands/grade")).gradeCommand,
  },
  {
    name: "manual-grade",
    summary: "list written answers pending a grade, and record points and comments for them",
    load: () => (require("./commands/manual-grade") as typeof import("./commands/manual-grade")).manualGradeCommand,
  },
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: nnlab <command> [options]

commands:
${lines.join("\n")}
  ${"help".padEnd(width)}  this list; \`nnlab help <command>\` or \`nnlab <command> --help\` for one command
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const target = name === "help" && args[0] ? COMMANDS.find((c) => c.name === args[0]) : undefined;
    process.stdout.write(target ? `${target.load().usage}\n` : usage());
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`nnlab: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  const command = entry.load();
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (e) {
    const err = e as Error & { code?: string };
    // node:util parseArgs reports unknown or malformed options with these codes.
    if (e instanceof UsageError || (typeof err.code === "string" && err.code.startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`nnlab ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`nnlab ${name}: ${err.message}\n`);
    return 1;
  }
}

/** Runs the command line of this process and sets its exit code (cli/bin/nnlab.js and `node dist/main.js`). */
export function runFromBin(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // A handle left open by a library (a socket, a timer) must not keep a finished command alive.
      setTimeout(() => process.exit(code), 2000).unref();
    },
    (e: unknown) => {
      process.stderr.write(`nnlab: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runFromBin();
