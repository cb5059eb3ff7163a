import { inspect } from "node:util";
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  Figure,
  barPlot,
  contourPlot,
  decisionBoundary,
  functionPlot,
  heatmap,
  heatmapGrid,
  jupyterDisplaySymbol,
  linePlot,
  plotlyMimeType,
  plotlyNbextensionPath,
  scatterPlot,
} from "../../kernel-lib/src/plot/index";
import { jsonProblems } from "./helpers";

/** The figure packed into a fallback's script (deflate + base64). */
function unpacked(html: string): unknown {
  const b64 = /var packed = "([A-Za-z0-9+/=]+)";/.exec(html)?.[1];
  if (b64 === undefined) throw new Error("no packed figure in the HTML fallback");
  return JSON.parse(inflateRawSync(Buffer.from(b64, "base64")).toString("utf8"));
}

/** A minimal stand-in for an nnlab Tensor: only what the builders may rely on. */
class FakeTensor {
  constructor(
    readonly data: Float64Array,
    readonly shape: number[],
  ) {}
  toArray(): unknown {
    if (this.shape.length === 1) return Array.from(this.data);
    const [r, c] = this.shape as [number, number];
    return Array.from({ length: r }, (_, i) => Array.from(this.data.subarray(i * c, (i + 1) * c)));
  }
}

describe("Figure", () => {
  it("serialises typed arrays as arrays and NaN/Infinity as null", () => {
    const fig = new Figure({
      data: [{ type: "scatter", name: "loss", y: new Float32Array([1, Number.NaN, 0.5]) as unknown as number[], x: [0, 1, Infinity] }],
      layout: { title: "t" },
    });
    const json = fig.toJSON();
    expect(json.data[0]!.y).toEqual([1, null, 0.5]);
    expect(json.data[0]!.x).toEqual([0, 1, null]);
    expect(json.layout.title).toEqual({ text: "t" });
    expect(jsonProblems(json)).toEqual([]);
    expect("config" in json).toBe(false);
    expect(JSON.parse(JSON.stringify(fig))).toEqual(json);
  });

  it("addTrace appends and update deep-merges the layout", () => {
    const fig = new Figure({ layout: { yaxis: { title: { text: "loss" } } } });
    fig
      .addTrace({ type: "scatter", y: [1] })
      .addTrace({ type: "bar", y: [2] })
      .update({ yaxis: { type: "log" }, title: "x" });
    expect(fig.data.map((t) => t.type)).toEqual(["scatter", "bar"]);
    expect(fig.layout).toEqual({ yaxis: { title: { text: "loss" }, type: "log" }, title: { text: "x" } });
  });

  it("has a Jupyter display method returning the three-mime bundle", () => {
    const fig = linePlot({ loss: [3, 2, 1], val_loss: [3.5, 2.5, 2], lr: [1, 1, 1] }, { title: "Training" });
    expect(typeof (fig as unknown as Record<symbol, unknown>)[Symbol.for("Jupyter.display")]).toBe("function");
    const bundle = fig[jupyterDisplaySymbol]();
    expect(Object.keys(bundle).sort()).toEqual([plotlyMimeType, "text/html", "text/plain"].sort());
    expect(bundle[plotlyMimeType]).toEqual(fig.toJSON());
    expect(bundle["text/plain"]).toBe("Figure: 3 traces, 'Training'");
    expect(jsonProblems(bundle[plotlyMimeType])).toEqual([]);
  });

  it("never carries plotly.js: the HTML fallback loads it from the front end's nbextensions path", () => {
    const plotlySource = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
    // Three slices from the middle of the bundle: none may appear in any output.
    const slices = [0.25, 0.5, 0.75].map((f) => plotlySource.slice(Math.floor(plotlySource.length * f), Math.floor(plotlySource.length * f) + 80));
    for (const fig of [linePlot({ a: [1, 2] }), linePlot({ b: [1, 2] }), heatmap([[1]])]) {
      const bundle = fig[jupyterDisplaySymbol]();
      const all = JSON.stringify(bundle);
      for (const s of slices) expect(all.includes(s)).toBe(false);
      const html = bundle["text/html"] as string;
      expect(html.length).toBeLessThan(5_000);
      expect(html).toMatch(/<div id="nnlab-plot-[^"]+"/);
      expect(html).toContain(".newPlot(el, spec.data, spec.layout, spec.config)");
      expect(html).toContain(JSON.stringify(plotlyNbextensionPath));
      expect(unpacked(html)).toEqual({ ...(bundle[plotlyMimeType] as object), config: { responsive: true, displaylogo: false } });
    }
  });

  it("keeps a trace name from closing the script element, and labels like x₁ in a page without a charset", () => {
    const html = linePlot({ "</script><b>": [1, 2], "σ′": [3, 4] }, { xLabel: "x₁" })[jupyterDisplaySymbol]()["text/html"] as string;
    expect(html.match(/<\/script>/g)!.length).toBe(html.match(/<script/g)!.length);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the figure HTML must be 7-bit ASCII, control characters included
    expect(html).toMatch(/^[\x00-\x7e]*$/);
    const fig = unpacked(html) as { data: { name: string }[]; layout: { xaxis: { title: { text: string } } } };
    expect(fig.data.map((t) => t.name)).toEqual(["</script><b>", "σ′"]);
    expect(fig.layout.xaxis.title.text).toBe("x₁");
  });

  it("keeps 7 significant digits: a float64 as text is three times longer and no plot shows it", () => {
    const json = linePlot({ a: [0.1 + 0.2, 1 / 3, 123456.789012, 2, -1e-12 / 3] }).toJSON();
    expect(json.data[0]!.y).toEqual([0.3, 0.3333333, 123456.8, 2, -3.333333e-13]);
  });

  it("show() outside a kernel does nothing", () => {
    expect(() => linePlot({ a: [1] }).show()).not.toThrow();
  });

  it("text/plain is a one-line summary: trace count and title", () => {
    const fig = linePlot({ a: [1], b: [1], c: [1], d: [1], e: [1] });
    expect(fig.toString()).toBe("Figure: 5 traces");
    expect(inspect(fig)).toBe("Figure: 5 traces");
    expect(String(heatmap([[1]], { title: "Loss per epoch" }))).toBe("Figure: 1 trace, 'Loss per epoch'");
  });
});

