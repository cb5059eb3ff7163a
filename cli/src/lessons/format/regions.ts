/**
 * Regions of a cell's source that run from a BEGIN line to an END line, the delimiters matched as
 * substrings of a line (comment-agnostic), as nbgrader matches its solution, hidden-test and
 * mark-scheme delimiters. Unlike nbgrader, a stray END line is an error too: it almost always
 * means a lost BEGIN.
 */

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

/** The text between a region's delimiter lines. */
function inside(lines: string[], r: Region): string {
  return lines.slice(r.begin + 1, r.end).join("\n");
}

/** The text inside each region of one kind, delimiters excluded. */
export function regionTexts(source: string, begin: string, end: string, where: string): string[] {
  const lines = source.split("\n");
  return findRegions(source, begin, end, where).map((r) => inside(lines, r));
}

/** The source without the regions of one kind (delimiters included), and the text that was inside each. */
export function removeRegions(source: string, begin: string, end: string, where: string): { source: string; removed: string[] } {
  const regions = findRegions(source, begin, end, where);
  const lines = source.split("\n");
  const inRegion = (i: number): boolean => regions.some((r) => i >= r.begin && i <= r.end);
  return {
    source: lines.filter((_, i) => !inRegion(i)).join("\n"),
    removed: regions.map((r) => inside(lines, r)),
  };
}
