import { inspect } from "node:util";
import { displayBundle, newDisplayId } from "../display/kernel";
import { jupyterDisplaySymbol, type MimeBundle } from "../display/mime";
import { figureHtml } from "./html";
import { toPlotlyJSON } from "./json";

/** One plotly trace (`{type, x, y, name, …}`); see https://plotly.com/javascript/reference/. */
export interface Trace {
  type?: string;
  name?: string;
  [key: string]: unknown;
}

/** A plotly layout (`{title: {text}, xaxis, yaxis, …}`). */
export type Layout = Record<string, unknown>;

/** A plotly config (`{responsive, displayModeBar, …}`). */
export type Config = Record<string, unknown>;

/** The JSON form of a figure: the value of the `application/vnd.plotly.v1+json` mime type. */
export interface FigureJSON {
  data: Trace[];
  layout: Layout;
  config?: Config;
}

/** The plotly mime type understood by JupyterLab's and VS Code's plotly renderers. */
export const plotlyMimeType = "application/vnd.plotly.v1+json";

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x) && Object.getPrototypeOf(x) === Object.prototype;
}

/** plotly.js ≥ 3 dropped string titles: `title: "x"` must be `title: {text: "x"}`. */
function normalizeTitles(layout: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(layout)) {
    if (key === "title" && typeof value === "string") layout[key] = { text: value };
    else if (/^[xy]axis\d*$|^coloraxis\d*$/.test(key) && isPlainObject(value)) normalizeTitles(value);
  }
}

/** Objects merge key by key; arrays and everything else are replaced. */
function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) deepMerge(current, value);
    else if (isPlainObject(value)) {
      const copy: Record<string, unknown> = {};
      deepMerge(copy, value);
      target[key] = copy;
    } else target[key] = value;
  }
}

function titleText(layout: Layout): string | undefined {
  const title = layout.title;
  if (typeof title === "string") return title;
  if (isPlainObject(title) && typeof title.text === "string") return title.text;
  return undefined;
}

/**
 * A plotly figure. It renders as a plot when it is a cell's last expression, when passed to
 * `display()`, or with `show()`; `toJSON()` gives plain plotly JSON (typed arrays turned into
 * arrays, NaN into null).
 */
export class Figure {
  data: Trace[];
  layout: Layout;
  config: Config;
  /** The display id of the outputs `show()` made: `update()` redraws them in place. */
  private displayId: string | undefined;

  constructor(figure: { data?: Trace[]; layout?: Layout; config?: Config } = {}) {
    this.data = [...(figure.data ?? [])];
    this.layout = {};
    deepMerge(this.layout, figure.layout ?? {});
    normalizeTitles(this.layout);
    this.config = { ...(figure.config ?? {}) };
  }

  /** Appends a trace; returns the figure for chaining. */
  addTrace(trace: Trace): this {
    this.data.push(trace);
    return this;
  }

  /**
   * Deep-merges `layoutPatch` into the layout (`{yaxis: {type: "log"}}` keeps the axis title) and,
   * once the figure was shown with `show()`, redraws that output in place (`update_display_data`
   * with its display id) with the current data and layout: change `fig.data`, call `fig.update()`.
   * Inside an interact (an Output widget) the redraw replaces the figure there instead of adding
   * one per run.
   */
  update(layoutPatch: Layout = {}): this {
    deepMerge(this.layout, layoutPatch);
    normalizeTitles(this.layout);
    if (this.displayId !== undefined) this.send(true);
    return this;
  }

  /** Plain plotly JSON (`config` only when set, as plotly.py does). */
  toJSON(): FigureJSON {
    const json: FigureJSON = {
      data: toPlotlyJSON(this.data) as Trace[],
      layout: toPlotlyJSON(this.layout) as Layout,
    };
    if (Object.keys(this.config).length > 0) json.config = toPlotlyJSON(this.config) as Config;
    return json;
  }

  /** `Figure: 3 traces, 'Training'`: the text/plain form, also what console.log and a REPL show. */
  toString(): string {
    const n = this.data.length;
    const title = titleText(this.layout);
    return `Figure: ${n} trace${n === 1 ? "" : "s"}${title ? `, '${title}'` : ""}`;
  }

  /**
   * Shows the figure as a new output of the current cell (nothing outside a kernel), one that
   * `update()` redraws in place.
   */
  show(): void {
    this.displayId ??= newDisplayId();
    this.send(false);
  }

  private send(update: boolean): void {
    const id = this.displayId!;
    // The id also in the (saved) metadata, as LiveDisplay does: nnlab's nbextension routes updates
    // for a page reloaded while the kernel runs to it.
    displayBundle(figureBundle(this), { displayId: id, update, metadata: { nnlab: { display_id: id } } });
  }
}

/*
 * The display method is attached through the prototype plus interface merging because
 * isolatedDeclarations rejects symbol-named class members (TS9038) even for a `unique symbol`.
 */
export interface Figure {
  /**
   * The mime bundle: plotly JSON for front ends with a plotly renderer, a small HTML fallback
   * that loads plotly.js from the front end for the others, a one-line summary for logs.
   */
  [jupyterDisplaySymbol](): MimeBundle;
}

Figure.prototype[jupyterDisplaySymbol] = function (this: Figure): MimeBundle {
  return figureBundle(this);
};

// In a plain REPL or a kernel without the display protocol, a figure prints as its summary
// rather than pages of trace data.
Object.defineProperty(Figure.prototype, inspect.custom, {
  value: function (this: Figure): string {
    return this.toString();
  },
});

/**
 * The figure's three-mime bundle. None of it carries plotly.js: the data is drawn by the front
 * end's renderer (nnlab's nbextension, VS Code, plotly's JupyterLab extension).
 */
export function figureBundle(figure: Figure): MimeBundle {
  const json = figure.toJSON();
  return {
    [plotlyMimeType]: json,
    "text/html": figureHtml(json),
    "text/plain": figure.toString(),
  };
}
