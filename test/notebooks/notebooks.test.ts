/**
 * The chapter notebooks, end to end: every notebook in notebooks/ executed once, headless, by the
 * code path of `nnlab run` (direct back end, a fresh nnlab kernel each) into test/.tmp/notebooks;
 * then the numbers each chapter reproduces are read back from the executed notebooks and checked
 * here, independently of the notebooks' own check cells. One notebook also runs through a Jupyter
 * server, and the HTML of 05 and 06 is opened in Chromium to count the plotted traces.
 *
 * Needs `npm run build` (kernel-lib/dist, cli/dist). NNLAB_NOTEBOOK_DIR runs the notebooks of
 * another folder (a scratch copy) instead of notebooks/; NNLAB_NOTEBOOK_ONLY=05,06 only those.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, reportMissingChromium } from "../helpers/chromium";
import { runNotebooks } from "../../cli/src/commands/run";
import type { NotebookSummary } from "../../cli/src/commands/run";
import { readExecuted, type ExecutedNotebook } from "./outputs";

const root = resolve(__dirname, "..", "..");
const notebookDir = resolve(process.env.NNLAB_NOTEBOOK_DIR ?? join(root, "notebooks"));
const out = join(root, "test", ".tmp", "notebooks");
const built = existsSync(join(root, "cli", "dist", "tslab", "kernel.js")) && existsSync(join(root, "kernel-lib", "dist", "index.js"));
if (!built) console.log("notebook tests skipped: cli/dist or kernel-lib/dist missing; run `npm run build` first");

/** Three 80-character pieces from the middle of the plotly.js bundle: no output may contain them. */
function plotlySlices(): string[] {
  const source = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  return [0.25, 0.5, 0.75].map((f) => source.slice(Math.floor(source.length * f), Math.floor(source.length * f) + 80));
}

const chapters = [
  "01-backprop-chain-rule",
  "02-activation-functions",
  "03-logistic-regression-limits",
  "04-training-tips",
  "05-optimizers",
  "06-weight-decay",
  "07-cnn",
  "08-tensors",
  "09-image-classifier",
];
// NNLAB_NOTEBOOK_ONLY=05,06 runs only the chapters with these prefixes (while working on them).
const only = (process.env.NNLAB_NOTEBOOK_ONLY ?? "").split(",").filter(Boolean);
const present = chapters.filter((c) => existsSync(join(notebookDir, `${c}.ipynb`)) && (only.length === 0 || only.some((p) => c.startsWith(p))));

// ---- the committed notebooks themselves (no kernel needed) -------------------------------------

