/**
 * nbgrader's solution and hidden-test delimiters (found as in regions.ts), with its semantics: a
 * solution region, delimiters included, becomes the language's stub indented like the BEGIN line;
 * a hidden-test region, delimiters included, disappears.
 */
import { findRegions, regionTexts, removeRegions } from "./regions";

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
  return removeRegions(source, BEGIN_HIDDEN, END_HIDDEN, where);
}

/** The text inside solution regions (for leak checks). */
export function solutionRegionTexts(source: string, where: string): string[] {
  return regionTexts(source, BEGIN_SOLUTION, END_SOLUTION, where);
}
