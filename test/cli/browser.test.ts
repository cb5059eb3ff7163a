/**
 * The rendered page in a real browser: the plotly figure stored in a notebook must draw (the
 * inlined library loads from file://, the figure JSON survives escaping, both traces appear).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { renderNotebookHtml } from "../../cli/src/html";
import { readNotebook } from "../../cli/src/notebook";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) console.log(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

const tmp = join(__dirname, "..", ".tmp", "cli-browser");

describe("HTML rendering in Chromium", () => {
  it.skipIf(!available)("draws the stored 2-trace plotly figure", async () => {
    const { chromium } = await import("playwright-core");
    mkdirSync(tmp, { recursive: true });
    const page = join(tmp, "plotly-output.html");
    writeFileSync(page, renderNotebookHtml(readNotebook(join(__dirname, "..", "fixtures", "notebooks", "plotly-output.ipynb"))));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.goto(pathToFileURL(page).href);
      await tab.waitForSelector(".plotly-figure .main-svg", { timeout: 30_000 });
      const traces = await tab.locator(".plotly-figure .scatterlayer .trace").count();
      const legend = await tab.locator(".plotly-figure .legendtext").allTextContents();
      const title = await tab.locator(".plotly-figure .gtitle").textContent();
      const shot = join(tmp, "plotly-output.png");
      await tab.locator(".plotly-figure").screenshot({ path: shot });
      expect(errors).toEqual([]);
      expect(traces).toBe(2);
      expect(legend).toEqual(["train loss", "test loss"]);
      expect(title).toBe("loss");
      expect(statSync(shot).size).toBeGreaterThan(5_000);
    } finally {
      await browser.close();
    }
  });
});
