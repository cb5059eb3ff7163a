import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasFigures, PLOTLY_FILE, renderMarkdown, renderNotebookHtml } from "../../cli/src/html";
import { parseNotebook, readNotebook } from "../../cli/src/notebook";

const fixtures = join(__dirname, "..", "fixtures", "notebooks");

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe("HTML rendering", () => {
  it("draws plotly JSON (not the HTML fallback) with the plotly.min.js beside the page", () => {
    const nb = readNotebook(join(fixtures, "plotly-output.ipynb"));
    expect(hasFigures(nb)).toBe(true);
    const code = nb.cells[1]!;
    if (code.cell_type !== "code") throw new Error("fixture changed");
    code.outputs.push(code.outputs[0]!);
    const html = renderNotebookHtml(nb);
    expect(occurrences(html, `<script src="${PLOTLY_FILE}"></script>`)).toBe(1);
    expect(html).not.toContain("* plotly.js v");
    expect(html.length).toBeLessThan(50_000);
    expect(occurrences(html, "Plotly.newPlot(")).toBe(2);
    expect(html).not.toContain("HTML fallback that must not be used");
    expect(html).toContain(`"name":"train loss"`);
    // ANSI colour codes are stripped from stream text.
    expect(html).toContain("epoch 4 loss 0.25");
    expect(html).not.toContain("\u001b");
    expect(html).toContain("<title>A precomputed plot</title>");
  });

  it("--standalone: plotly.js inlined once, however many figures", () => {
    const nb = readNotebook(join(fixtures, "plotly-output.ipynb"));
    const code = nb.cells[1]!;
    if (code.cell_type !== "code") throw new Error("fixture changed");
    code.outputs.push(code.outputs[0]!);
    const html = renderNotebookHtml(nb, { plotly: "inline" });
    expect(occurrences(html, "* plotly.js v")).toBe(1);
    expect(html.length).toBeGreaterThan(4_000_000);
    expect(html).not.toContain(`src="${PLOTLY_FILE}"`);
    expect(occurrences(html, "Plotly.newPlot(")).toBe(2);
  });

  it("leaves out plotly.js on pages without figures, escapes text, keeps TeX, shows errors", () => {
    const nb = parseNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          {
            cell_type: "markdown",
            id: "m",
            metadata: {},
            source: "Loss $C = \\frac{1}{2} a_1 * b_2$ and $$\\delta^l = \\nabla_a C$$ cost $5 and $6.",
          },
          {
            cell_type: "code",
            id: "c",
            metadata: {},
            source: "x < y && show()",
            execution_count: 3,
            outputs: [
              { output_type: "stream", name: "stdout", text: "<b>not bold</b>\n" },
              { output_type: "stream", name: "stdout", text: "step 1\rstep 2\n" },
              {
                output_type: "execute_result",
                execution_count: 3,
                metadata: {},
                data: { "text/html": "<table id='t'></table>", "text/plain": "table" },
              },
              { output_type: "display_data", metadata: {}, data: { "image/png": "iVBORw0KGgo=\n" } },
              {
                output_type: "error",
                ename: "TypeError",
                evalue: "x is undefined",
                traceback: ["\u001b[31mTypeError\u001b[0m: x is undefined", "    at cell:1"],
              },
            ],
          },
        ],
      }),
      "t.ipynb",
    );
    const html = renderNotebookHtml(nb);
    expect(hasFigures(nb)).toBe(false);
    expect(html).not.toContain("plotly.js v");
    expect(html).not.toContain(PLOTLY_FILE);
    expect(html).toContain('<pre class="source">x &lt; y &amp;&amp; show()</pre>');
    expect(html).toContain("In [3]:");
    // Consecutive stdout chunks merge; a carriage return keeps the last redraw.
    expect(html).toContain(`<pre class="stream stdout">&lt;b&gt;not bold&lt;/b&gt;\nstep 2\n</pre>`);
    expect(html).toContain("<table id='t'></table>");
    expect(html).toContain(`<img src="data:image/png;base64,iVBORw0KGgo=">`);
    expect(html).toContain("<b>TypeError: x is undefined</b>\nTypeError: x is undefined\n    at cell:1");
    expect(html).toContain(`<span class="math">$C = \\frac{1}{2} a_1 * b_2$</span>`);
    expect(html).toContain(`<span class="math display">$$\\delta^l = \\nabla_a C$$</span>`);
    expect(html).toContain("cost $5 and $6.");
  });

  it("renders markdown with GFM tables", () => {
    expect(renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |")).toContain("<td>1</td>");
  });
});
