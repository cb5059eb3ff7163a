/**
 * plotly.js for rendered pages and for the classic Notebook extension: the plotly.js-dist-min
 * bundle the package ships. Pages must work offline and from file:// (CI artifacts, a student's
 * out/site), so it is never loaded from a CDN.
 */
import { readFileSync } from "node:fs";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** The file name pages of one run or site share, beside them. */
export const PLOTLY_FILE = "plotly.min.js";

/** The path of the installed plotly.min.js. */
export function plotlyJsPath(): string {
  try {
    return require.resolve("plotly.js-dist-min/plotly.min.js");
  } catch {
    throw new Error(
      "cannot find plotly.js-dist-min/plotly.min.js, needed to draw plots (HTML pages, the nnlab-plotly nbextension): run `npm install` at the repository root",
    );
  }
}

let cached: string | undefined;

/** The bundle's source, made safe to inline in a <script> element (`--standalone` pages). */
export function plotlyBundle(): string {
  cached ??= readFileSync(plotlyJsPath(), "utf8").replace(/<\/script/gi, "<\\/script");
  return cached;
}
