/**
 * Student-facing text must not quote a hidden test or an expected value. Every output of every
 * cell goes through the redactor, not only error messages: a student cell can wrap the kernel's
 * execute handler, capture the hidden tests sent later and print them in a later free cell.
 *
 * A line is replaced when it contains a hidden-region line, a string literal from a hidden
 * region (an assertion message such as "sigmoid(2) is wrong"), or an expected value with enough
 * digits to be unguessable, compared also after removing whitespace, quotes and backslashes, so
 * that a JSON-escaped or re-spaced copy is caught too. (An encoded copy, base64 say, is not: the
 * defence against that is the sandbox, which keeps hidden tests out of any file a kernel can read.)
 */
import type { Output } from "../kernel/client";
import type { CellRun } from "./execute";
import { type ExpectedValues, expectedLeakNeedles } from "./expected";
import { removeHiddenRegions } from "./format/delimiters";
import { type ReleaseRecord, allCases } from "./record";

export const REDACTED = "[detail of a hidden test removed]";

export function hiddenNeedles(record: ReleaseRecord): string[] {
  const needles = new Set<string>();
  for (const cell of record.cells) {
    if (cell.fullSource === undefined) continue;
    for (const region of removeHiddenRegions(cell.fullSource, `record cell ${cell.index}`).removed) {
      for (const line of region.split("\n")) {
        const t = line.trim();
        if (t.length >= 8 && !t.startsWith("//")) needles.add(t);
        for (const m of t.matchAll(/(["'`])((?:\\.|(?!\1).){6,})\1/g)) needles.add(m[2]);
      }
    }
  }
  return [...needles];
}

/** Hidden cases' literal expectations (numbers long enough to be a fingerprint of the answer). */
function hiddenLiteralNeedles(record: ReleaseRecord): string[] {
  const out: string[] = [];
  for (const { spec } of allCases(record)) {
    if (!spec.hidden || spec.expected === undefined) continue;
    out.push(...expectedLeakNeedles({ [spec.id]: { value: spec.expected } }));
  }
  return out;
}

const squash = (s: string): string => s.replace(/[\s"'`\\]/g, "");

export function makeRedactor(record: ReleaseRecord, expected: ExpectedValues = {}): (text: string) => string {
  const needles = [...new Set([...hiddenNeedles(record), ...expectedLeakNeedles(expected), ...hiddenLiteralNeedles(record)])];
  if (needles.length === 0) return (t) => t;
  const squashed = needles.map(squash).filter((n) => n.length >= 8);
  return (text) =>
    text
      .split("\n")
      .map((line) => {
        if (needles.some((n) => line.includes(n))) return REDACTED;
        const s = squash(line);
        return squashed.some((n) => s.includes(n)) ? REDACTED : line;
      })
      .join("\n");
}

/** Every string in a rich output's data redacted; non-string data that would change is dropped. */
function redactData(data: Record<string, unknown>, redact: (s: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mime, v] of Object.entries(data)) {
    if (typeof v === "string") out[mime] = mime.startsWith("image/") && mime !== "image/svg+xml" ? v : redact(v);
    else {
      const text = JSON.stringify(v) ?? "";
      if (redact(text) === text) out[mime] = v;
    }
  }
  return out;
}

export function redactOutput(o: Output, redact: (s: string) => string): Output {
  switch (o.output_type) {
    case "stream":
      return { ...o, text: redact(o.text) };
    case "error":
      return { ...o, ename: redact(o.ename), evalue: redact(o.evalue), traceback: o.traceback.map(redact) };
    case "display_data":
    case "execute_result":
      return { ...o, data: redactData(o.data, redact) };
    default:
      return o;
  }
}

/** A cell's run as a student may see it: every output and the reason redacted. */
export function redactRun(run: CellRun, redact: (s: string) => string): CellRun {
  const r: CellRun = { ...run, outputs: run.outputs.map((o) => redactOutput(o, redact)) };
  if (run.reason !== undefined) r.reason = redact(run.reason);
  return r;
}
