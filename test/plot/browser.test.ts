/**
 * The text/html fallback in a real browser: it carries no plotly.js but loads it from the front
 * end's nbextensions path (classic Notebook's <body data-base-url>), draws every figure once it
 * is there, leaves require.js alone (classic Notebook, VS Code), and says what to install when
 * plotly.js is not served.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { hasChromium, launchChromium, reportMissingChromium } from "../helpers/chromium";
import { contourPlot, heatmapGrid, jupyterDisplaySymbol, linePlot, plotlyNbextensionPath } from "../../kernel-lib/src/plot/index";

const available = hasChromium;
reportMissingChromium("plot browser test");

const tmp = join(__dirname, "..", ".tmp", "plot-browser");

// Just enough of require.js for a UMD bundle to take the AMD branch if it could see it.
const fakeRequireJs = `<script>
window.amdCalls = 0;
window.define = function () { window.amdCalls++; };
window.define.amd = {};
</script>`;

function figuresPage(): string {
  const html = (f: { [jupyterDisplaySymbol](): Record<string, unknown> }): string => f[jupyterDisplaySymbol]()["text/html"] as string;
  const contour = html(
    contourPlot((x, y) => x * x + 4 * y * y, {
      xRange: [-2, 2],
      yRange: [-1, 1],
      steps: 20,
      trajectories: [
        {
          name: "sgd",
          points: [
            [-2, 1],
            [-1, 0.2],
            [0, 0],
          ],
        },
      ],
    }),
  );
  const line = html(linePlot({ loss: [1, 0.5, 0.25], val_loss: [1.2, 0.7, 0.5] }, { title: "loss", logY: true }));
  const grid = html(
    heatmapGrid(
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [4, 3],
          [2, 1],
        ],
      ],
      { titles: ["a", "b"] },
    ),
  );
  return `<!doctype html><html><head></head><body data-base-url="./">${fakeRequireJs}${contour}${line}${grid}</body></html>`;
}

describe("figure HTML fallback in Chromium", () => {
  it.skipIf(!available)("loads plotly.js once from the nbextensions path and draws every figure, require.js present", async () => {
    rmSync(tmp, { recursive: true, force: true });
    const served = join(tmp, plotlyNbextensionPath);
    mkdirSync(dirname(served), { recursive: true });
    copyFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), served);
    const page = join(tmp, "figures.html");
    writeFileSync(page, figuresPage());
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage({ viewport: { width: 900, height: 1400 } });
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.goto(pathToFileURL(page).href);
      await tab.waitForFunction(() => document.querySelectorAll(".nnlab-plot .main-svg").length >= 3, undefined, { timeout: 60_000 });
      const state = await tab.evaluate(() => ({
        scripts: Array.from(document.querySelectorAll("script[src]")).map((s) => s.getAttribute("src")),
        amdCalls: (window as unknown as { amdCalls: number }).amdCalls,
        defineKept: typeof (window as unknown as { define?: { amd?: unknown } }).define?.amd,
        plots: Array.from(document.querySelectorAll(".nnlab-plot")).map((el) => ({
          legend: Array.from(el.querySelectorAll(".legendtext")).map((t) => t.textContent),
          heatmaps: el.querySelectorAll(".hm").length,
          title: el.querySelector(".gtitle")?.textContent ?? null,
          logY: (el as unknown as { layout?: { yaxis?: { type?: string } } }).layout?.yaxis?.type ?? null,
        })),
      }));
      await tab.screenshot({ path: join(tmp, "figures.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(state.scripts).toEqual([`./${plotlyNbextensionPath}`]);
      expect(state.amdCalls).toBe(0);
      expect(state.defineKept).toBe("object");
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

  it.skipIf(!available)("says what to install when the front end does not serve plotly.js", async () => {
    const dir = join(tmp, "unserved");
    mkdirSync(dir, { recursive: true });
    const page = join(dir, "figures.html");
    writeFileSync(page, figuresPage());
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(pathToFileURL(page).href);
      await tab.waitForFunction(() => Array.from(document.querySelectorAll(".nnlab-plot")).every((el) => (el.textContent ?? "") !== ""), undefined, {
        timeout: 30_000,
      });
      const texts = await tab.locator(".nnlab-plot").allTextContents();
      expect(texts).toHaveLength(3);
      for (const t of texts)
        expect(t).toMatch(/needs plotly\.js from .*nbextensions\/nnlab-plotly\/plotly\.min\.js.*nnlab kernel install.*plotly Python package/);
    } finally {
      await browser.close();
    }
  });
});