describe("builders", () => {
  it("linePlot: one scatter per series, log axis, tensors and typed arrays accepted", () => {
    const fig = linePlot(
      [
        { name: "loss", y: new Float64Array([1, 0.1, 0.01]) },
        { name: "val_loss", y: new FakeTensor(new Float64Array([2, 0.2, Number.NaN]), [3]), x: [1, 2, 3] },
        { name: "column", y: { data: new Float32Array([3, 2, 1]), shape: [3, 1] } },
      ],
      { title: "Loss", xLabel: "epoch", yLabel: "loss", logY: true },
    );
    const json = fig.toJSON();
    expect(json.data.map((t) => [t.type, t.name])).toEqual([
      ["scatter", "loss"],
      ["scatter", "val_loss"],
      ["scatter", "column"],
    ]);
    expect((json.layout.yaxis as Record<string, unknown>).type).toBe("log");
    expect((json.layout.xaxis as Record<string, unknown>).title).toEqual({ text: "epoch" });
    expect(json.data[1]!.y).toEqual([2, 0.2, null]);
    expect(json.data[2]!.y).toEqual([3, 2, 1]);
    expect(jsonProblems(json)).toEqual([]);
  });

  it("linePlot: a record of arrays and a length mismatch error naming the series", () => {
    expect(linePlot({ loss: [1, 2] }).data).toHaveLength(1);
    expect(() => linePlot([{ name: "acc", y: [1, 2], x: [1] }])).toThrow(/"acc".*1 x values but 2 y values/);
    expect(() =>
      linePlot([
        {
          name: "m",
          y: [
            [1, 2],
            [3, 4],
          ] as unknown as number[],
        },
      ]),
    ).toThrow(/1-D series/);
  });

  it("contourPlot: a contour of f plus one marked path per trajectory, log levels", () => {
    const f = (x: number, y: number): number => 0.1 * x * x + 2 * y * y;
    const path: Array<[number, number]> = [
      [-5, -2],
      [-4, 1],
      [-3, -0.5],
      [-2, 0.2],
    ];
    const fig = contourPlot(f, {
      xRange: [-5, 5],
      yRange: [-3, 3],
      steps: 30,
      title: "SGD",
      logLevels: true,
      trajectories: [
        { name: "sgd", points: path },
        {
          name: "adam",
          points: [
            [-5, -2],
            [0, 0],
          ],
        },
      ],
    });
    const json = fig.toJSON();
    expect(json.data.map((t) => t.type)).toEqual(["contour", "scatter", "scatter"]);
    const z = json.data[0]!.z as number[][];
    expect(z).toHaveLength(30);
    expect(z[0]).toHaveLength(30);
    // log10 of f: f(-5, -3) = 2.5 + 18 = 20.5
    expect(z[0]![0]).toBe(Number(Math.log10(20.5).toPrecision(4))); // grid values keep 4 significant digits
    const sgd = json.data[1]!;
    expect(sgd.mode).toBe("lines+markers");
    expect(sgd.x).toEqual([-5, -4, -3, -2]);
    const marker = sgd.marker as { symbol: string[]; size: number[] };
    expect(marker.symbol[0]).not.toBe(marker.symbol[1]);
    expect(marker.symbol[3]).not.toBe(marker.symbol[1]);
    expect(marker.size[0]).toBeGreaterThan(marker.size[1]!);
    expect(jsonProblems(json)).toEqual([]);
  });

  it("contourPlot: log levels survive a minimum of exactly zero", () => {
    const json = contourPlot((x, y) => x * x + y * y, { xRange: [-1, 1], yRange: [-1, 1], steps: 3, logLevels: true }).toJSON();
    expect(jsonProblems(json)).toEqual([]);
    const z = json.data[0]!.z as number[][];
    expect(z[1]![1]).toBeLessThan(z[0]![0]!);
  });

  it("decisionBoundary: a probability map with the 0.5 contour (one trace, one grid) and one scatter per class", () => {
    const points = {
      x: [
        [0, 0],
        [1, 1],
        [0, 1],
        [1, 0],
      ],
      labels: [0, 0, 1, 1],
    };
    const predict = (x: number, y: number): number => 1 / (1 + Math.exp(-(x - y) * 3));
    const json = decisionBoundary(predict, points, { xRange: [-1, 2], yRange: [-1, 2], steps: 20 }).toJSON();
    expect(json.data.map((t) => t.type)).toEqual(["contour", "scatter", "scatter"]);
    expect(json.data.slice(1).map((t) => t.name)).toEqual(["class 0", "class 1"]);
    expect(json.data[1]!.x).toEqual([0, 1]);
    expect(json.data[0]!.contours).toMatchObject({ start: 0.5, end: 0.5, coloring: "heatmap", showlines: true });
    // Grid values keep 4 significant digits.
    expect((json.data[0]!.z as number[][])[0]![0]).toBe(Number(predict(-1, -1).toPrecision(4)));
    expect(jsonProblems(json)).toEqual([]);
  });

  it("decisionBoundary: class predictions give flat class regions", () => {
    const points = { x: new FakeTensor(new Float64Array([0, 0, 1, 1, 2, 2]), [3, 2]), labels: new Float64Array([0, 1, 2]) };
    const predict = (x: number): number => (x < 0.5 ? 0 : x < 1.5 ? 1 : 2);
    const json = decisionBoundary(predict, points, { xRange: [0, 2], yRange: [0, 2], steps: 5 }).toJSON();
    expect(json.data.map((t) => t.type)).toEqual(["heatmap", "scatter", "scatter", "scatter"]);
    const scale = json.data[0]!.colorscale as Array<[number, string]>;
    for (let i = 1; i < scale.length; i++) expect(scale[i]![0]).toBeGreaterThanOrEqual(scale[i - 1]![0]);
    expect(() => decisionBoundary(predict, { x: [[0, 0]], labels: [0, 1] }, { xRange: [0, 1], yRange: [0, 1] })).toThrow(
      /1 rows but points\.labels has 2/,
    );
  });

  it("heatmap: one heatmap trace, rows top-down, tensor input", () => {
    const fig = heatmap(new FakeTensor(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]), { title: "W", colorscale: "RdBu", zmin: -1, zmax: 1 });
    const json = fig.toJSON();
    expect(json.data).toHaveLength(1);
    expect(json.data[0]).toMatchObject({
      type: "heatmap",
      z: [
        [1, 2, 3],
        [4, 5, 6],
      ],
      colorscale: "RdBu",
      zmin: -1,
      zmax: 1,
    });
    expect((json.layout.yaxis as Record<string, unknown>).autorange).toBe("reversed");
    expect(() => heatmap([1, 2, 3] as unknown as number[][])).toThrow(/heatmap: expected a 2-D matrix/);
  });

  it("heatmapGrid: one panel per matrix on its own axes, titles as annotations", () => {
    const maps = [0, 1, 2, 3, 4].map((k) => [
      [k, 1],
      [2, 3],
    ]);
    const json = heatmapGrid(maps, { cols: 3, titles: maps.map((_, i) => `ch ${i}`), sharedScale: true }).toJSON();
    expect(json.data).toHaveLength(5);
    expect(json.data.map((t) => t.xaxis)).toEqual(["x", "x2", "x3", "x4", "x5"]);
    expect(json.layout.yaxis5).toBeDefined();
    expect((json.layout.annotations as unknown[]).length).toBe(5);
    expect(json.data.filter((t) => t.showscale).length).toBe(1);
    expect(json.data[0]).toMatchObject({ zmin: 0, zmax: 4 });
    expect(() => heatmapGrid(maps, { titles: ["a"] })).toThrow(/5 matrices but 1 titles/);
    const fromTensor = heatmapGrid({ data: new Float32Array(12), shape: [3, 2, 2] }).toJSON();
    expect(fromTensor.data.map((t) => t.z)).toEqual(
      [0, 1, 2].map(() => [
        [0, 0],
        [0, 0],
      ]),
    );
  });

  it("functionPlot: one line per function over the range; non-finite values become gaps", () => {
    const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
    const json = functionPlot(
      [
        { name: "sigmoid", f: sigmoid },
        { name: "sigmoid'", f: (x) => sigmoid(x) * (1 - sigmoid(x)) },
        { name: "log", f: Math.log },
      ],
      { xRange: [-6, 6], steps: 13, title: "activations" },
    ).toJSON();
    expect(json.data).toHaveLength(3);
    expect(json.data[0]!.x).toEqual([-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6]);
    expect((json.data[1]!.y as number[])[6]).toBe(0.25);
    expect((json.data[2]!.y as unknown[])[0]).toBeNull();
    expect(jsonProblems(json)).toEqual([]);
  });

  it("barPlot: bars by label, groups, log axis", () => {
    const one = barPlot({ "fc1.weight": 0.8, "fc2.weight": 0.01 }, { logY: true, title: "grad norm" }).toJSON();
    expect(one.data).toEqual([{ type: "bar", x: ["fc1.weight", "fc2.weight"], y: [0.8, 0.01] }]);
    expect((one.layout.yaxis as Record<string, unknown>).type).toBe("log");
    const groups = barPlot({ labels: ["a", "b"], values: { before: [1, 2], after: new Float32Array([3, 4]) } }).toJSON();
    expect(groups.data.map((t) => t.name)).toEqual(["before", "after"]);
    expect(groups.layout.barmode).toBe("group");
    expect(jsonProblems(groups)).toEqual([]);
    expect(() => barPlot({ labels: ["a"], values: [1, 2] })).toThrow(/1 labels but 2 values/);
  });

  it("scatterPlot: one marker trace per series", () => {
    const json = scatterPlot([
      { name: "a", x: [1, 2], y: new Float64Array([3, 4]) },
      { x: [0], y: [0], color: "red" },
    ]).toJSON();
    expect(json.data.map((t) => [t.type, t.mode])).toEqual([
      ["scatter", "markers"],
      ["scatter", "markers"],
    ]);
    expect(json.data[1]!.marker).toEqual({ size: 7, color: "red" });
    expect(jsonProblems(json)).toEqual([]);
  });
});
