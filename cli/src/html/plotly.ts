/**
 * plotly.js for rendered pages. Pages must work offline and from file:// (CI artifacts, a student's
 * out/site), so the bundle is inlined rather than loaded from a CDN; it is read once per process.
 */
import { readFileSync } from "node:fs";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

let cached: string | undefined;

/** The minified plotly.js bundle (plotly.js-dist-min), made safe to inline in a <script> element. */
export function plotlyBundle(): string {
  if (cached === undefined) {
    let file: string;
    try {
      file = require.resolve("plotly.js-dist-min/plotly.min.js");
    } catch {
      throw new Error(
        "cannot find plotly.js-dist-min/plotly.min.js, needed to draw plots in the HTML rendering: run `npm install` at the repository root",
      );
    }
    cached = readFileSync(file, "utf8").replace(/<\/script/gi, "<\\/script");
  }
  return cached;
}
