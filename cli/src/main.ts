#!/usr/bin/env node
/**
 * The `nnlab` command. Each subcommand is one entry of COMMANDS; adding a command is one line
 * (import its `Command` object and list it).
 */
import type { Command } from "./commands/command";
import { UsageError } from "./commands/command";
import { checkCommand } from "./commands/check";
import { gradeCommand } from "./commands/grade";
import { kernelCommand } from "./commands/kernel";
import { releaseCommand } from "./commands/release";
import { runCommand } from "./commands/run";
import { startCommand } from "./commands/start";

export const COMMANDS: Command[] = [
  startCommand,
  runCommand,
  kernelCommand,
  releaseCommand,
  checkCommand,
  gradeCommand,
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
    process.stdout.write(target ? `${target.usage}\n` : usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`nnlab: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
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

if (require.main === module) {
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
