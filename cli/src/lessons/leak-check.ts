/**
 * The release must not contain any solution region, hidden-test region or hidden expectation.
 * Checked on the bytes actually written (metadata and attachments included), line by line so
 * that a leak is reported with the text that leaked.
 */
import { BEGIN_HIDDEN, BEGIN_SOLUTION, END_HIDDEN, END_SOLUTION, solutionRegionTexts, removeHiddenRegions } from "./format/delimiters";
import { findRegions, regionTexts } from "./format/regions";
import { type Notebook, cellLabel, sourceOf } from "./format/notebook";
import { isSolution } from "./format/nbgrader-meta";
import { BEGIN_MARK_SCHEME, END_MARK_SCHEME } from "./format/rubric";
import { type ExpectedValues, expectedLeakNeedles } from "./expected";

/** Lines long enough to be meaningful: braces and blank lines occur everywhere. */
function meaningfulLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length >= 8 && !/^(\/\/\s*)?(BEGIN|END) /.test(l));
}

export function secretNeedles(source: Notebook, expected: ExpectedValues, file: string): string[] {
  const needles = new Set<string>();
  source.cells.forEach((cell, i) => {
    const where = `${file} ${cellLabel(cell, i)}`;
    const text = sourceOf(cell);
    for (const region of solutionRegionTexts(text, where)) meaningfulLines(region).forEach((l) => needles.add(l));
    for (const region of removeHiddenRegions(text, where).removed) meaningfulLines(region).forEach((l) => needles.add(l));
    // A solution cell without regions is replaced whole (a written answer's model answer), and a
    // mark scheme is the instructor's rubric: all of it is secret.
    if (isSolution(cell) && solutionRegionTexts(text, where).length === 0) meaningfulLines(text).forEach((l) => needles.add(l));
    for (const region of regionTexts(text, BEGIN_MARK_SCHEME, END_MARK_SCHEME, where)) meaningfulLines(region).forEach((l) => needles.add(l));
  });
  // A line that also appears outside every secret region (a shared helper call, a
  // signature) is public by the instructor's own choice.
  const publicLines = new Set<string>();
  source.cells.forEach((cell, i) => {
    const where = `${file} ${cellLabel(cell, i)}`;
    const lines = sourceOf(cell).split("\n");
    const secret = new Set<number>();
    if (isSolution(cell) && solutionRegionTexts(sourceOf(cell), where).length === 0) lines.forEach((_, k) => secret.add(k));
    for (const [b, e] of [
      [BEGIN_SOLUTION, END_SOLUTION],
      [BEGIN_HIDDEN, END_HIDDEN],
      [BEGIN_MARK_SCHEME, END_MARK_SCHEME],
    ]) {
      for (const r of findRegions(sourceOf(cell), b, e, where)) for (let k = r.begin; k <= r.end; k++) secret.add(k);
    }
    lines.forEach((l, k) => {
      if (!secret.has(k)) publicLines.add(l.trim());
    });
  });
  for (const n of [...needles]) if (publicLines.has(n)) needles.delete(n);
  for (const n of expectedLeakNeedles(expected)) needles.add(n);
  return [...needles];
}

/** Needles found in `bytes`; a needle also in public text (the released source) is not a secret. */
export function findLeaks(bytes: string, needles: string[], publicText: string[] = []): string[] {
  // JSON escapes quotes and backslashes: compare against the decoded notebook text as well.
  let decoded = bytes;
  try {
    decoded = JSON.stringify(JSON.parse(bytes));
  } catch {
    /* not JSON (HTML feedback): compare raw */
  }
  return needles.filter((n) => {
    if (publicText.some((p) => p.includes(n))) return false;
    return bytes.includes(n) || decoded.includes(JSON.stringify(n).slice(1, -1));
  });
}
