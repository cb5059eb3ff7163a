import { escapeHtml } from "./escape";

/** The stylesheet inlined in every rendered page (no external requests: pages open from file://). */
export const PAGE_CSS = `
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 64px; }
nav { margin-bottom: 12px; font-size: 14px; }
a { color: #1a5fb4; }
.run-summary { color: #555; font-size: 14px; border-bottom: 1px solid #e4e4e4; padding-bottom: 8px; }
.cell { margin: 10px 0; }
.cell.markdown { padding: 0 8px 0 88px; }
.cell.markdown img { max-width: 100%; }
.cell.markdown table { border-collapse: collapse; }
.cell.markdown th, .cell.markdown td { border: 1px solid #ccc; padding: 3px 8px; }
.input { display: flex; align-items: flex-start; gap: 8px; }
.prompt { flex: 0 0 80px; color: #303f9f; font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; text-align: right; padding-top: 7px; }
pre { font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; margin: 0; white-space: pre-wrap; word-break: break-word; }
pre.source { flex: 1; background: #f6f7f9; border: 1px solid #e0e0e0; border-radius: 3px; padding: 6px 8px; }
.outputs { margin-left: 88px; padding: 4px 0; overflow-x: auto; }
.outputs > * { margin: 4px 0; }
pre.stream.stderr { background: #fdf0f0; padding: 2px 6px; }
pre.error { background: #fdecea; color: #8a1c1c; padding: 6px 8px; border-left: 3px solid #c62828; }
.output-image img { max-width: 100%; }
.plotly-figure { width: 100%; min-height: 360px; }
.badge { font-size: 12px; border-radius: 3px; padding: 1px 6px; margin-top: 7px; white-space: nowrap; }
.badge.error, .badge.timeout, .badge.died, .badge.abort { background: #c62828; color: #fff; }
.badge.not-run { background: #9e9e9e; color: #fff; }
.time { font-size: 12px; color: #777; margin-top: 8px; white-space: nowrap; }
.status-not-run pre.source { opacity: 0.6; }
.math { font-family: "Latin Modern Math", "STIX Two Math", serif; }
.math.display { display: block; text-align: center; margin: 8px 0; }
table.chapters { border-collapse: collapse; width: 100%; }
table.chapters th, table.chapters td { text-align: left; border-bottom: 1px solid #e4e4e4; padding: 6px 8px; }
.ok { color: #2e7d32; } .failed { color: #c62828; }
.widget-box { display: flex; gap: 4px 16px; }
.widget-hbox { flex-direction: row; flex-wrap: wrap; align-items: center; }
.widget-vbox { flex-direction: column; }
.widget-static { display: flex; align-items: center; gap: 8px; font-size: 14px; }
.widget-static label { min-width: 6em; }
.widget-static output { font: 13px ui-monospace, Menlo, Consolas, monospace; min-width: 4em; }
.widget-output { width: 100%; }
`;

/** The frame every rendered page shares: charset, viewport, title, the stylesheet, then `main`. */
export function htmlPage(title: string, main: string, extraHead: string = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
${extraHead ? extraHead + "\n" : ""}</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}
