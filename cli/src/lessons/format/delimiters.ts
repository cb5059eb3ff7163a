/**
 * nbgrader's region delimiters, matched as substrings of a line (comment-agnostic), with its
 * semantics: a solution region, delimiters included, becomes the language's stub indented like
 * the BEGIN line; a hidden-test region, delimiters included, disappears. Unlike nbgrader, a
 * stray END line is an error too: it almost always means a lost BEGIN.
 */

export const BEGIN_SOLUTION = "BEGIN SOLUTION";
export const END_SOLUTION = "END SOLUTION";
export const BEGIN_HIDDEN = "BEGIN HIDDEN TESTS";
export const END_HIDDEN = "END HIDDEN TESTS";

/** nbgrader's ClearSolutions.code_stub, extended with the languages tslab serves. */
export const CODE_STUBS: Record<string, string> = {
  typescript: '// YOUR CODE HERE\nthrow new Error("Not implemented");',
  javascript: '// YOUR CODE HERE\nthrow new Error("Not implemented");',
  python: "# YOUR CODE HERE\nraise NotImplementedError()",
};
export const TEXT_STUB = "YOUR ANSWER HERE";

export function codeStub(language: string | undefined, where: string): string {
  const stub = language === undefined ? undefined : CODE_STUBS[language.toLowerCase()];
  if (stub === undefined) {
    throw new Error(
      `${where}: no code stub for kernelspec language ${JSON.stringify(language)} ` +
        `(known: ${Object.keys(CODE_STUBS).join(", ")}); set metadata.kernelspec.language`,
    );
  }
  return stub;
}

export class DelimiterError extends Error {}

export interface Region {
  /** 0-based line numbers of the BEGIN and END lines. */
  begin: number;
  end: number;
}

/** Find the regions of one kind; errors name the cell and the 1-based line. */
export function findRegions(source: string, begin: string, end: string, where: string): Region[] {
  const lines = source.split("\n");
  const regions: Region[] = [];
  let open = -1;
  lines.forEach((line, i) => {
    if (line.includes(begin)) {
      if (open >= 0) {
        throw new DelimiterError(`${where}, line ${i + 1}: nested "${begin}" (the region opened on line ${open + 1} is not closed)`);
      }
      open = i;
    } else if (line.includes(end)) {
      if (open < 0) throw new DelimiterError(`${where}, line ${i + 1}: "${end}" without a preceding "${begin}"`);
      regions.push({ begin: open, end: i });
      open = -1;
    }
  });
  if (open >= 0) throw new DelimiterError(`${where}, line ${open + 1}: "${begin}" is never closed by "${end}"`);
  return regions;
}

/** Replace each solution region by the stub; `replaced` false when the cell had no region. */
export function clearSolutionRegions(source: string, stub: string, where: string): { source: string; replaced: boolean } {
  const regions = findRegions(source, BEGIN_SOLUTION, END_SOLUTION, where);
  if (regions.length === 0) return { source, replaced: false };
  const lines = source.split("\n");
  const out: string[] = [];
  let r = 0;
  for (let i = 0; i < lines.length; i++) {
    const region = regions[r];
    if (region && i === region.begin) {
      const indent = /^\s*/.exec(lines[i])![0];
      for (const stubLine of stub.split("\n")) out.push(indent + stubLine);
      i = region.end;
      r++;
    } else {
      out.push(lines[i]);
    }
  }
  return { source: out.join("\n"), replaced: true };
}

/** Remove hidden-test regions, delimiters included. */
export function removeHiddenRegions(source: string, where: string): { source: string; removed: string[] } {
  const regions = findRegions(source, BEGIN_HIDDEN, END_HIDDEN, where);
  if (regions.length === 0) return { source, removed: [] };
  const lines = source.split("\n");
  const keep: string[] = [];
  const removed: string[] = [];
  let r = 0;
  for (let i = 0; i < lines.length; i++) {
    const region = regions[r];
    if (region && i === region.begin) {
      removed.push(lines.slice(region.begin + 1, region.end).join("\n"));
      i = region.end;
      r++;
    } else {
      keep.push(lines[i]);
    }
  }
  return { source: keep.join("\n"), removed };
}

/** The text inside solution regions (for leak checks). */
export function solutionRegionTexts(source: string, where: string): string[] {
  const lines = source.split("\n");
  return findRegions(source, BEGIN_SOLUTION, END_SOLUTION, where).map((r) => lines.slice(r.begin + 1, r.end).join("\n"));
}
