/**
 * nnlab's JupyterLab (lab/: JupyterLab 4's npm packages, served by Debian's Jupyter Server 1.23
 * with jupyterlab_server) in Chromium, on a chapter and on small fixture notebooks: picking the
 * kernel, Run All with every figure drawn, reload and reopen, the live fit curve, completion and
 * the inspector, interrupt and restart. Each scenario saves a screenshot in test/.tmp/lab/.
 */
import { cpSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelspecDir, writeKernelspec } from "../../cli/src/kernel";
import { nnlabLabMissing, startNnlabLab } from "../../cli/src/kernel/nnlab-lab";
import { installLabExtension, LAB_EXTENSION_NAME } from "../../cli/src/kernel/lab-extension";
import type { JupyterServer } from "../../cli/src/kernel/spawn-jupyter";
import { hasChromium, reportMissingChromium } from "../helpers/chromium";
import {
  drawnFigures,
  figureOutputs,
  loggedInContext,
  menu,
  notebookCells,
  recordFailures,
  waitAllExecuted,
  waitKernelIdle,
  type FailedRequest,
  type LabWindow,
} from "../helpers/jupyterlab";

const repo = join(__dirname, "..", "..");
const out = join(repo, "test", ".tmp", "lab");
const root = join(out, "root");
// Chapter 01 runs in ≈13 s headless and draws figures; the fixtures keep the other scenarios short.
const CHAPTER = "01-backprop-chain-rule.ipynb";

const missing = nnlabLabMissing();
if (missing) console.log(`JupyterLab browser tests skipped: ${missing}`);
reportMissingChromium("JupyterLab browser tests");
const available = hasChromium && missing === undefined;

let server: JupyterServer;
let labExtension: string | undefined;
let browser: Browser;
let context: BrowserContext;
const failures: FailedRequest[] = [];

async function openPage(path: string): Promise<Page> {
  const page = await context.newPage();
  recordFailures(page, failures);
  page.on("pageerror", (e) => failures.push({ what: `page error ${e.message}`, url: page.url() }));
  // ?reset: a fresh workspace, so tabs from another scenario do not reopen here.
  await page.goto(`${server.url}/lab/tree/${path}?reset`);
  await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file });
  expect(statSync(file).size).toBeGreaterThan(10_000);
}

