/**
 * `nnlab run` on a notebook with `widgets.interact`, in a real nnlab kernel: no front end moves the
 * slider, so the run keeps the first run of the function. The saved notebook carries the widget
 * state (the slider at its start value, the Output widget with the figure), and the HTML page
 * draws that state as a still picture: the slider at 0.10 and SGD's path for η = 0.1 in plotly.
 * Then the HTML is opened in Chromium to see that picture drawn.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runNotebooks, type NotebookSummary } from "../../cli/src/commands/run";
import { readNotebook, savedWidgetState } from "../../cli/src/notebook";
import { hasChromium, launchChromium, reportMissingChromium } from "../helpers/chromium";

const repo = join(__dirname, "..", "..");
const tmp = join(repo, "test", ".tmp", "run-widgets");
const built = existsSync(join(repo, "cli", "dist", "tslab", "kernel.js")) && existsSync(join(repo, "kernel-lib", "dist", "widgets", "index.js"));
if (!built) console.log("nnlab run widget tests skipped: cli/dist or kernel-lib/dist missing; run `npm run build` first");

let run: NotebookSummary;

describe.skipIf(!built)("nnlab run with widgets", () => {
  beforeAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    const summary = await runNotebooks([join(repo, "test", "fixtures", "notebooks", "lab-widgets.ipynb")], { outDir: tmp, log: () => undefined });
    run = summary.notebooks[0]!;
  }, 180_000);

  it("saves the state of every model the kernel opened, the Output widget with its figure", () => {
    expect(run.error, run.error).toBeUndefined();
    const nb = readNotebook(run.ipynb!);
    const state = savedWidgetState(nb);
    const models = Object.values(state?.state ?? {});
    const slider = models.find((m) => m.model_name === "FloatSliderModel");
    expect(slider).toMatchObject({
      model_module: "@jupyter-widgets/controls",
      model_module_version: "2.0.0",
      state: { description: "lr", value: 0.1 },
    });
    const output = models.find((m) => m.model_name === "OutputModel");
    const outputs = output?.state.outputs as { data?: Record<string, { data?: { name?: string }[] }> }[] | undefined;
    expect(outputs?.[0]?.data?.["application/vnd.plotly.v1+json"]?.data?.map((t) => t.name)).toContain("SGD η=0.10");
    // The cell shows the box; the figure lives in the Output widget, not twice in the cell.
    const cell = nb.cells[2]!;
    if (cell.cell_type !== "code") throw new Error("fixture changed");
    const views = cell.outputs.filter((o) => o.output_type === "display_data" && "application/vnd.jupyter.widget-view+json" in o.data);
    expect(views.length).toBe(1);
    expect(cell.outputs.some((o) => o.output_type === "display_data" && "application/vnd.plotly.v1+json" in o.data)).toBe(false);
  });

  it("writes a page with the slider at its start value and the figure", () => {
    const html = readFileSync(run.html!, "utf8");
    expect(html).toMatch(/<label>lr<\/label><input type="range" min="0.05" max="0.45" step="0.05" value="0.1" disabled><output>0.10<\/output>/);
    expect(html).toContain('"name":"SGD η=0.10"');
    expect(existsSync(join(tmp, "plotly.min.js"))).toBe(true);
  });

  reportMissingChromium("nnlab run widget page in Chromium");

  it.runIf(hasChromium)(
    "the page draws the still picture: the disabled slider and the plot with the path",
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(pathToFileURL(run.html!).href);
        const plotDiv = page.locator(".widget-view .widget-output .js-plotly-plot");
        await plotDiv.locator(".main-svg").first().waitFor({ timeout: 30_000 });
        expect(await page.locator(".widget-view input[type=range][disabled]").inputValue()).toBe("0.1");
        const names = await plotDiv.evaluate((el) => ((el as HTMLElement & { data?: { name?: string }[] }).data ?? []).map((t) => t.name));
        expect(names).toContain("SGD η=0.10");
        expect(errors).toEqual([]);
        await page.locator(".widget-view").screenshot({ path: join(tmp, "widget-page.png") });
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
