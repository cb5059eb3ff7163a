/**
 * Issue 14 as a student meets it in classic Notebook 6 (Debian's jupyter-notebook) in Chromium:
 * - a cell stuck in `while (true)` is stopped with Kernel › Interrupt (the menu, then the toolbar
 *   button), and what it declared before the interrupt is still there for the next cell;
 * - Run All stops at a failing cell: the cells after it are not executed (no prompt number, no
 *   output), because the kernel answers their queued requests `aborted`.
 * The front end drives everything (menus, toolbar, Shift+Enter); the checks read what the page shows.
 */
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicNotebookAvailable, nnlabNotebook, startClassicNotebook, type ClassicNotebook } from "../helpers/classic-notebook";

const available = classicNotebookAvailable("classic Notebook interrupt tests");
const tmp = resolve(__dirname, "..", ".tmp", "classic-interrupt");

// The log line tells the test that the loop has started (not that the cell is still compiling).
const LOOP = `let n = 0;\nconsole.log("looping");\nwhile (true) { n++ }`;

let classic: ClassicNotebook | undefined;

interface CellView {
  prompt: unknown;
  text: string;
}

type NotebookWindow = {
  Jupyter: {
    notebook: {
      kernel_busy: boolean;
      get_cells(): { cell_type: string; input_prompt_number?: unknown; output_area: { element: { find(selector: string): { text(): string } } } }[];
    };
  };
};

function open(name: string): Promise<Page> {
  return classic!.open(name, { width: 1100, height: 1200 });
}

/** Every code cell's prompt number (`*` while running, null/undefined when not run) and output text. */
function cells(page: Page): Promise<CellView[]> {
  return page.evaluate(() =>
    (window as unknown as NotebookWindow).Jupyter.notebook
      .get_cells()
      .filter((c) => c.cell_type === "code")
      // The outputs' own text, without their `Out[n]:` prompts.
      .map((c) => ({ prompt: c.input_prompt_number ?? null, text: c.output_area.element.find(".output_subarea").text() })),
  );
}

/** Waits until cell i shows a prompt number (it was executed and its reply arrived). */
async function executed(page: Page, i: number, timeout = 120_000): Promise<CellView> {
  try {
    await page.waitForFunction(
      (k) => {
        const c = (window as unknown as NotebookWindow).Jupyter.notebook.get_cells()[k];
        return typeof c?.input_prompt_number === "number";
      },
      i,
      { timeout },
    );
  } catch (e) {
    await page.screenshot({ path: join(tmp, `cell-${i}-not-executed.png`), fullPage: true });
    throw new Error(`cell ${i} shows no prompt number after ${timeout} ms; cells: ${JSON.stringify(await cells(page))}`, { cause: e });
  }
  return (await cells(page))[i]!;
}

/** Selects cell i and runs it the way a student does: Shift+Enter in the cell. */
async function shiftEnter(page: Page, i: number): Promise<void> {
  await page.locator(".cell").nth(i).locator(".CodeMirror").click();
  await page.keyboard.press("Shift+Enter");
}

async function startLoop(page: Page): Promise<void> {
  await shiftEnter(page, 0);
  await page.waitForFunction(
    () => {
      const c = (window as unknown as NotebookWindow).Jupyter.notebook.get_cells()[0];
      return c?.output_area.element.find(".output_subarea").text().includes("looping") === true;
    },
    undefined,
    { timeout: 120_000 },
  );
  // The loop is running; let it count for a while (and stay busy) before the student gives up.
  await page.waitForTimeout(1000);
  expect((await cells(page))[0]!.prompt, "the loop cell should still be running").toBe("*");
}

async function afterInterrupt(page: Page): Promise<void> {
  const stopped = await executed(page, 0, 30_000);
  expect(stopped.text).toMatch(/interrupted/i);
  await shiftEnter(page, 1);
  const next = await executed(page, 1);
  expect(next.text.trim()).toBe("true");
}

describe.skipIf(!available)("interrupt and Run All in classic Notebook 6 (Chromium)", () => {
  beforeAll(async () => {
    const loop = nnlabNotebook([LOOP, "n > 0"]);
    const runAll = nnlabNotebook([
      `const a = 1;\nconsole.log("first ran");`,
      `console.log("second ran");\nthrow new Error("boom in cell 2");`,
      `console.log("third ran");`,
      `const d = a + 3;\nd`,
    ]);
    classic = await startClassicNotebook(tmp, { "loop-menu.ipynb": loop, "loop-toolbar.ipynb": loop, "run-all.ipynb": runAll });
  }, 120_000);

  afterAll(async () => {
    await classic?.stop();
  }, 60_000);

  it("Kernel › Interrupt (menu) stops `while (true)`, and the next cell reads the loop's n", async () => {
    const page = await open("loop-menu.ipynb");
    await startLoop(page);
    await page.click("#kernellink");
    await page.click("#int_kernel > a");
    await afterInterrupt(page);
    await page.screenshot({ path: join(tmp, "interrupt-menu.png"), fullPage: true });
    await page.close();
  }, 240_000);

  it("the toolbar's interrupt button does the same", async () => {
    const page = await open("loop-toolbar.ipynb");
    await startLoop(page);
    await page.click(`button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]`);
    await afterInterrupt(page);
    await page.close();
  }, 240_000);

  it("Run All stops at the failing cell: the cells after it are not executed", async () => {
    const page = await open("run-all.ipynb");
    await page.click("#celllink");
    await page.click("#run_all_cells > a");
    const failed = await executed(page, 1);
    expect(failed.text).toContain("second ran");
    expect(failed.text).toContain("boom in cell 2");
    // Wait until the notebook has heard back about every queued cell (the kernel goes idle after
    // answering the aborted requests); the cells after the error must look never run.
    await page.waitForFunction(
      () => {
        const nb = (window as unknown as NotebookWindow).Jupyter.notebook;
        return !nb.kernel_busy && nb.get_cells().every((c) => c.input_prompt_number !== "*");
      },
      undefined,
      { timeout: 60_000 },
    );
    const all = await cells(page);
    await page.screenshot({ path: join(tmp, "run-all.png"), fullPage: true });
    expect(all[0]).toMatchObject({ prompt: 1 });
    expect(all[0]!.text).toContain("first ran");
    expect(all[2]).toEqual({ prompt: null, text: "" });
    expect(all[3]).toEqual({ prompt: null, text: "" });
    await page.close();
  }, 240_000);
});
