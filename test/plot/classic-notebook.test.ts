/**
 * Figures in classic Notebook 6 (Debian's jupyter-notebook), in Chromium, drawn by the nnlab-plotly
 * nbextension from the application/vnd.plotly.v1+json data: a real `python3 -m notebook` server
 * with the project-local layout (`nnlab kernel install` into a data folder and a config folder,
 * passed as JUPYTER_PATH / JUPYTER_CONFIG_PATH as `nnlab start` does).
 *
 * One test per scenario of issue 13, each counting the plots that drew an svg.main-svg against
 * the notebook's figure outputs and saving a screenshot in test/.tmp/classic-notebook:
 * Run All then reload, close the tab and reopen, Kernel › Restart, the notebook untrusted, and a
 * live figure that keeps updating in place after a reload.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NBEXTENSION_NAME, NBEXTENSION_REQUIRE } from "../../cli/src/kernel";
import { classicNotebookAvailable, nnlabNotebook, startClassicNotebook, waitNotebookLoaded, type ClassicNotebook } from "../helpers/classic-notebook";

const available = classicNotebookAvailable("classic Notebook figure tests", { importsNnlab: true });
const tmp = resolve(__dirname, "..", ".tmp", "classic-notebook");

// Three kinds of figure output: an execute_result, a displayed contour, and fit's live loss curve
// (display_data updated in place with update_display_data).
const figuresNotebook = nnlabNotebook([
  `import { seed, tensor, plot, fit, Sequential, Linear, optim } from "nnlab";\nseed(0);`,
  `plot.linePlot({ train: [1, 0.6, 0.4, 0.3], test: [1.1, 0.7, 0.5, 0.45] }, { title: "Loss per epoch" })`,
  `plot.contourPlot((x, y) => x * x + 4 * y * y, { xRange: [-2, 2], yRange: [-1, 1], steps: 20 }).show();`,
  `const x = tensor([[0], [1], [2], [3]]), y = tensor([[1], [3], [5], [7]]);\n` +
    `const model = new Sequential(new Linear(1, 1));\n` +
    `const h = await fit(model, { train: [x, y], loss: "mse", optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }), epochs: 20, batchSize: 4 });\n` +
    `console.log("epochs", h.loss.length);`,
]);

// A live figure that updates for ~20 s: long enough to save and reload the page in between.
const liveNotebook = nnlabNotebook([
  `import { plot } from "nnlab";\n` +
    `const p = plot.trainingProgress({ throttleMs: 0 });\n` +
    `for (let e = 1; e <= 80; e++) { p.update({ epoch: e, epochs: 80, loss: 1 / e }); await new Promise((r) => setTimeout(r, 250)); }\n` +
    `p.end();`,
]);

let classic: ClassicNotebook | undefined;

function open(name: string): Promise<Page> {
  // Tall enough that the screenshot shows every figure (the notebook scrolls inside its own panel).
  return classic!.open(name, { width: 1100, height: 2300 });
}

/** Figure outputs in the notebook model, and plots that drew their svg.main-svg. */
async function figures(page: Page): Promise<{ outputs: number; drawn: number; svgs: number; trusted: boolean }> {
  return page.evaluate(() => {
    const nb = (
      window as unknown as { Jupyter: { notebook: { trusted: boolean; toJSON(): { cells: { outputs?: { data?: Record<string, unknown> }[] }[] } } } }
    ).Jupyter.notebook;
    const outputs = nb
      .toJSON()
      .cells.flatMap((c) => c.outputs ?? [])
      .filter((o) => o.data && "application/vnd.plotly.v1+json" in o.data).length;
    const plots = Array.from(document.querySelectorAll(".js-plotly-plot"));
    const drawn = plots.filter((p) => {
      const svg = p.querySelector("svg.main-svg");
      return svg !== null && svg.getBoundingClientRect().width > 100 && p.querySelectorAll(".trace, .contour").length > 0;
    }).length;
    return { outputs, drawn, svgs: document.querySelectorAll("svg.main-svg").length, trusted: nb.trusted };
  });
}

/** Waits until every figure output has drawn, then returns the counts. */
async function allDrawn(page: Page, atLeast: number): Promise<{ outputs: number; drawn: number; svgs: number; trusted: boolean }> {
  try {
    await page.waitForFunction(
      (n) => {
        const plots = Array.from(document.querySelectorAll(".js-plotly-plot")).filter((p) => p.querySelector("svg.main-svg"));
        return plots.length >= n;
      },
      atLeast,
      { timeout: 30_000 },
    );
  } catch {
    // fall through: the assertion on the counts says what is missing
  }
  return figures(page);
}

async function runAll(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }).Jupyter.notebook.execute_all_cells());
  await page.waitForFunction(
    () => {
      const nb = (
        window as unknown as { Jupyter: { notebook: { kernel_busy: boolean; get_cells(): { cell_type: string; input_prompt_number?: unknown }[] } } }
      ).Jupyter.notebook;
      return !nb.kernel_busy && nb.get_cells().every((c) => c.cell_type !== "code" || typeof c.input_prompt_number === "number");
    },
    undefined,
    { timeout: 120_000 },
  );
}

async function save(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { Jupyter: { notebook: { save_notebook(): Promise<unknown> } } }).Jupyter.notebook.save_notebook());
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(tmp, `${name}.png`), fullPage: true });
}

const FIGURES = 3;

