// Driving nnlab's JupyterLab (lab/) in Chromium: what a person does goes through the UI (menus,
// keys, dialogs); what a test waits for or counts is read from the page's app (window.jupyterapp).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "./chromium";

/** Requests that failed while a page ran: HTTP status >= 400, network failures, websocket errors. */
export interface FailedRequest {
  what: string;
  url: string;
}

export function recordFailures(page: Page, into: FailedRequest[]): void {
  page.on("response", (r) => {
    if (r.status() >= 400) into.push({ what: `HTTP ${r.status()} ${r.request().method()}`, url: r.url() });
  });
  page.on("requestfailed", (r) => {
    // A navigation away from a page aborts its pending requests; that is not a server answer.
    if (r.failure()?.errorText !== "net::ERR_ABORTED") into.push({ what: `failed ${r.method()} (${r.failure()?.errorText})`, url: r.url() });
  });
  page.on("websocket", (ws) => ws.on("socketerror", (e) => into.push({ what: `websocket ${e}`, url: ws.url() })));
}

/** Clicks a top menu (e.g. "Kernel"), then one of its items by its exact label. */
export async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: new RegExp(`^${top}$`) }).click();
  await page
    .locator(".lm-Menu-content .lm-Menu-itemLabel", { hasText: new RegExp(`^${item}$`) })
    .first()
    .click();
}

/** Waits until the current notebook's kernel is idle (or the timeout). */
export async function waitKernelIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const w = (window as unknown as LabWindow).jupyterapp?.shell.currentWidget;
      return w?.sessionContext?.session?.kernel?.status === "idle";
    },
    undefined,
    { timeout, polling: 200 },
  );
}

/** Waits until no code cell of the current notebook is queued or running (every prompt numbered). */
export async function waitAllExecuted(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const nb = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden)");
      const prompts = Array.from(nb?.querySelectorAll(".jp-CodeCell .jp-InputPrompt") ?? []).map((p) => p.textContent ?? "");
      return prompts.length > 0 && prompts.every((p) => /\[\d+\]/.test(p));
    },
    undefined,
    { timeout, polling: 250 },
  );
}

/** Chromium with one context logged in to a lab server: the token becomes a cookie for every later page. */
export async function loggedInContext(server: { url: string; token: string }, width: number): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const login = await context.newPage();
  await login.goto(`${server.url}/lab?token=${server.token}`);
  await login.waitForSelector(".jp-LabShell", { timeout: 60_000 });
  await login.close();
  return { browser, context };
}

/** The parts of the app the tests read (typed here, not imported: the page is another program). */
export interface LabWindow {
  jupyterapp?: {
    shell: {
      currentWidget: null | {
        title: { label: string };
        sessionContext?: { kernelDisplayName: string; session?: { kernel?: { status: string; name: string } | null } | null };
        content?: { model?: { cells: { length: number; get(i: number): { type: string; toJSON(): NotebookCellJson } } } };
      };
    };
  };
}

export interface NotebookCellJson {
  cell_type: string;
  execution_count?: number | null;
  outputs?: { output_type: string; data?: Record<string, unknown>; ename?: string; evalue?: string }[];
}

/** The current notebook's cells as JSON (what would be saved). */
export async function notebookCells(page: Page): Promise<NotebookCellJson[]> {
  return page.evaluate(() => {
    const model = (window as unknown as LabWindow).jupyterapp?.shell.currentWidget?.content?.model;
    if (!model) throw new Error("no notebook is the current widget");
    const cells: NotebookCellJson[] = [];
    for (let i = 0; i < model.cells.length; i++) cells.push(model.cells.get(i).toJSON());
    return cells;
  });
}

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Outputs in the notebook model that carry a plotly figure. */
export function figureOutputs(cells: NotebookCellJson[]): number {
  return cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data !== undefined && PLOTLY_MIME in o.data).length;
}

/**
 * Figures drawn in the current notebook: plotly renderers whose svg.main-svg is at least 200 px
 * high (plotly's own size attribute; a figure drawn into a container without layout came out a
 * few pixels high, which a count of svgs alone would pass).
 */
export async function drawnFigures(page: Page): Promise<number> {
  const heights = await page
    .locator(".jp-NotebookPanel:not(.lm-mod-hidden) .nnlab-plotly")
    .evaluateAll((els) => els.map((e) => Number(e.querySelector("svg.main-svg")?.getAttribute("height") ?? 0)));
  return heights.filter((h) => h >= 200).length;
}
