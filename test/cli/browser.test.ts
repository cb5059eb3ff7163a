/**
 * The rendered page in a real browser: the plotly figure stored in a notebook must draw from
 * file:// (plotly.js inlined in a --standalone page, or the plotly.min.js that `nnlab run` writes
 * beside its pages), the figure JSON survives escaping, both traces appear.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { hasChromium, launchChromium, reportMissingChromium } from "../helpers/chromium";
import { renderNotebookHtml } from "../../cli/src/html";
import { readNotebook } from "../../cli/src/notebook";

const available = hasChromium;
reportMissingChromium("browser test");

const tmp = join(__dirname, "..", ".tmp", "cli-browser");
const root = join(__dirname, "..", "..");
const main = join(root, "cli", "dist", "main.js");
const built = existsSync(main) && existsSync(join(root, "kernel-lib", "dist", "plot", "index.js"));
if (!built) console.log("live-plot browser test skipped: cli/dist or kernel-lib/dist missing; run `npm run build` first");

/** Opens a page and returns what the first plotly figure drew. */
async function drawnFigure(page: string, shot: string): Promise<{ errors: string[]; traces: number; legend: string[]; title: string | null }> {
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector(".plotly-figure .main-svg", { timeout: 30_000 });
    const traces = await tab.locator(".plotly-figure .scatterlayer .trace").count();
    const legend = await tab.locator(".plotly-figure .legendtext").allTextContents();
    const title = await tab.locator(".plotly-figure .gtitle").textContent();
    await tab.locator(".plotly-figure").first().screenshot({ path: shot });
    return { errors, traces, legend, title };
  } finally {
    await browser.close();
  }
}

describe("HTML rendering in Chromium", () => {
  it.skipIf(!available)("draws the stored 2-trace plotly figure in a standalone page (plotly.js inlined)", async () => {
    mkdirSync(tmp, { recursive: true });
    const page = join(tmp, "plotly-output.html");
    writeFileSync(
      page,
      renderNotebookHtml(readNotebook(join(__dirname, "..", "fixtures", "notebooks", "plotly-output.ipynb")), { plotly: "inline" }),
    );
    const shot = join(tmp, "plotly-output.png");
    const drawn = await drawnFigure(page, shot);
    expect(drawn).toEqual({ errors: [], traces: 2, legend: ["train loss", "test loss"], title: "loss" });
    expect(statSync(shot).size).toBeGreaterThan(5_000);
  });

  it.skipIf(!available || !built)("draws a figure the kernel made with nnlab/plot, after nnlab run", async () => {
    const out = join(tmp, "live");
    const r = spawnSync(process.execPath, [main, "run", join(root, "test", "fixtures", "notebooks", "live-plot.ipynb"), "--out", out], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.stderr).toContain("live-plot.ipynb: cell 2/2 ok");
    expect(r.status).toBe(0);
    // The page loads the plotly.js written beside it; the notebook holds none.
    expect(statSync(join(out, "plotly.min.js")).size).toBeGreaterThan(1_000_000);
    expect(readFileSync(join(out, "live-plot.html"), "utf8")).toContain(`<script src="plotly.min.js"></script>`);
    expect(statSync(join(out, "live-plot.ipynb")).size).toBeLessThan(50_000);
    const shot = join(tmp, "live-plot.png");
    const drawn = await drawnFigure(join(out, "live-plot.html"), shot);
    expect(drawn).toEqual({ errors: [], traces: 2, legend: ["train", "test"], title: "loss" });
  });
});
