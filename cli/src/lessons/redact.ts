/**
 * Student-facing text (case messages, error output) must not quote a hidden test. Any line that
 * contains a hidden-region line or a string literal from a hidden region (an assertion message
 * such as "sigmoid(2) is wrong") is replaced.
 */
import { removeHiddenRegions } from "./format/delimiters";
import { ReleaseRecord } from "./record";

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

export function makeRedactor(record: ReleaseRecord): (text: string) => string {
  const needles = hiddenNeedles(record);
  if (needles.length === 0) return (t) => t;
  return (text) =>
    text
      .split("\n")
      .map((line) => (needles.some((n) => line.includes(n)) ? REDACTED : line))
      .join("\n");
}
