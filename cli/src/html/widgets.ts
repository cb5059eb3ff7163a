/**
 * Widgets in a page without a kernel: each widget view is drawn from the notebook's saved widget
 * state as a still picture of the controls at their saved values (disabled inputs, so the page
 * does not pretend they move anything) and an Output widget's saved outputs, figures included.
 * For a headless run that is each interactive section at its start value.
 */
import type { Output } from "../notebook/types";
import type { SavedWidgetModel, WidgetState } from "../notebook/widget-state";
import { escapeHtml } from "./escape";

export { WIDGET_VIEW_MIME } from "../notebook/widget-state";

/** What drawing a widget needs from the page: the saved models, and how outputs are drawn. */
export interface WidgetPage {
  state: WidgetState;
  renderOutputs(outputs: Output[]): string;
}

const MODEL_REF = /^IPY_MODEL_(.+)$/;

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** The slider's readout, by its d3-format `readout_format` (the forms ipywidgets uses: ".2f", ".3e", ".3g", "d"). */
export function readout(value: unknown, format: unknown): string {
  const v = num(value);
  if (v === undefined) return String(value ?? "");
  const m = typeof format === "string" ? /^\.(\d+)([feg])$/.exec(format) : null;
  if (m) {
    const digits = Number(m[1]);
    return m[2] === "f" ? v.toFixed(digits) : m[2] === "e" ? v.toExponential(digits) : v.toPrecision(Math.max(1, digits));
  }
  if (format === "d") return Math.round(v).toString();
  return String(v);
}

function label(s: Record<string, unknown>): string {
  const d = typeof s.description === "string" ? s.description : "";
  return d ? `<label>${escapeHtml(d)}</label>` : "";
}

function slider(model: SavedWidgetModel): string {
  const s = model.state;
  const log = model.model_name === "FloatLogSliderModel";
  // A log slider's min and max are exponents of `base`; its value is the number itself.
  const base = num(s.base) ?? 10;
  // (12 digits: log(0.001) / log(10) is -2.9999999999999996)
  const position = log ? Number((Math.log(num(s.value) ?? 1) / Math.log(base)).toPrecision(12)) : num(s.value);
  const attrs = [`min="${num(s.min) ?? 0}"`, `max="${num(s.max) ?? 100}"`, `step="${num(s.step) ?? 1}"`, `value="${position ?? 0}"`].join(" ");
  return (
    `<div class="widget-static widget-slider">${label(s)}<input type="range" ${attrs} disabled>` +
    `<output>${escapeHtml(readout(s.value, s.readout_format))}</output></div>`
  );
}

function dropdown(model: SavedWidgetModel): string {
  const s = model.state;
  const labels = Array.isArray(s._options_labels) ? s._options_labels.map(String) : [];
  const options = labels.map((l, i) => `<option${i === s.index ? " selected" : ""}>${escapeHtml(l)}</option>`).join("");
  return `<div class="widget-static widget-dropdown">${label(s)}<select disabled>${options}</select></div>`;
}

/** One model's picture; `seen` stops a box that (wrongly) contains itself. */
function renderModel(id: string, page: WidgetPage, seen: Set<string>): string {
  const model = page.state.state[id];
  if (!model || seen.has(id)) return "";
  seen.add(id);
  const s = model.state;
  switch (model.model_name) {
    case "HBoxModel":
    case "VBoxModel":
    case "BoxModel":
    case "GridBoxModel": {
      const children = (Array.isArray(s.children) ? s.children : [])
        .map((c) => (typeof c === "string" ? MODEL_REF.exec(c)?.[1] : undefined))
        .map((child) => (child === undefined ? "" : renderModel(child, page, seen)));
      const dir = model.model_name === "HBoxModel" ? "widget-hbox" : "widget-vbox";
      return `<div class="widget-box ${dir}">${children.join("")}</div>`;
    }
    case "FloatSliderModel":
    case "IntSliderModel":
    case "FloatLogSliderModel":
      return slider(model);
    case "DropdownModel":
      return dropdown(model);
    case "CheckboxModel":
      return (
        `<div class="widget-static widget-checkbox"><label><input type="checkbox" disabled${s.value === true ? " checked" : ""}> ` +
        `${escapeHtml(String(s.description ?? ""))}</label></div>`
      );
    case "ButtonModel":
      return `<div class="widget-static widget-button"><button disabled>${escapeHtml(String(s.description ?? ""))}</button></div>`;
    case "LabelModel":
      return `<div class="widget-static widget-label">${label(s)}<span>${escapeHtml(String(s.value ?? ""))}</span></div>`;
    case "PlayModel":
      return `<div class="widget-static widget-play">${label(s)}<span>▶ ${escapeHtml(String(s.value ?? ""))}</span></div>`;
    case "OutputModel":
      return `<div class="widget-output">${page.renderOutputs(Array.isArray(s.outputs) ? (s.outputs as Output[]) : [])}</div>`;
    default:
      return `<div class="widget-static">[${escapeHtml(model.model_name)}]</div>`;
  }
}

/** The picture of a widget view, or undefined when the notebook saved no state for its model. */
export function renderWidgetView(view: unknown, page: WidgetPage | undefined): string | undefined {
  const id = typeof view === "object" && view !== null ? (view as { model_id?: unknown }).model_id : undefined;
  if (!page || typeof id !== "string" || !page.state.state[id]) return undefined;
  return `<div class="widget-view" title="saved widget state: run the notebook in Jupyter to move the controls">${renderModel(id, page, new Set())}</div>`;
}

/** Outputs held by Output widgets of the saved state (they need plotly.js like cell outputs do). */
export function widgetOutputs(state: WidgetState | undefined): Output[] {
  if (!state) return [];
  return Object.values(state.state)
    .filter((m) => m.model_name === "OutputModel" && Array.isArray(m.state.outputs))
    .flatMap((m) => m.state.outputs as Output[]);
}
