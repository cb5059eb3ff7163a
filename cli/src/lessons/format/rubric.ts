/**
 * A manually graded written answer (nbgrader's "manually graded answer": a markdown cell with
 * `solution: true, grade: true, points`) carries its mark scheme in the instructor's source:
 *
 *   Model answer, in prose (everything outside the mark scheme; or, when the cell has
 *   BEGIN SOLUTION / END SOLUTION regions, the text inside them).
 *   BEGIN MARK SCHEME
 *   - [1 pt] names overfitting: the network starts to fit the noise of the training set
 *   - [2 pts] ties it to the numbers: training loss still falls while test loss rises
 *     (a continuation line is indented)
 *   END MARK SCHEME
 *
 * The release keeps none of it (the answer cell becomes the text stub); the record keeps the
 * parsed rubric for the grader. Criteria are numbered c1, c2, … in order, so a grade can be given
 * per criterion. The delimiters are nbgrader's (ClearMarkScheme), extended to answer cells.
 */
import { solutionRegionTexts } from "./delimiters";
import { removeRegions } from "./regions";

export const BEGIN_MARK_SCHEME = "BEGIN MARK SCHEME";
export const END_MARK_SCHEME = "END MARK SCHEME";

export interface RubricCriterion {
  id: string;
  points: number;
  text: string;
}

export interface Rubric {
  criteria: RubricCriterion[];
  modelAnswer: string;
}

const CRITERION = /^\s*[-*]\s*\[\s*(\d+(?:\.\d+)?)\s*(?:pts?|points?)\s*\]\s*(\S.*)$/;

/** The cell's source without its mark-scheme regions (delimiters included). */
export function removeMarkScheme(source: string, where: string): { source: string; removed: string[] } {
  return removeRegions(source, BEGIN_MARK_SCHEME, END_MARK_SCHEME, where);
}

/**
 * Parse the rubric of a manually graded answer cell worth `points`. Throws, naming the cell and
 * what to write, when the mark scheme is missing, has a line that is not a criterion, or its
 * criteria do not add up to the cell's points.
 */
export function parseRubric(source: string, points: number, where: string): Rubric {
  const { source: rest, removed } = removeMarkScheme(source, where);
  if (removed.length !== 1) {
    throw new Error(
      `${where}: a manually graded answer needs exactly one "${BEGIN_MARK_SCHEME}" … "${END_MARK_SCHEME}" region with its criteria (found ${removed.length})`,
    );
  }
  const criteria: RubricCriterion[] = [];
  for (const line of removed[0].split("\n")) {
    if (line.trim() === "") continue;
    const m = CRITERION.exec(line);
    if (m) criteria.push({ id: `c${criteria.length + 1}`, points: Number(m[1]), text: m[2].trim() });
    else if (/^\s+\S/.test(line) && criteria.length > 0) criteria[criteria.length - 1].text += ` ${line.trim()}`;
    else
      throw new Error(
        `${where}: mark scheme line ${JSON.stringify(line.trim())} is not a criterion; write "- [1 pt] what the answer must say" (continuation lines indented)`,
      );
  }
  if (criteria.length === 0) throw new Error(`${where}: the mark scheme lists no criterion ("- [1 pt] what the answer must say")`);
  const sum = Math.round(criteria.reduce((s, c) => s + c.points, 0) * 1e6) / 1e6;
  if (sum !== points) throw new Error(`${where}: the mark scheme's criteria add up to ${sum} points, the cell is worth ${points}`);
  const regions = solutionRegionTexts(rest, where);
  const modelAnswer = (regions.length > 0 ? regions.join("\n") : rest).trim();
  if (modelAnswer === "") throw new Error(`${where}: a manually graded answer needs a model answer (the text outside the mark scheme)`);
  return { criteria, modelAnswer };
}
