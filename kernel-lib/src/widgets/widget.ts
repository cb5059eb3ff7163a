/**
 * A widget model on the kernel side, kept in step with the front end's copy over one comm of
 * target `jupyter.widget` (ipywidgets' widget protocol 2.1.0): `comm_open` carries the whole
 * state, later `comm_msg`s carry `{method: "update", state, buffer_paths}` both ways,
 * `{method: "request_state"}` asks for the whole state again, `{method: "custom"}` carries events
 * (a button's click). Outside the nnlab kernel no comm exists and the widget is a plain object.
 */
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { commBridge, type CommChannel } from "./bridge";
import { putBuffers, refMarker, toWire, type BufferPath } from "./serialize";

export const widgetProtocolVersion = "2.1.0";
export const baseModule = "@jupyter-widgets/base";
export const baseVersion = "2.0.0";
export const controlsModule = "@jupyter-widgets/controls";
export const controlsVersion = "2.0.0";
export const outputModule = "@jupyter-widgets/output";
export const outputVersion = "1.0.0";

/** What an observer learns about one change. */
export interface Change<T = unknown> {
  /** The state key that changed (`"value"` unless you observe another). */
  name: string;
  old: T;
  new: T;
  owner: Widget;
}

/** `(value, change) => …`: the first argument is the new value. */
export type Observer<T = unknown> = (value: T, change: Change<T>) => void;

/** Where a change came from: the student's code, or the front end (a slider moved). */
export type Origin = "kernel" | "frontend";

/** Every widget with an open comm, by model id (the comm id), for `request_states`. */
export const openWidgets: Map<string, Widget> = new Map();

/** `_model_*` / `_view_*` keys of a model. `view` null for models without a view (Layout, styles). */
export function modelKeys(
  model: string,
  module: string,
  version: string,
  view: { name: string | null; module: string; version: string },
): Record<string, unknown> {
  return {
    _model_name: model,
    _model_module: module,
    _model_module_version: version,
    _view_name: view.name,
    _view_module: view.module,
    _view_module_version: view.version,
    _view_count: null,
  };
}

/** What toString shows, when the widget has it. */
const summaryKeys = ["value", "min", "max", "step", "base", "_options_labels", "description", "children"];

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

export class Widget {
  /** The model id: the comm id in a kernel, a local id elsewhere. */
  readonly modelId: string;
  /** The full state, by the front end's key names (`_model_name`, `value`, `min`, …). */
  protected readonly state: Record<string, unknown>;
  private comm: CommChannel | null = null;
  private readonly observers = new Map<string, Set<Observer>>();
  private isClosed = false;
  /** State keys kept in the kernel only (a Dropdown's `value` and `options`: the wire has `index`). */
  private readonly localKeys: ReadonlySet<string>;

  constructor(state: Record<string, unknown>, localKeys: readonly string[] = []) {
    this.state = state;
    this.localKeys = new Set(localKeys);
    const bridge = commBridge();
    if (!bridge) {
      this.modelId = randomUUID().replace(/-/g, "");
      return;
    }
    const wire = this.wireState();
    const comm = bridge.open(
      "jupyter.widget",
      { state: wire.state, buffer_paths: wire.bufferPaths },
      {
        metadata: { version: widgetProtocolVersion },
        buffers: wire.buffers,
      },
    );
    this.comm = comm;
    this.modelId = comm.commId;
    openWidgets.set(this.modelId, this);
    comm.onMessage = (data, buffers) => this.handleMessage(data, buffers);
    comm.onClose = () => this.forget();
  }

  /** True once closed, by `close()` or by the front end. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** True while a front end can see this widget (inside the nnlab kernel, not closed). */
  get live(): boolean {
    return this.comm !== null;
  }

  /** One state value by its front-end name (`widget.get("readout_format")`). */
  get(name: string): unknown {
    return this.state[name];
  }

  /**
   * Sets state values (front-end names), checked like the constructor's options, sends them to
   * the front end in one update and tells the observers.
   */
  set(patch: Record<string, unknown>): void {
    this.apply(patch, "kernel");
  }

  /**
   * Calls `fn(value, change)` after each change of `names` (default `"value"`), whether the
   * student's code or the front end made it. Returns a function that stops observing.
   */
  observe<T = unknown>(fn: Observer<T>, names: string | string[] = "value"): () => void {
    if (typeof fn !== "function")
      throw new TypeError(`${this.constructor.name}.observe: expected a function (value, change) => …, got ${inspect(fn)}`);
    const list = Array.isArray(names) ? names : [names];
    for (const name of list) {
      if (!(name in this.state)) {
        throw new Error(
          `${this.constructor.name}.observe: no state named "${name}"; known: ${Object.keys(this.state)
            .filter((k) => !k.startsWith("_"))
            .join(", ")}`,
        );
      }
      let set = this.observers.get(name);
      if (!set) this.observers.set(name, (set = new Set()));
      set.add(fn as Observer);
    }
    return () => this.unobserve(fn, list);
  }

  /** Stops calling `fn` for `names` (default: every name it observes). */
  unobserve<T = unknown>(fn: Observer<T>, names?: string | string[]): void {
    const list = names === undefined ? [...this.observers.keys()] : Array.isArray(names) ? names : [names];
    for (const name of list) this.observers.get(name)?.delete(fn as Observer);
  }

