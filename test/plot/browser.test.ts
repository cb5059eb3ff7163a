/**
 * The text/html fallback in a real browser: plotly.js inlined once must define window.Plotly
 * even where require.js is loaded (classic Notebook, VS Code), and a figure whose HTML arrives
 * before the bundle must wait for it and then draw.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { hasChromium, launchChromium, reportMissingChromium } from "../helpers/chromium";
import { contourPlot, heatmapGrid, jupyterDisplaySymbol, linePlot, resetPlotlyInjection } from "../../kernel-lib/src/plot/index";

const available = hasChromium;
reportMissingChromium("plot browser test");

const tmp = join(__dirname, "..", ".tmp", "plot-browser");

// Just enough of require.js for a UMD bundle to take the AMD branch if it could see it.
const fakeRequireJs = `<script>
window.amdCalls = 0;
window.define = function () { window.amdCalls++; };
window.define.amd = {};
</script>`;

describe("figure HTML in Chromium", () => {
  it.skipIf(!available)("draws every figure with require.js present, in any arrival order", async () => {
    resetPlotlyInjection();
    const first = linePlot({ loss: [1, 0.5, 0.25], val_loss: [1.2, 0.7, 0.5] }, { title: "loss", logY: true });
    const firstHtml = first[jupyterDisplaySymbol]()["text/html"] as string;
    const contourHtml = contourPlot((x, y) => x * x + 4 * y * y, {
      xRange: [-2, 2], yRange: [-1, 1], steps: 20, trajectories: [{ name: "sgd", points: [[-2, 1], [-1, 0.2], [0, 0]] }],
    })[jupyterDisplaySymbol]()["text/html"] as string;
    const gridHtml = heatmapGrid([[[1, 2], [3, 4]], [[4, 3], [2, 1]]], { titles: ["a", "b"] })[jupyterDisplaySymbol]()["text/html"] as string;
    expect(contourHtml).not.toContain("plotly.js v4");
    mkdirSync(tmp, { recursive: true });
    const page = join(tmp, "figures.html");
    // The contour comes before the bundle: its script must wait for window.Plotly.
    writeFileSync(page, `<!doctype html><html><body>${fakeRequireJs}${contourHtml}${firstHtml}${gridHtml}</body></html>`);
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage({ viewport: { width: 900, height: 1400 } });
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.goto(pathToFileURL(page).href);
      await tab.waitForFunction(() => document.querySelectorAll(".nnlab-plot .main-svg").length >= 3, undefined, { timeout: 30_000 });
      const state = await tab.evaluate(() => ({
        plotly: typeof (window as unknown as { Plotly?: { newPlot?: unknown } }).Plotly?.newPlot,
        amdCalls: (window as unknown as { amdCalls: number }).amdCalls,
        defineRestored: typeof (window as unknown as { define?: { amd?: unknown } }).define?.amd,
        plots: Array.from(document.querySelectorAll(".nnlab-plot")).map((el) => ({
          traces: el.querySelectorAll(".trace").length,
          heatmaps: el.querySelectorAll(".hm").length,
          legend: Array.from(el.querySelectorAll(".legendtext")).map((t) => t.textContent),
          title: el.querySelector(".gtitle")?.textContent ?? null,
          logY: (el as unknown as { layout?: { yaxis?: { type?: string } } }).layout?.yaxis?.type ?? null,
        })),
      }));
      await tab.screenshot({ path: join(tmp, "figures.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(state.plotly).toBe("function");
      expect(state.amdCalls).toBe(0);
      expect(state.defineRestored).toBe("object");
      expect(state.plots).toHaveLength(3);
      const [contour, line, grid] = state.plots;
      expect(contour!.legend).toContain("sgd");
      expect(line!.legend).toEqual(["loss", "val_loss"]);
      expect(line!.title).toBe("loss");
      expect(line!.logY).toBe("log");
      expect(grid!.heatmaps).toBe(2);
    } finally {
      await browser.close();
    }
  });
});