describe.skipIf(!available)("nnlab's JupyterLab 4 on Jupyter Server 1.23", () => {
  beforeAll(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    cpSync(join(repo, "notebooks", CHAPTER), join(root, CHAPTER));
    for (const f of ["lab-no-kernel.ipynb", "lab-fit.ipynb", "lab-edit.ipynb"]) {
      cpSync(join(repo, "test", "fixtures", "notebooks", f), join(root, f));
    }
    const jupyterPath = kernelspecDir();
    writeKernelspec(jupyterPath);
    // As `nnlab kernel install` does: the prebuilt plotly extension beside the kernelspec.
    labExtension = installLabExtension(jupyterPath);
    server = await startNnlabLab({ rootDir: root, jupyterPath });
    ({ browser, context } = await loggedInContext(server, 1300));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  }, 30_000);

  it(`loads ${LAB_EXTENSION_NAME}, the prebuilt extension, through module federation`, async () => {
    expect(labExtension, "lab/extension is built by npm run build; kernel install copies it").toBeDefined();
    const page = await openPage("lab-fit.ipynb");
    const report = await page.evaluate(() => (window as unknown as { nnlabFederation?: { loaded: string[]; failed: unknown[] } }).nnlabFederation);
    expect(report).toEqual({ loaded: [LAB_EXTENSION_NAME], failed: [] });
    // The ipywidgets manager is part of the app (sliders in use: widgets.test.ts).
    const widgets = await page.evaluate(() =>
      (window as unknown as { jupyterapp: { isPluginActivated(id: string): boolean } }).jupyterapp.isPluginActivated(
        "@jupyter-widgets/jupyterlab-manager:plugin",
      ),
    );
    expect(widgets).toBe(true);
    await waitKernelIdle(page);
    const warm = page.locator(".jp-CodeCell").nth(0);
    await warm.click();
    await page.keyboard.press("Control+Enter");
    // The figure is drawn by the extension's renderer (registered after the app's own, so it wins).
    const figure = warm.locator(".nnlab-plotly:has(svg.main-svg)");
    await figure.waitFor({ timeout: 60_000 });
    expect(await figure.getAttribute("data-nnlab-renderer")).toBe("federated");
    await figure.scrollIntoViewIfNeeded();
    await shot(page, "federated-renderer");
    await page.close();
  }, 120_000);

  it('picks the kernel "TypeScript (nnlab)" from the kernel list', async () => {
    // The notebook names no kernel. JupyterLab either asks at once (the Select Kernel dialog) or
    // starts its default; then Kernel › Change Kernel… shows the same list.
    const page = await openPage("lab-no-kernel.ipynb");
    const dialog = page.locator(".jp-Dialog");
    const asked = await dialog.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (!asked) {
      await waitKernelIdle(page);
      await menu(page, "Kernel", "Change Kernel…");
      await dialog.waitFor({ timeout: 10_000 });
    }
    const select = dialog.locator("select");
    const options = await select.locator("option").allTextContents();
    expect(options).toContain("TypeScript (nnlab)");
    await select.selectOption({ label: "TypeScript (nnlab)" });
    await shot(page, "kernel-picker");
    await dialog.locator("button", { hasText: /^Select$/ }).click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as LabWindow).jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.name), {
        timeout: 30_000,
      })
      .toBe("nnlab");
    await waitKernelIdle(page);
    await page.locator(".jp-CodeCell").first().click();
    // Ctrl+Enter runs in place (Shift+Enter on the last cell would add a new, unexecuted one).
    await page.keyboard.press("Control+Enter");
    await waitAllExecuted(page, 60_000);
    const cells = await notebookCells(page);
    expect(cells[1]?.outputs?.[0]?.data?.["text/plain"]).toBe("42");
    await expect(page.locator(".jp-Toolbar-kernelName").textContent()).resolves.toContain("TypeScript (nnlab)");
    await shot(page, "kernel-picked");
    await page.close();
  }, 120_000);

  it(`runs all of ${CHAPTER} with every figure drawn, then keeps them after reload and reopen`, async () => {
    const page = await openPage(CHAPTER);
    await waitKernelIdle(page);
    await menu(page, "Run", "Run All Cells");
    await waitAllExecuted(page, 150_000);
    const cells = await notebookCells(page);
    const errors = cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "error");
    expect(errors.map((e) => `${e.ename}: ${e.evalue}`)).toEqual([]);
    const figures = figureOutputs(cells);
    expect(figures).toBeGreaterThan(0);
    await expect.poll(() => drawnFigures(page), { timeout: 30_000 }).toBe(figures);
    const renderers = await page
      .locator(".nnlab-plotly")
      .evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLElement).dataset.nnlabRenderer))]);
    expect(renderers).toEqual(["federated"]);
    await shot(page, "run-all");
    await page.keyboard.press("Control+s");
    await page.waitForFunction(() => !document.querySelector(".jp-NotebookPanel .jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty"), undefined, {
      timeout: 30_000,
    });

    // Reload: the workspace reopens the notebook, its figures come from the saved outputs.
    await page.reload();
    await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
    await expect.poll(() => drawnFigures(page), { timeout: 30_000 }).toBe(figures);
    await shot(page, "after-reload");

    // Close the tab and reopen it from the file browser.
    await menu(page, "File", "Close Tab");
    await expect.poll(() => page.locator(".jp-NotebookPanel").count(), { timeout: 10_000 }).toBe(0);
    await page.locator(".jp-DirListing-item", { hasText: CHAPTER }).dblclick();
    await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
    await expect.poll(() => drawnFigures(page), { timeout: 30_000 }).toBe(figures);
    await shot(page, "after-reopen");
    await page.close();
  }, 240_000);

  it("updates the live fit curve in place", async () => {
    const page = await openPage("lab-fit.ipynb");
    await waitKernelIdle(page);
    const warm = page.locator(".jp-CodeCell").nth(0);
    const fitCell = page.locator(".jp-CodeCell").nth(1);
    await warm.click();
    await page.keyboard.press("Control+Enter");
    await warm.locator(".nnlab-plotly svg.main-svg").first().waitFor({ timeout: 60_000 });
    await waitKernelIdle(page);
    await fitCell.click();
    await page.keyboard.press("Control+Enter");
    // The first draw: mark its svg, then read the curve's point count while the fit goes on.
    const svg = fitCell.locator(".nnlab-plotly svg.main-svg").first();
    await svg.waitFor({ timeout: 60_000 });
    await svg.evaluate((el) => el.setAttribute("data-first-draw", "yes"));
    const points = (): Promise<number> =>
      fitCell.evaluate((cell) => {
        const path = cell.querySelector(".nnlab-plotly .scatterlayer .trace path.js-line");
        return (path?.getAttribute("d") ?? "").split(/[LM]/).length - 1;
      });
    const done = async (): Promise<boolean> => /\[\d+\]/.test((await fitCell.locator(".jp-InputPrompt").textContent()) ?? "");
    const seen: number[] = [];
    for (let i = 0; i < 300 && !(await done()); i++) {
      seen.push(await points());
      await page.waitForTimeout(200);
    }
    seen.push(await points());
    const cells = await notebookCells(page);
    expect(cells[2]?.outputs?.find((o) => o.output_type === "execute_result")?.data?.["text/plain"]).toBe("40");
    // One figure output in the fit's cell, drawn by the svg of the first draw, redrawn with a
    // growing curve while the fit ran.
    expect(figureOutputs([cells[2] ?? { cell_type: "code" }])).toBe(1);
    expect(await fitCell.locator(".nnlab-plotly").count()).toBe(1);
    expect(await fitCell.locator('.nnlab-plotly svg.main-svg[data-first-draw="yes"]').count()).toBe(1);
    const distinct = [...new Set(seen)];
    expect(distinct.length, `point counts seen: ${seen.join(" ")}`).toBeGreaterThanOrEqual(3);
    expect(distinct).toEqual([...distinct].sort((x, y) => x - y));
    await fitCell.locator(".nnlab-plotly").scrollIntoViewIfNeeded();
    await shot(page, "live-fit");
    await page.close();
  }, 180_000);

  it("completes with Tab, shows the tooltip and the inspector", async () => {
    const page = await openPage("lab-edit.ipynb");
    await waitKernelIdle(page);
    await page.locator(".jp-CodeCell").nth(0).click();
    await page.keyboard.press("Shift+Enter");
    await waitKernelIdle(page);
    // Second code cell: edit mode, type a prefix, Tab.
    await page.locator(".jp-CodeCell").nth(1).locator(".cm-content").click();
    await page.keyboard.type("learningR");
    await page.keyboard.press("Tab");
    const completer = page.locator(".jp-Completer");
    const editor = page.locator(".jp-CodeCell").nth(1).locator(".cm-content");
    await expect
      .poll(async () => (await completer.isVisible()) || (await editor.textContent())?.includes("learningRate"), { timeout: 20_000 })
      .toBe(true);
    // A single match is inserted directly; several open the completer list.
    if (await completer.isVisible()) await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".jp-CodeCell").nth(1).locator(".cm-content").textContent(), { timeout: 20_000 }).toContain("learningRate");
    await shot(page, "completion");

    // Shift+Tab: the tooltip for the name at the cursor.
    await page.keyboard.press("Shift+Tab");
    const tooltip = page.locator(".jp-Tooltip");
    await tooltip.waitFor({ timeout: 20_000 });
    await expect.poll(() => tooltip.textContent(), { timeout: 10_000 }).toMatch(/learningRate/);
    await shot(page, "tooltip");
    await page.keyboard.press("Escape");

    // Help › Show Contextual Help: the inspector follows the cursor.
    await menu(page, "Help", "Show Contextual Help");
    const inspector = page.locator(".jp-Inspector");
    await inspector.waitFor({ timeout: 20_000 });
    await page.locator(".jp-CodeCell").nth(1).locator(".cm-content").click();
    await page.keyboard.press("End");
    await expect.poll(() => inspector.textContent(), { timeout: 20_000 }).toMatch(/learningRate/);
    await shot(page, "inspector");
    await page.close();
  }, 120_000);

  it("interrupts a waiting cell and restarts the kernel", async () => {
    const page = await openPage("lab-edit.ipynb");
    await waitKernelIdle(page);
    await page.locator(".jp-CodeCell").nth(0).click();
    await page.keyboard.press("Shift+Enter");
    await waitKernelIdle(page);
    await page.locator(".jp-CodeCell").nth(2).click();
    await page.keyboard.press("Control+Enter");
    await expect
      .poll(() => page.evaluate(() => (window as unknown as LabWindow).jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status), {
        timeout: 20_000,
      })
      .toBe("busy");
    await page.waitForTimeout(500);
    const interruptedAt = Date.now();
    await menu(page, "Kernel", "Interrupt Kernel");
    await waitKernelIdle(page, 30_000);
    // The 120 s wait ended at the interrupt, and the variable of an earlier cell survived it.
    expect(Date.now() - interruptedAt).toBeLessThan(30_000);
    await shot(page, "interrupted");
    const probe = page.locator(".jp-CodeCell").nth(1).locator(".cm-content");
    await probe.click();
    await page.keyboard.press("Control+a");
    await page.keyboard.type("typeof learningRate");
    await page.keyboard.press("Control+Enter");
    await waitKernelIdle(page);
    await expect
      .poll(async () => (await notebookCells(page))[2]?.outputs?.find((o) => o.output_type === "execute_result")?.data?.["text/plain"], {
        timeout: 20_000,
      })
      .toBe("'number'");

    await menu(page, "Kernel", "Restart Kernel…");
    await page.locator(".jp-Dialog button", { hasText: /^Restart$/ }).click();
    await waitKernelIdle(page, 60_000);
    await page.locator(".jp-CodeCell").nth(1).click();
    await page.keyboard.press("Control+Enter");
    await waitKernelIdle(page);
    // A fresh kernel: the name is gone, so TypeScript no longer compiles the same cell.
    await expect
      .poll(async () => JSON.stringify((await notebookCells(page))[2]?.outputs ?? []), { timeout: 20_000 })
      .toMatch(/Cannot find name 'learningRate'/);
    await shot(page, "restarted");
    await page.close();
  }, 150_000);

  it("made no request that Jupyter Server 1.23 refused", () => {
    // Every failed request of every scenario above, with its URL: the compatibility account.
    expect(failures).toEqual([]);
  });
});