describe("committed notebooks", () => {
  it("are exactly what scripts/notebooks.mjs generates from notebooks/src", () => {
    const r = spawnSync(process.execPath, [join(root, "scripts", "notebooks.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("exist for every chapter, nbformat 4.5 with cell ids, the nnlab kernel and no outputs", () => {
    const dir = join(root, "notebooks");
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".ipynb"))
      .sort();
    // The full list, not the chapters found: a missing chapter must fail here.
    expect(files).toEqual(chapters.map((c) => `${c}.ipynb`));
    for (const f of files) {
      const nb = JSON.parse(readFileSync(join(dir, f), "utf8"));
      expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
      expect(nb.metadata.kernelspec).toEqual({ name: "nnlab", display_name: "TypeScript (nnlab)", language: "typescript" });
      const ids = nb.cells.map((c: { id: string }) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of nb.cells) {
        expect(c.id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        if (c.cell_type === "code") expect([c.outputs, c.execution_count]).toEqual([[], null]);
      }
      // The first code cell seeds every random draw of the notebook.
      const firstCode = nb.cells.find((c: { cell_type: string }) => c.cell_type === "code");
      expect(firstCode.source.join(""), f).toMatch(/seed\(\d+\);/);
    }
  });
});

// ---- executed once, checked many times ---------------------------------------------------------

const executed = new Map<string, ExecutedNotebook>();
const summaries = new Map<string, NotebookSummary>();

describe.skipIf(!built)("chapter notebooks executed with nnlab run (direct back end)", () => {
  beforeAll(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const log: string[] = [];
    const summary = await runNotebooks(
      present.map((c) => join(notebookDir, `${c}.ipynb`)),
      { outDir: out, log: (l) => log.push(l) },
    );
    for (const n of summary.notebooks) {
      const name = basename(n.notebook, ".ipynb");
      summaries.set(name, n);
      if (n.ipynb && existsSync(n.ipynb)) executed.set(name, readExecuted(n.ipynb));
    }
    console.log(
      summary.notebooks
        .map(
          (n) =>
            `${basename(n.notebook)}: ${n.ok ? "ok" : "FAILED"} in ${n.seconds.toFixed(1)} s (kernel start ${n.kernelStartSeconds?.toFixed(1)} s)`,
        )
        .join("\n"),
    );
  }, 30 * 60_000);

  it.each(present)("%s runs top to bottom without an error or a failed check", (name) => {
    const s = summaries.get(name)!;
    expect(s.error, s.error).toBeUndefined();
    expect(s.ok).toBe(true);
    expect(s.ran).toBe(s.codeCells);
    const nb = executed.get(name)!;
    expect(nb.checks.size, "a notebook states and checks its numbers").toBeGreaterThan(3);
    expect(nb.figures.length, "every chapter draws").toBeGreaterThanOrEqual(2);
    expect(nb.stderr, "a chapter warns about nothing (a slider's start value off its steps, say)").toBe("");
  });

  // Issue 13: figures are data, plotly.js lives in the front end or beside the pages, never in a notebook.
  it.each(present)("%s: the executed notebook is at most 1 MB and no output holds plotly.js", (name) => {
    const file = summaries.get(name)!.ipynb!;
    const size = statSync(file).size;
    expect(size, `${name}.ipynb is ${(size / 1e6).toFixed(2)} MB`).toBeLessThanOrEqual(1_000_000);
    const text = readFileSync(file, "utf8");
    for (const slice of plotlySlices()) expect(text.includes(slice), `${name}.ipynb holds plotly.js source`).toBe(false);
  });

  it.runIf(present.length === chapters.length)("the headless site of all chapters (pages, notebooks, one plotly.min.js) is at most 15 MB", () => {
    const files = readdirSync(out).filter((f) => /\.(html|ipynb|js)$/.test(f));
    const bytes = files.reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
    console.log(
      `site: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB; notebooks: ${files
        .filter((f) => f.endsWith(".ipynb"))
        .map((f) => `${f} ${(statSync(join(out, f)).size / 1e3).toFixed(0)} kB`)
        .join(", ")}`,
    );
    expect(files.filter((f) => f.endsWith(".js"))).toEqual(["plotly.min.js"]);
    expect(bytes).toBeLessThanOrEqual(15_000_000);
    for (const page of files.filter((f) => f.endsWith(".html"))) {
      const html = readFileSync(join(out, page), "utf8");
      for (const slice of plotlySlices()) expect(html.includes(slice), `${page} inlines plotly.js`).toBe(false);
    }
  });

  /** The numbers printed as the actual value of a check line. */
  const actual = (name: string, label: string): number[] => {
    const c = executed.get(name)?.checks.get(label);
    if (!c)
      throw new Error(
        `${name}: no check line "✓ ${label}: …" in the executed notebook (checks: ${[...(executed.get(name)?.checks.keys() ?? [])].join(" | ")})`,
      );
    return c.actual;
  };
  const close = (got: number[], want: number[], tol: number): void => {
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol));
  };
  const has = (name: string): boolean => executed.has(name);

  it.runIf(present.includes("01-backprop-chain-rule"))("01: the 2-2-2-2 network's activations, δ per layer and weight gradients", () => {
    const n = "01-backprop-chain-rule";
    if (!has(n)) throw new Error(`${n} was not executed`);
    close(actual(n, "a¹ for x = (1, −1)"), [0.982, 0.1192], 1e-4);
    close(actual(n, "a² for x = (1, −1)"), [0.8635, 0.1107], 1e-4);
    close(actual(n, "a³ = y for x = (1, −1)"), [0.6177, 0.8291], 1e-4);
    close(actual(n, "a³ = y for x = (0, 0)"), [0.5118, 0.8544], 1e-4);
    close(actual(n, "C = ½‖y − ŷ‖²"), [0.416798], 1e-6);
    close(actual(n, "δ³ = ∂C/∂z³"), [-0.090277, 0.117468], 1e-6);
    close(actual(n, "δ² = ∂C/∂z²"), [-0.045763, 0.055161], 1e-6);
    close(actual(n, "δ¹ = ∂C/∂z¹"), [-0.003565, -0.000987], 1e-6);
    close(actual(n, "∂C/∂W³ = δ³ (a²)ᵀ"), [-0.077956, -0.009997, 0.101436, 0.013008], 1e-6);
    // The one neuron z = 4 against the target ŷ = 0: ∂C/∂z = σ′(4)·σ(4) = 0.0176627·0.982014 (finite differences agree).
    close(actual(n, "one neuron: autograd = by hand"), [0.017345, -0.017345, 0.017345], 1e-6);
    const nb = executed.get(n)!;
    for (const label of [
      "one neuron: mathjs ∂C/∂z · x1 = mathjs ∂C/∂w1",
      "one neuron: autograd = by hand",
      "one neuron: symbolic (mathjs) = by hand",
      "one neuron: finite differences = by hand",
      "reverse neuron (w3, w4, σ′(z)) = δ²₁",
      "δ³: symbolic (mathjs) = by hand",
      "every weight: a·δ = autograd",
      "every weight: a·δ = finite differences",
    ]) {
      expect(nb.checks.has(label), label).toBe(true);
    }
    expect(nb.stdout).toContain("w3 = 3, w4 = -1");
  });

  it.runIf(present.includes("02-activation-functions"))(
    "02: a linear-only network fails on the ring, one activation layer fits; softmax stays finite",
    () => {
      const n = "02-activation-functions";
      const acc = (which: string): number => Number(new RegExp(`picture ${which}.*training accuracy ([\\d.]+) %`).exec(executed.get(n)!.stdout)![1]);
      expect(acc("A, linear only")).toBeGreaterThanOrEqual(97);
      expect(acc("B, linear only")).toBeLessThan(75);
      expect(acc("B, with activation")).toBeGreaterThanOrEqual(97);
      close(actual(n, "softmax([1, 2, 3])"), [0.090031, 0.244728, 0.665241], 1e-6);
      close(actual(n, "softmax([1000, 1000, 0]) stays finite"), [0.5, 0.5, 0], 1e-12);
      close(actual(n, "max σ′ = σ′(0)"), [0.25], 1e-12);
      expect(executed.get(n)!.stdout).toContain("the literal formula gives [NaN, NaN, 0]");
    },
  );

  it.runIf(present.includes("03-logistic-regression-limits"))(
    "03: no line separates the XOR points; the distance transform and the learned cascade do",
    () => {
      const n = "03-logistic-regression-limits";
      close(actual(n, "best line: points correct"), [3], 0);
      close(actual(n, "logistic regression: loss → ln 2"), [Math.LN2], 1e-5);
      close(actual(n, "x′ of (0,0)"), [0, Math.SQRT2], 1e-5);
      close(actual(n, "x′ of (0,1)"), [1, 1], 1e-9);
      close(actual(n, "x′ of (0,0) by logistic units"), [0.7311, 0.0474], 1e-4);
      close(actual(n, "learned cascade: predictions"), [0, 1, 1, 0], 0);
      expect(Number(/final loss ([\d.]+)/.exec(executed.get(n)!.checks.get("learned cascade: loss near 0")!.detail)![1])).toBeLessThan(0.05);
    },
  );

  it.runIf(present.includes("05-optimizers"))("05: each optimiser's final point equals PyTorch's and d2l's", () => {
    const n = "05-optimizers";
    close(actual(n, "d2l GD η=0.4"), [-0.943467, -0.000073], 1e-6);
    close(actual(n, "d2l GD η=0.6 (diverges)"), [-0.387814, -1673.365109], 1e-5);
    close(actual(n, "d2l momentum η=0.6 β=0.5"), [0.007188, 0.002553], 1e-6);
    close(actual(n, "d2l momentum η=0.6 β=0.25"), [-0.12634, -0.186632], 1e-6);
    // These two lines print 6 significant digits (an explicit tolerance), hence the looser bound.
    close(actual(n, "d2l Adagrad η=0.4 (ε inside the root there)"), [-2.382563, -0.158591], 5e-6);
    close(actual(n, "d2l RMSProp η=0.4 γ=0.9 (ε inside the root there)"), [-0.010599, 0], 5e-6);
    // PyTorch's finals (torch 1.13, float64), printed to 6 significant digits by the check lines.
    const torch: Record<string, number[]> = {
      SGD: [-0.943467, -0.0000731232, 0.0890129],
      SGDM: [0.00718787, 0.00255327, 0.000018205],
      Adam: [0.092472, 0.278867, 0.156389],
      Adagrad: [-2.38256, -0.158591, 0.617962],
      RMSProp: [-0.010598, 1.03621e-14, 0.0000112317],
      NAG: [-0.341872, -0.00000272478, 0.0116876],
    };
    for (const [name, want] of Object.entries(torch)) {
      const got = actual(n, `${name}: optim = PyTorch (x1, x2, f)`);
      got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${name}[${i}]`).toBeLessThanOrEqual(Math.abs(want[i]!) * 1e-5 + 1e-12));
      expect(executed.get(n)!.checks.has(`${name}: optim = by hand`)).toBe(true);
    }
    close(actual(n, "Rosenbrock Adam: optim = PyTorch (x, y, f)"), [0.999189, 0.998375, 6.59079e-7], 1e-6);
    // NAG's two forms (issue 15's numbers: η = 0.3, β = 0.5 from (−5, −2)), and NAG against SGDM.
    close(actual(n, "NAG first step: look-ahead formula"), [-4.7, 0.4], 1e-9);
    close(actual(n, "NAG first step: PyTorch's form"), [-4.55, 1.6], 1e-9);
    close(actual(n, "NAG vs SGDM (η 0.3, β 0.5): largest x₂"), [1.6, 1.12], 1e-9);
    close(actual(n, "NAG vs SGDM (η 0.3, β 0.5): final f"), [0.0116876, 0.00841556], 1e-6);
    expect(executed.get(n)!.checks.has("one-sample SGD: the loss rises on some steps")).toBe(true);
    const contours = executed.get(n)!.figures.filter((f) => f.data.some((t) => t.type === "contour"));
    expect(
      contours.some((f) => f.data.filter((t) => t.type === "scatter").length === 6),
      "all six paths on one contour plot",
    ).toBe(true);
  });

  it.runIf(present.includes("06-weight-decay"))("06: weight decay closes the train/test gap; explicit penalty = optimiser weight decay", () => {
    const n = "06-weight-decay";
    const line = (lambda: number): number[] => {
      const m = new RegExp(`λ = ${lambda}: train loss (\\S+), test loss (\\S+), L2 norm of w (\\S+)`).exec(executed.get(n)!.stdout);
      if (!m) throw new Error(`06: no summary line for λ = ${lambda}`);
      return [Number(m[1]), Number(m[2]), Number(m[3])];
    };
    const [train0, test0, norm0] = line(0);
    const [train3, test3, norm3] = line(3);
    expect(train0).toBeLessThan(1e-3);
    expect(test0).toBeGreaterThan(1);
    expect(norm0).toBeGreaterThan(10);
    expect(test3).toBeLessThan(test0 / 100);
    expect(norm3).toBeLessThan(0.5);
    expect(test3 - train3).toBeLessThan((test0 - train0) / 100);
    for (const lambda of [0, 3])
      expect(executed.get(n)!.checks.get(`λ = ${lambda}: weightDecay w = explicit-penalty w`)?.detail).toMatch(/^200 values/);
    // PyTorch 1.13 on the same data (notebooks/src/06-weight-decay.torch.py), to the 6 digits printed.
    close(actual(n, "λ = 0: test loss = PyTorch's"), [29.5783], 1e-3);
    close(actual(n, "λ = 3: ‖w‖ = PyTorch's"), [0.0469647], 1e-6);
    close(actual(n, "λ = 3: test loss = PyTorch's"), [0.0418982], 1e-6);
    const logY = executed.get(n)!.figures.filter((f) => (f.layout.yaxis as { type?: string } | undefined)?.type === "log");
    expect(logY.length).toBeGreaterThanOrEqual(3);
  });

  it.runIf(present.includes("08-tensors"))("08: every example printed exactly as PyTorch prints it", () => {
    const n = "08-tensors";
    close(actual(n, "examples printed exactly as PyTorch prints them"), [23], 0);
    expect(executed.get(n)!.stdout).toContain("tensor([[ 1.,  2.,  3.,  4.],\n        [11., 12., 13., 14.],\n        [21., 22., 23., 24.]])");
  });

  it.runIf(present.includes("04-training-tips"))("04: vanishing gradients, adaptive lr, early stopping, L2 and dropout on MNIST", () => {
    const n = "04-training-tips";
    const nb = executed.get(n)!;
    const ratio = actual(n, "sigmoid: first-layer gradient norm / last-layer's")[0]!;
    expect(ratio).toBeLessThan(0.01);
    expect(Number(/ratio ([\d.]+)/.exec(nb.checks.get("ReLU: first-layer gradient norm / last-layer's")!.detail)![1])).toBeGreaterThan(0.1);
    const acc = (name: string): number => Number(new RegExp(`${name} +test accuracy ([\\d.]+) %`).exec(nb.stdout)![1]);
    expect(acc("Adam")).toBeGreaterThan(acc("SGD") + 10);
    const stop = /stopped after epoch (\d+); best epoch (\d+)/.exec(nb.stdout);
    expect(stop, "the early-stopping summary line").not.toBeNull();
    expect(Number(stop![1])).toBeGreaterThan(Number(stop![2]));
    expect(nb.checks.has("restored weights give the best validation loss")).toBe(true);
    expect(nb.checks.has("L2 + dropout narrow the train/test gap")).toBe(true);
  });

  it.runIf(present.includes("07-cnn"))("07: convolution by hand = Conv2d; the CNN's stated test accuracy", () => {
    const n = "07-cnn";
    expect(executed.get(n)!.checks.has("Conv2d = convolution by hand")).toBe(true);
    const acc = actual(n, "CNN test accuracy")[0]!;
    expect(acc).toBeGreaterThanOrEqual(0.94);
    expect(Number(/test accuracy ([\d.]+) % after/.exec(executed.get(n)!.stdout)![1]) / 100).toBeCloseTo(acc, 4);
    close(actual(n, "filter 1, stride 2: feature map"), [3, -3, -3, 0], 0);
    expect(executed.get(n)!.figures.some((f) => f.data.length >= 4 && f.data.every((t) => t.type === "heatmap"))).toBe(true);
  });

  it.runIf(present.includes("09-image-classifier"))("09: two fashion-mnist classes, augmentation, confusion matrix", () => {
    const n = "09-image-classifier";
    const acc = actual(n, "test accuracy")[0]!;
    expect(acc).toBeGreaterThanOrEqual(0.85);
    const cm = actual(n, "confusion matrix sums to the test set");
    expect(cm.length).toBe(1);
    expect(executed.get(n)!.figures.some((f) => f.data.some((t) => t.type === "heatmap"))).toBe(true);
  });

  // ---- the HTML in a browser -----------------------------------------------------------------

  reportMissingChromium("notebook HTML browser check");

  it.runIf(hasChromium).each(["05-optimizers", "06-weight-decay"].filter((c) => present.includes(c)))(
    "%s: the HTML draws every figure with all its traces",
    async (name) => {
      const html = summaries.get(name)?.html;
      if (!html || !existsSync(html)) throw new Error(`${name}: no HTML written`);
      const figures = executed.get(name)!.figures;
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(pathToFileURL(html).href);
        await page.waitForFunction((n) => document.querySelectorAll(".js-plotly-plot .main-svg").length >= n, figures.length, { timeout: 60_000 });
        // Per drawn figure: line/marker traces, contour and heatmap traces, in page order.
        const drawn = await page.evaluate(() =>
          Array.from(document.querySelectorAll(".js-plotly-plot")).map((el) => ({
            scatter: el.querySelectorAll(".scatterlayer .trace").length,
            other: el.querySelectorAll(".contourlayer .contour, .heatmaplayer .hm, .imagelayer image").length,
            bars: el.querySelectorAll(".barlayer .trace").length,
          })),
        );
        expect(errors).toEqual([]);
        expect(drawn.length).toBe(figures.length);
        figures.forEach((f, i) => {
          const scatter = f.data.filter((t) => (t.type ?? "scatter") === "scatter").length;
          expect(drawn[i]!.scatter, `${name} figure ${i}: scatter traces`).toBe(scatter);
          if (f.data.some((t) => t.type === "contour")) expect(drawn[i]!.other, `${name} figure ${i}: contour`).toBeGreaterThan(0);
        });
        expect(drawn.reduce((s, d) => s + d.scatter, 0)).toBeGreaterThanOrEqual(6);
        await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});

// ---- one notebook through a Jupyter server ---------------------------------------------------

const python = process.env.NNLAB_PYTHON ?? "/usr/bin/python3";
const hasJupyter = existsSync(python) && spawnSync(python, ["-c", "import jupyter_server"]).status === 0;
if (!hasJupyter)
  console.log(`notebook server-back-end test skipped: ${python} cannot import jupyter_server (apt-get install python3-jupyter-server)`);

describe.skipIf(!built || !hasJupyter || !present.includes("08-tensors"))("a chapter notebook through Jupyter Server", () => {
  it("08-tensors runs on the server back end with the same checks", async () => {
    const { spawnJupyter, writeKernelspec } = await import("../../cli/src/kernel");
    const serverRoot = resolve(notebookDir, "..");
    const jupyterPath = join(out, "server-jupyter");
    writeKernelspec(jupyterPath);
    const server = await spawnJupyter({ module: "jupyter_server", rootDir: serverRoot, jupyterPath, python });
    const quiet = console.log;
    try {
      // @jupyterlab/services chats on console.log.
      console.log = () => undefined;
      const summary = await runNotebooks([join(notebookDir, "08-tensors.ipynb")], {
        outDir: join(out, "server"),
        server: { url: server.url, token: server.token, root: serverRoot },
        log: () => undefined,
      });
      console.log = quiet;
      const n = summary.notebooks[0]!;
      expect(n.error, n.error).toBeUndefined();
      expect(n.ok).toBe(true);
      const nb = readExecuted(n.ipynb!);
      expect(nb.checks.get("examples printed exactly as PyTorch prints them")?.actual).toEqual([23]);
    } finally {
      console.log = quiet;
      await server.stop();
    }
  }, 180_000);
});
