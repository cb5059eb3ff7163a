/**
 * The widget state a headless run saves into the notebook, as JupyterLab's widget manager does
 * when it saves (`metadata.widgets["application/vnd.jupyter.widget-state+json"]`, nbformat's
 * widget-state schema, version 2): with no front end to hold the models, the comm messages the
 * kernel sends are the models. A saved notebook then shows its sliders where a widget manager
 * renders saved state (JupyterLab's restore, nbconvert's HTML, `nnlab run`'s own pages).
 */
import type { JSONObject, Notebook } from "./types";

export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
/** The comm target of ipywidgets' models (protocol 2, ipywidgets 8). */
const WIDGET_TARGET = "jupyter.widget";

export type CommMessageType = "comm_open" | "comm_msg" | "comm_close";

/** One saved model: what a widget manager needs to create it without a kernel. */
export interface SavedWidgetModel {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: JSONObject;
}

export interface WidgetState {
  version_major: 2;
  version_minor: 0;
  state: Record<string, SavedWidgetModel>;
}

function isObject(v: unknown): v is JSONObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Folds a kernel's comm messages into the current state of each widget model it opened. */
export class WidgetStateRecorder {
  private readonly models = new Map<string, JSONObject>();
  /** Models whose state carried binary buffers: saved without those keys (the client keeps no buffers). */
  readonly withBuffers = new Set<string>();

  /** Feeds one iopub comm message's content. */
  add(msgType: CommMessageType, content: JSONObject): void {
    const id = typeof content.comm_id === "string" ? content.comm_id : undefined;
    if (id === undefined) return;
    const data = isObject(content.data) ? content.data : {};
    if (msgType === "comm_open") {
      if (content.target_name !== WIDGET_TARGET || !isObject(data.state)) return;
      this.models.set(id, { ...data.state });
      this.noteBuffers(id, data);
    } else if (msgType === "comm_msg") {
      const model = this.models.get(id);
      // echo_update: the kernel's confirmation of a front end's change, the same state update.
      if (!model || (data.method !== "update" && data.method !== "echo_update") || !isObject(data.state)) return;
      Object.assign(model, data.state);
      this.noteBuffers(id, data);
    } else {
      // A closed comm is a freed widget: a front end no longer has it either.
      this.models.delete(id);
    }
  }

  private noteBuffers(id: string, data: JSONObject): void {
    if (Array.isArray(data.buffer_paths) && data.buffer_paths.length > 0) this.withBuffers.add(id);
  }

  /** The state to save, or undefined when the run opened no widget (or all were closed). */
  state(): WidgetState | undefined {
    const state: Record<string, SavedWidgetModel> = {};
    for (const [id, s] of this.models) {
      const { _model_name, _model_module, _model_module_version } = s;
      if (typeof _model_name !== "string" || typeof _model_module !== "string" || typeof _model_module_version !== "string") continue;
      state[id] = { model_name: _model_name, model_module: _model_module, model_module_version: _model_module_version, state: { ...s } };
    }
    return Object.keys(state).length > 0 ? { version_major: 2, version_minor: 0, state } : undefined;
  }

  /**
   * Writes the state into `nb.metadata.widgets`, or removes a stale one that an earlier run
   * left: a notebook carries the state of its own last run only.
   */
  saveInto(nb: Notebook): void {
    const state = this.state();
    if (state) nb.metadata.widgets = { [WIDGET_STATE_MIME]: state };
    else delete nb.metadata.widgets;
  }
}

/** The saved state of a notebook (undefined when it has none). */
export function savedWidgetState(nb: Notebook): WidgetState | undefined {
  const widgets = nb.metadata.widgets;
  if (!isObject(widgets)) return undefined;
  const state = widgets[WIDGET_STATE_MIME];
  return isObject(state) && isObject(state.state) ? (state as unknown as WidgetState) : undefined;
}