  /** Closes the comm: front ends remove the widget's views; the kernel forgets it. */
  close(): void {
    if (this.isClosed) return;
    const comm = this.comm;
    this.forget();
    comm?.close();
    for (const child of this.ownedChildren()) child.close();
  }

  /** The state as the front end receives it (widgets as references, buffers cut out). */
  wireState(): { state: Record<string, unknown>; bufferPaths: BufferPath[]; buffers: (ArrayBuffer | ArrayBufferView)[] } {
    return toWire(this.withoutLocal(this.state));
  }

  /** `FloatSlider(value=0.5, min=0, max=1, step=0.01, description='lr')`: the keys a reader looks for. */
  toString(): string {
    const args: string[] = [];
    for (const key of summaryKeys) {
      const v = this.state[key];
      if (v === undefined || v === null || v === "" || (key === "children" && !Array.isArray(v))) continue;
      const shown = key === "children" ? (v as Widget[]).map((c) => c.constructor.name).join(", ") : inspect(v, { breakLength: Infinity, depth: 1 });
      args.push(`${key === "_options_labels" ? "options" : key}=${key === "children" ? `[${shown}]` : shown}`);
    }
    return `${this.constructor.name}(${args.join(", ")})`;
  }

  /** Checks (and may clamp) a value before it is stored; throws on an invalid one. */
  protected coerce(_name: string, value: unknown, _origin: Origin): unknown {
    return value;
  }

  /** A `custom` message from the front end (e.g. `{event: "click"}`). */
  protected onCustom(_content: Record<string, unknown>, _buffers: Uint8Array[]): void {}

  /** Widgets this one created and closes with itself (its layout and style). */
  protected ownedChildren(): Widget[] {
    return [];
  }

  /**
   * Applies a patch: coerced key by key, sent to the front end (all of a kernel change, or the
   * keys where coercion changed what the front end sent), then observers are told.
   */
  protected apply(patch: Record<string, unknown>, origin: Origin): void {
    const changes: Change[] = [];
    const toSend: Record<string, unknown> = {};
    const toEcho: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(patch)) {
      if (!(name in this.state)) {
        if (origin === "frontend") continue; // a newer front end's key: ignore, as ipywidgets does
        throw new Error(
          `${this.constructor.name}: no state named "${name}"; known: ${Object.keys(this.state)
            .filter((k) => !k.startsWith("_"))
            .join(", ")}`,
        );
      }
      const value = this.coerce(name, raw, origin);
      if (origin === "kernel" || !sameValue(value, raw)) toSend[name] = value;
      else toEcho[name] = value;
      const old = this.state[name];
      if (sameValue(old, value)) continue;
      this.state[name] = value;
      changes.push({ name, old, new: value, owner: this });
    }
    if (Object.keys(toSend).length > 0) this.sendState(toSend);
    // Protocol 2.1: a front end's accepted update is echoed, so other views of the same kernel
    // (a second tab) follow, as ipywidgets 8 does by default.
    if (Object.keys(toEcho).length > 0) this.sendState(toEcho, "echo_update");
    for (const change of changes) this.notify(change);
  }

  protected sendState(partial: Record<string, unknown>, method: "update" | "echo_update" = "update"): void {
    const shared = this.withoutLocal(partial);
    if (!this.comm || Object.keys(shared).length === 0) return;
    const wire = toWire(shared);
    this.comm.send({ method, state: wire.state, buffer_paths: wire.bufferPaths }, wire.buffers);
  }

  /** Sends a `custom` message to the front end's views. */
  protected sendCustom(content: Record<string, unknown>): void {
    this.comm?.send({ method: "custom", content });
  }

  private notify(change: Change): void {
    for (const fn of [...(this.observers.get(change.name) ?? [])]) {
      try {
        fn(change.new, change);
      } catch (e) {
        // An observer's bug must not stop the other observers or the comm.
        console.error(`${this.constructor.name}.observe callback for "${change.name}" threw:`, e);
      }
    }
  }

  private handleMessage(data: Record<string, unknown>, buffers: Uint8Array[]): void {
    switch (data.method) {
      case "update": {
        const state = { ...((data.state ?? {}) as Record<string, unknown>) };
        putBuffers(state, data.buffer_paths, buffers);
        try {
          this.apply(state, "frontend");
        } catch (e) {
          console.error(`${this.constructor.name}: the front end sent a state the widget refuses:`, e);
        }
        break;
      }
      case "request_state": {
        const wire = this.wireState();
        this.comm?.send({ method: "update", state: wire.state, buffer_paths: wire.bufferPaths }, wire.buffers);
        break;
      }
      case "custom":
        this.onCustom((data.content ?? {}) as Record<string, unknown>, buffers);
        break;
      default:
        break;
    }
  }

  private withoutLocal(state: Record<string, unknown>): Record<string, unknown> {
    if (this.localKeys.size === 0) return state;
    return Object.fromEntries(Object.entries(state).filter(([k]) => !this.localKeys.has(k)));
  }

  private forget(): void {
    this.isClosed = true;
    this.comm = null;
    openWidgets.delete(this.modelId);
  }
}

// Widgets inside another widget's state travel as "IPY_MODEL_<id>" (serialize.ts).
(Widget.prototype as unknown as Record<symbol, boolean>)[refMarker] = true;
