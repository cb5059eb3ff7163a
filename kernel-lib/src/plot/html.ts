import { readFileSync } from "node:fs";
import { scriptSafeJSON } from "./json";

/*
 * The text/html fallback (classic Notebook, nbconvert HTML, JupyterLab without plotly's renderer)
 * needs plotly.js in the page. It is inlined (no CDN: offline classrooms, nbviewer blocks CDN
 * scripts) and, being ≈4.8 MB, sent once per kernel session: the page keeps window.Plotly, and
 * every later figure waits for it.
 */

// On globalThis so two copies of nnlab in one kernel (a local build beside the installed one)
// still inject once.
const injectedKey = Symbol.for("nnlab.plot.plotlyInjected");

interface InjectionState {
  [injectedKey]?: boolean;
}

/** Marks plotly.js as not yet sent, so the next figure carries it again (tests; a fresh page). */
export function resetPlotlyInjection(): void {
  (globalThis as InjectionState)[injectedKey] = false;
}

/** Whether plotly.js was already sent in this kernel session. */
export function plotlyInjected(): boolean {
  return (globalThis as InjectionState)[injectedKey] === true;
}

/** True the first time it is called in a session (the caller must then send the bundle). */
export function claimPlotlyInjection(): boolean {
  if (plotlyInjected()) return false;
  (globalThis as InjectionState)[injectedKey] = true;
  return true;
}

let plotlySource: string | undefined;

function readPlotlySource(): string {
  if (plotlySource === undefined) {
    let file: string;
    try {
      file = require.resolve("plotly.js-dist-min/plotly.min.js");
    } catch (err) {
      throw new Error(
        "plot: cannot find plotly.js-dist-min, a dependency of nnlab; run `npm install` in the " +
          `project root (${(err as Error).message})`,
      );
    }
    // The bundle is JavaScript inside an HTML <script>: a literal `</script` in it would end the
    // element early, and `<!--` can switch the HTML parser into its script-escape state. Both
    // only occur in strings or regexes, where `\x3C` means `<`.
    plotlySource = readFileSync(file, "utf8")
      .replace(/<\/script/gi, "\\x3C/script")
      .replace(/<!--/g, "\\x3C!--");
  }
  return plotlySource;
}

/**
 * A script that defines window.Plotly from the inlined bundle. Where require.js is loaded
 * (classic Notebook, VS Code) a UMD bundle would register itself as an AMD module instead of
 * setting window.Plotly: `define`, `module` and `exports` are shadowed for the bundle, and
 * window.define is hidden while it runs.
 */
export function plotlyLoaderHtml(): string {
  return (
    "<script type=\"text/javascript\">\n" +
    "window.PlotlyConfig = window.PlotlyConfig || {MathJaxConfig: 'local'};\n" +
    "if (!window.Plotly) { (function () {\n" +
    "  var hiddenDefine = window.define;\n" +
    "  window.define = undefined;\n" +
    "  try { (function (define, module, exports) {\n" +
    readPlotlySource() +
    "\n  }).call(window, undefined, undefined, undefined); }\n" +
    "  finally { window.define = hiddenDefine; }\n" +
    "})(); }\n" +
    "</script>\n"
  );
}

let divCounter = 0;

function newDivId(): string {
  divCounter += 1;
  return `nnlab-plot-${process.pid}-${Date.now().toString(36)}-${divCounter}`;
}

/** Options of {@link figureHtml}. */
export interface FigureHtmlOptions {
  /** Prepend the plotly.js bundle. */
  includePlotly: boolean;
  /** CSS height of the plot div (plotly's default is 450 px). */
  height?: number;
}

/**
 * A div plus a script drawing `spec` into it once window.Plotly exists (the bundle may be in an
 * earlier output still being evaluated). After a minute it gives up with a visible message.
 */
export function figureHtml(
  spec: { data: unknown[]; layout: Record<string, unknown>; config?: Record<string, unknown> },
  options: FigureHtmlOptions,
): string {
  const id = newDivId();
  const height = options.height ?? (typeof spec.layout.height === "number" ? spec.layout.height : 450);
  const config = { responsive: true, displaylogo: false, ...(spec.config ?? {}) };
  const payload = scriptSafeJSON({ data: spec.data, layout: spec.layout, config });
  return (
    (options.includePlotly ? plotlyLoaderHtml() : "") +
    `<div id="${id}" class="nnlab-plot" style="width:100%;height:${height}px;"></div>\n` +
    "<script type=\"text/javascript\">\n" +
    "(function () {\n" +
    `  var spec = ${payload};\n` +
    "  var tries = 0;\n" +
    "  function draw() {\n" +
    `    var el = document.getElementById(${JSON.stringify(id)});\n` +
    "    if (!el) return;\n" +
    "    if (window.Plotly && window.Plotly.newPlot) {\n" +
    "      window.Plotly.newPlot(el, spec.data, spec.layout, spec.config);\n" +
    "      return;\n" +
    "    }\n" +
    "    if (++tries > 600) {\n" +
    "      el.textContent = 'plotly.js is not loaded in this page: it comes with the first figure of the " +
    "kernel session; re-run that cell, or restart the kernel and run all cells.';\n" +
    "      return;\n" +
    "    }\n" +
    "    setTimeout(draw, 100);\n" +
    "  }\n" +
    "  draw();\n" +
    "})();\n" +
    "</script>"
  );
}
