/**
 * What every `nnlab <name>` subcommand provides to the dispatcher in main.ts. Its name and its line
 * for `nnlab help` are in main.ts's COMMANDS table only, which must not load the command's module.
 */
export interface Command {
  /** Full usage text for `nnlab <name> --help` and argument errors. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Thrown for bad command-line arguments: main prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A positive number of seconds from an option value, or a UsageError naming the option. */
export function parseSeconds(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${option} takes a positive number of seconds, got ${JSON.stringify(value)}`);
  return n;
}
