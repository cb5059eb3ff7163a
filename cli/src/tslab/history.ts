/**
 * The inputs (and text outputs) of this kernel session, answering `history_request` the way
 * IPython's HistoryManager does for one session: consoles use `tail` for up-arrow history,
 * `%history`-like front ends `range` and `search`. Kept in memory: a restart starts a new session,
 * which is what a student sees in IPython too (older sessions live in its sqlite file, which we
 * do not keep).
 *
 * Entries are `[session, line, input]`, or `[session, line, [input, output]]` with `output: true`;
 * `line` is the execution count, `output` the result's text/plain (null without a result).
 */

export type HistoryEntry = [number, number, string | [string, string | null]];

export interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  hist_access_type?: string;
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

interface Record {
  line: number;
  input: string;
  output: string | null;
}

/** IPython numbers sessions from 1 in its database; ours is always the only one. */
export const SESSION = 1;

/** sqlite GLOB: `*` any run, `?` one character, `[...]` a set; case-sensitive, whole string. */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        const body = pattern.slice(i + 1, end);
        re += body.startsWith("^") ? `[^${body.slice(1).replace(/\\/g, "\\\\")}]` : `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export class History {
  private readonly records: Record[] = [];

  /** A request stored in history (IPython stores the input before running it). */
  record(line: number, input: string): void {
    this.records.push({ line, input, output: null });
  }

  /** The text of the line's result (IPython's Out[n]). */
  setOutput(line: number, text: string): void {
    for (let i = this.records.length - 1; i >= 0; i--) {
      if (this.records[i]!.line === line) {
        this.records[i]!.output = text;
        return;
      }
    }
  }

  reply(req: HistoryRequest): { status: "ok"; history: HistoryEntry[] } {
    return { status: "ok", history: this.select(req).map((r) => this.entry(r, req.output === true)) };
  }

  private entry(r: Record, output: boolean): HistoryEntry {
    return [SESSION, r.line, output ? [r.input, r.output] : r.input];
  }

  private select(req: HistoryRequest): Record[] {
    const all = this.records;
    switch (req.hist_access_type) {
      case "tail": {
        const n = req.n ?? 10;
        return n > 0 ? all.slice(-n) : [];
      }
      case "range": {
        // 0 and negative offsets mean "this session" counted back; only the current one exists.
        const session = req.session ?? 0;
        if (session !== 0 && session !== SESSION) return [];
        const start = req.start ?? 0;
        const stop = req.stop ?? Infinity;
        return all.filter((r) => r.line >= start && r.line < stop);
      }
      case "search": {
        const re = globToRegExp(req.pattern ?? "*");
        let hits = all.filter((r) => re.test(r.input));
        if (req.unique) {
          // The latest occurrence of each input, kept in order (IPython: GROUP BY source).
          const last = new Map<string, Record>();
          for (const r of hits) last.set(r.input, r);
          hits = hits.filter((r) => last.get(r.input) === r);
        }
        const n = req.n ?? null;
        return n !== null && n > 0 ? hits.slice(-n) : hits;
      }
      default:
        return [];
    }
  }
}
