import { deflateRawSync } from "node:zlib";

/*
 * The text/html fallback of a figure, for front ends without a renderer for the plotly mime type
 * (classic Notebook without nnlab's nbextension, nbconvert's HTML opened from a server, JupyterLab
 * without plotly's extension, trusted outputs only). It carries the figure, not plotly.js: the
 * library comes from where the front end serves it, the nbextensions path that
 * `nnlab kernel install` fills, so no notebook ever stores the ≈4.8 MB bundle.
 */

/** Where `nnlab kernel install` puts plotly.js, relative to the server's base URL. */
export const plotlyNbextensionPath = "nbextensions/nnlab-plotly/plotly.min.js";

let divCounter = 0;

function newDivId(): string {
  divCounter += 1;
  return `nnlab-plot-${process.pid}-${Date.now().toString(36)}-${divCounter}`;
}

/** Options of {@link figureHtml}. */
export interface FigureHtmlOptions {
  /** CSS height of the plot div (plotly's default is 450 px). */
  height?: number;
}

// One loader per page, shared by every fallback figure (window.__nnlabPlotly holds the promise).
// A plain <script>, also where require.js is loaded (classic Notebook, VS Code): plotly.js 4's
// wrapper defines no AMD module, it sets window.Plotly, and require.js would give up on a 4.8 MB
// file after its waitSeconds on a slow machine. The base URL comes from classic Notebook's
// <body data-base-url> or JupyterLab's page config.
const loaderScript =
  "function nnlabPlotly() {\n" +
  "  if (window.Plotly && window.Plotly.newPlot) return Promise.resolve(window.Plotly);\n" +
  "  if (window.__nnlabPlotly) return window.__nnlabPlotly;\n" +
  "  var base = (document.body && document.body.getAttribute('data-base-url')) || '';\n" +
  "  var cfg = document.getElementById('jupyter-config-data');\n" +
  "  if (!base && cfg) { try { base = JSON.parse(cfg.textContent).baseUrl || ''; } catch (e) {} }\n" +
  "  if (!base) base = '/';\n" +
  "  if (base.charAt(base.length - 1) !== '/') base += '/';\n" +
  `  var src = base + ${JSON.stringify(plotlyNbextensionPath)};\n` +
  "  window.PlotlyConfig = window.PlotlyConfig || {MathJaxConfig: 'local'};\n" +
  "  window.__nnlabPlotly = new Promise(function (resolve, reject) {\n" +
  "    var s = document.createElement('script');\n" +
  "    var fail = function () { window.__nnlabPlotly = undefined; reject(new Error(src)); };\n" +
  "    s.src = src; s.onerror = fail;\n" +
  "    s.onload = function () { if (window.Plotly && window.Plotly.newPlot) resolve(window.Plotly); else fail(); };\n" +
  "    document.head.appendChild(s);\n" +
  "  });\n" +
  "  return window.__nnlabPlotly;\n" +
  "}\n";

/**
 * The figure for the fallback's script: deflated JSON in base64. The fallback repeats the figure
 * the plotly mime type already holds, and a contour grid is tens of kilobytes of digits, which
 * deflate shrinks about fourfold; base64 is one ASCII line that no `</script>` or charset can upset.
 */
export function packFigure(spec: unknown): string {
  return deflateRawSync(Buffer.from(JSON.stringify(spec), "utf8"), { level: 9 }).toString("base64");
}

// Browsers since 2023 unpack deflate natively (DecompressionStream).
const unpackScript =
  "function nnlabUnpack(b64) {\n" +
  "  var bin = atob(b64), bytes = new Uint8Array(bin.length);\n" +
  "  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);\n" +
  "  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).json();\n" +
  "}\n";

/**
 * A div plus a script that loads plotly.js from the front end's nbextensions path and draws
 * `spec` into it; when plotly.js cannot be found the div says what to install.
 */
export function figureHtml(
  spec: { data: unknown[]; layout: Record<string, unknown>; config?: Record<string, unknown> },
  options: FigureHtmlOptions = {},
): string {
  const id = newDivId();
  const height = options.height ?? (typeof spec.layout.height === "number" ? spec.layout.height : 450);
  const config = { responsive: true, displaylogo: false, ...(spec.config ?? {}) };
  const payload = packFigure({ data: spec.data, layout: spec.layout, config });
  return (
    `<div id="${id}" class="nnlab-plot" style="width:100%;height:${height}px;"></div>\n` +
    '<script type="text/javascript">\n' +
    "(function () {\n" +
    loaderScript +
    unpackScript +
    `  var el = document.getElementById(${JSON.stringify(id)});\n` +
    "  if (!el) return;\n" +
    "  if (typeof DecompressionStream === 'undefined') { el.style.height = 'auto'; el.textContent = 'This browser is too old to draw this figure.'; return; }\n" +
    `  var packed = "${payload}";\n` +
    "  Promise.all([nnlabUnpack(packed), nnlabPlotly()]).then(function (r) { var spec = r[0]; r[1].newPlot(el, spec.data, spec.layout, spec.config); }, function (e) {\n" +
    "    el.style.height = 'auto';\n" +
    "    el.textContent = 'This figure needs plotly.js from ' + e.message + ', which this front end does not serve. ' +\n" +
    "      'Classic Notebook: run `nnlab kernel install` (it installs the nnlab-plotly nbextension). ' +\n" +
    "      'JupyterLab: install the plotly Python package, whose renderer draws this output\\'s application/vnd.plotly.v1+json data.';\n" +
    "  });\n" +
    "})();\n" +
    "</script>"
  );
}