describe.skipIf(!available)("figures in classic Notebook 6 (nnlab-plotly nbextension, Chromium)", () => {
  beforeAll(async () => {
    classic = await startClassicNotebook(tmp, { "figures.ipynb": figuresNotebook, "live.ipynb": liveNotebook }, { nbextension: true });
  }, 120_000);

  afterAll(async () => {
    await classic?.stop();
  }, 60_000);

  it("the nbextension is installed, enabled in nbconfig and served", async () => {
    const get = (path: string): Promise<Response> =>
      fetch(`${classic!.server.url}/${path}`, { headers: { Authorization: `token ${classic!.server.token}` } });
    const main = await get(`nbextensions/${NBEXTENSION_NAME}/main.js`);
    expect(main.status).toBe(200);
    expect(await main.text()).toContain("register_mime_type");
    const lib = await get(`nbextensions/${NBEXTENSION_NAME}/plotly.min.js`);
    expect(lib.status).toBe(200);
    expect(Number(lib.headers.get("content-length") ?? (await lib.arrayBuffer()).byteLength)).toBeGreaterThan(1_000_000);
    const config = (await (await get("api/config/notebook")).json()) as { load_extensions?: Record<string, boolean> };
    expect(config.load_extensions?.[NBEXTENSION_REQUIRE]).toBe(true);
  });

  it("Run All draws every figure, and a reload draws them again from the saved notebook", async () => {
    const page = await open("figures.ipynb");
    await runAll(page);
    const ran = await allDrawn(page, FIGURES);
    await shot(page, "run-all");
    expect(ran.outputs).toBe(FIGURES);
    expect(ran.drawn).toBe(ran.outputs);
    expect(ran.svgs).toBeGreaterThanOrEqual(ran.outputs);
    await save(page);
    await page.reload();
    await waitNotebookLoaded(page);
    const reloaded = await allDrawn(page, FIGURES);
    await shot(page, "run-all-reload");
    expect(reloaded.outputs).toBe(FIGURES);
    expect(reloaded.drawn).toBe(reloaded.outputs);
    await page.close();
  }, 240_000);

  it("close the tab and reopen the notebook: the saved figures draw without re-running", async () => {
    const page = await open("figures.ipynb");
    const counts = await allDrawn(page, FIGURES);
    await shot(page, "reopen");
    expect(counts.outputs).toBe(FIGURES);
    expect(counts.drawn).toBe(counts.outputs);
    await page.close();
  }, 120_000);

  it("Kernel › Restart keeps the figures drawn, and running again draws them all", async () => {
    const page = await open("figures.ipynb");
    await allDrawn(page, FIGURES);
    await page.evaluate(() =>
      (window as unknown as { Jupyter: { notebook: { restart_kernel(o: { confirm: boolean }): Promise<unknown> } } }).Jupyter.notebook.restart_kernel(
        { confirm: false },
      ),
    );
    await waitNotebookLoaded(page);
    const afterRestart = await figures(page);
    expect(afterRestart.outputs).toBe(FIGURES);
    expect(afterRestart.drawn).toBe(afterRestart.outputs);
    await runAll(page);
    const rerun = await allDrawn(page, FIGURES);
    await shot(page, "restart");
    expect(rerun.outputs).toBe(FIGURES);
    expect(rerun.drawn).toBe(rerun.outputs);
    await page.close();
  }, 240_000);

  it("an untrusted notebook draws its saved figures (the renderer runs no code from outputs)", async () => {
    // Any change a server did not sign makes a notebook untrusted: here one metadata field.
    const saved = JSON.parse(readFileSync(join(classic!.notebooks, "figures.ipynb"), "utf8")) as { metadata: Record<string, unknown> };
    saved.metadata.edited_elsewhere = true;
    writeFileSync(join(classic!.notebooks, "untrusted.ipynb"), JSON.stringify(saved));
    const page = await open("untrusted.ipynb");
    const counts = await allDrawn(page, FIGURES);
    await shot(page, "untrusted");
    expect(counts.trusted).toBe(false);
    expect(counts.outputs).toBe(FIGURES);
    expect(counts.drawn).toBe(counts.outputs);
    await page.close();
  }, 120_000);

  it("a live figure keeps updating in place after a reload", async () => {
    const page = await open("live.ipynb");
    await page.evaluate(() => (window as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }).Jupyter.notebook.execute_all_cells());
    const title = (): Promise<string> => page.evaluate(() => document.querySelector(".js-plotly-plot .gtitle")?.textContent ?? "");
    await page.waitForFunction(() => /epoch ([3-9]|\d\d)\/80/.test(document.querySelector(".js-plotly-plot .gtitle")?.textContent ?? ""), undefined, {
      timeout: 60_000,
    });
    await save(page);
    await page.reload();
    await waitNotebookLoaded(page);
    await allDrawn(page, 1);
    const before = Number(/epoch (\d+)\/80/.exec(await title())?.[1] ?? NaN);
    expect(before).toBeGreaterThan(0);
    expect(before, "the training ended before the page was back: nothing to show").toBeLessThan(80);
    // The kernel still runs the cell the old page sent: its updates must reach the saved output.
    await page.waitForFunction(() => /epoch 80\/80/.test(document.querySelector(".js-plotly-plot .gtitle")?.textContent ?? ""), undefined, {
      timeout: 60_000,
    });
    const after = await figures(page);
    await shot(page, "live-after-reload");
    expect(after.outputs).toBe(1);
    expect(after.drawn).toBe(1);
    expect(await title()).toMatch(/epoch 80\/80/);
    await page.close();
  }, 180_000);
});
