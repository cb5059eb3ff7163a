/**
 * interact / interactive: controls built from a short description of each argument, and a
 * function re-run into an Output widget whenever one of them changes.
 *
 *   interact(({ lr, momentum }) => plotTrajectory(lr, momentum), { lr: [0.001, 0.5, 0.001], momentum: [0, 0.99, 0.01] })
 *
 * Runs: the first one at once; later ones `debounceMs` after the last change. A change while a
 * run is in progress aborts that run (its AbortSignal fires, and whatever it writes from then on
 * is dropped) and the latest values run as soon as it has returned: at most one run and one
 * pending run exist, whatever the number of changes.
 *
 * Output: everything `fn` writes (console.log, `display`, `fig.show()`) goes into the Output
 * widget, which keeps the previous run's output until the new run writes (no flicker). A value
 * `fn` returns is shown like a cell's last value, and a re-run's value replaces it in place (one
 * `update_display_data`), so `({ lr }) => plotTrajectory(lr)` redraws one figure. A figure shown
 * once and then changed with `fig.update()` is redrawn in place too, inside the Output or, if it
 * was shown in a cell, there.
 */
import { inspect } from "node:util";
import { display, toMimeBundle } from "../display/display";
import { jupyterDisplaySymbol, type MimeBundle } from "../display/mime";
import { newDisplayId } from "../display/kernel";
import { commBridge, type OutputSink } from "./bridge";
import { Checkbox } from "./checkbox";
import { DOMWidget } from "./dom";
import { Dropdown } from "./dropdown";
import { VBox } from "./box";
import { Output } from "./output";
import { FloatSlider, IntSlider } from "./sliders";

/**
 * How one argument is described:
 * - `[min, max]`, `[min, max, step]` or `[min, max, step, value]`: an IntSlider when all are
 *   integers, else a FloatSlider (value: the middle, as in ipywidgets, unless given);
 * - a number `v`: a slider from -v to 3v (ipywidgets' rule) starting at v;
 * - `["SGD", "Adam"]` or `[["SGD", SGD], ["Adam", Adam]]`: a Dropdown;
 * - `true` / `false`: a Checkbox;
 * - a widget with a `value` (e.g. `new FloatLogSlider({…})`): used as is.
 */
export type Abbreviation =
  | readonly [number, number]
  | readonly [number, number, number]
  | readonly [number, number, number, number]
  | number
  | boolean
  | readonly string[]
  | readonly (readonly [string, unknown])[]
  | (DOMWidget & { value: unknown });

export type InteractSpec = Record<string, Abbreviation>;

/** The current value of each control, by argument name. */
export type InteractValues<S extends InteractSpec> = {
  [K in keyof S]: S[K] extends boolean
    ? boolean
    : S[K] extends readonly string[]
      ? S[K][number]
      : S[K] extends readonly (readonly [string, infer V])[]
        ? V
        : S[K] extends { value: infer V }
          ? V
          : number;
};

export interface InteractOptions {
  /** Wait this long after the last change before re-running (default 150 ms). */
  debounceMs?: number;
  /** Where the output goes (default: a new Output below the controls). */
  output?: Output;
}

type Control = DOMWidget & { value: unknown };

function isControl(x: unknown): x is Control {
  return x instanceof DOMWidget && "value" in x;
}

function sliderFor(name: string, nums: readonly number[]): Control {
  const [min, max, step, value] = nums as [number, number, number | undefined, number | undefined];
  const integer = nums.every((n) => Number.isInteger(n));
  if (integer) {
    return new IntSlider({ min, max, step: step ?? 1, value: value ?? Math.floor((min + max) / 2), description: name });
  }
  return new FloatSlider({ min, max, step: step ?? (max - min) / 100, value: value ?? (min + max) / 2, description: name });
}

/** The control for one argument (see {@link Abbreviation}). */
export function widgetFor(name: string, abbrev: unknown): Control {
  if (isControl(abbrev)) return abbrev;
  if (typeof abbrev === "boolean") return new Checkbox({ value: abbrev, description: name });
  if (typeof abbrev === "number") {
    if (!Number.isFinite(abbrev)) throw new RangeError(`interact: "${name}": ${abbrev} is not a finite number`);
    const span = abbrev === 0 ? [-1, 1] : abbrev > 0 ? [-abbrev, 3 * abbrev] : [3 * abbrev, -abbrev];
    return sliderFor(name, [span[0]!, span[1]!, ...(Number.isInteger(abbrev) ? [1] : [(span[1]! - span[0]!) / 100]), abbrev]);
  }
  if (Array.isArray(abbrev) && abbrev.length > 0) {
    if (abbrev.every((x) => typeof x === "number") && abbrev.length >= 2 && abbrev.length <= 4) return sliderFor(name, abbrev as number[]);
    if (abbrev.every((x) => typeof x === "string" || (Array.isArray(x) && x.length === 2 && typeof x[0] === "string"))) {
      return new Dropdown<readonly unknown[]>({ options: abbrev as string[], description: name });
    }
  }
  throw new TypeError(
    `interact: cannot make a control for "${name}" from ${inspect(abbrev, { depth: 1 })}; ` +
      `use [min, max], [min, max, step], [min, max, step, value], a number, ["a", "b"], true/false, or a widget`,
  );
}

function errorContent(e: unknown): Record<string, unknown> {
  if (e instanceof Error) {
    return { ename: e.name, evalue: e.message, traceback: (e.stack ?? `${e.name}: ${e.message}`).split("\n") };
  }
  return { ename: "Error", evalue: inspect(e), traceback: [`Uncaught ${inspect(e)}`] };
}

/**
 * The controls and the output of an interact, in a VBox (controls first). `fn` gets the values
 * and an AbortSignal that fires when a newer change supersedes the run.
 */
export class Interactive<S extends InteractSpec = InteractSpec> extends VBox {
  /** The controls by argument name. */
  readonly controls: { [K in keyof S]: Control };
  /** Where `fn`'s output goes. */
  readonly output: Output;
  private readonly fn: (values: InteractValues<S>, signal: AbortSignal) => unknown;
  private readonly debounceMs: number;
  private generation = 0;
  private running: Promise<void> | null = null;
  private controller: AbortController | null = null;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private idle: (() => void)[] = [];
  /** @internal Set by interact() while the cell that called it is still running: see there. */
  shownByInteract = false;
  /** The display id of `fn`'s returned value in the Output, so that a re-run redraws it in place. */
  private readonly resultId: string = newDisplayId();

  constructor(fn: (values: InteractValues<S>, signal: AbortSignal) => unknown, spec: S, options: InteractOptions = {}) {
    if (typeof fn !== "function") {
      throw new TypeError(`interact: the first argument must be a function ({ ...values }) => …, got ${inspect(fn, { depth: 0 })}`);
    }
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
      throw new TypeError(`interact: the second argument must be an object such as { lr: [0.001, 1, 0.001] }, got ${inspect(spec, { depth: 1 })}`);
    }
    const debounceMs = options.debounceMs ?? 150;
    if (!(debounceMs >= 0)) throw new RangeError(`interact: debounceMs must be ≥ 0, got ${debounceMs}`);
    const controls = {} as { [K in keyof S]: Control };
    for (const name of Object.keys(spec) as (keyof S & string)[]) controls[name] = widgetFor(name, spec[name]);
    const output = options.output ?? new Output();
    super([...Object.values<Control>(controls), output]);
    this.controls = controls;
    this.output = output;
    this.fn = fn;
    this.debounceMs = debounceMs;
    for (const control of Object.values<Control>(controls)) control.observe(() => this.schedule());
    this.start();
  }

  /** The controls' current values. */
  get values(): InteractValues<S> {
    const out: Record<string, unknown> = {};
    for (const [name, control] of Object.entries<Control>(this.controls)) out[name] = control.value;
    return out as InteractValues<S>;
  }

  /** Re-runs now (no debounce); resolves once no run is in progress or pending. */
  update(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.start();
    return this.settled();
  }

  /** Resolves once no run is in progress, pending or waiting for its debounce. */
  settled(): Promise<void> {
    if (!this.running && !this.timer && !this.pending) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  override close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = false;
    this.controller?.abort(new Error("interact: closed"));
    super.close();
    for (const control of Object.values<Control>(this.controls)) control.close();
    this.output.close();
    this.wake();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, this.debounceMs);
  }

  private start(): void {
    if (this.closed) return;
    if (this.running) {
      // Supersede: the running one stops writing now; the latest values run when it returns.
      this.controller?.abort(new Error("interact: superseded by a newer change"));
      this.pending = true;
      return;
    }
    this.pending = false;
    // This run reads the controls' values now, so a debounce still waiting for an earlier change
    // has nothing left to do: firing, it would abort this run and start the same values again.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const gen = ++this.generation;
    const controller = new AbortController();
    this.controller = controller;
    const current = (): boolean => gen === this.generation && !controller.signal.aborted && !this.closed;
    // A superseded run's output is swallowed (true: taken), never published anywhere.
    const sink: OutputSink = (msgType, content) => (current() ? this.output.write(msgType, content) : true);
    // Old output stays until the new run writes (no flicker while a plot is recomputed).
    this.output.clear(true);
    const values = this.values;
    const bridge = commBridge();
    const call = (): unknown => this.fn(values, controller.signal);
    let result: unknown;
    let failed: { error: unknown } | null = null;
    try {
      result = bridge ? bridge.captureOutput(sink, call) : call();
    } catch (e) {
      failed = { error: e };
    }
    const finish = (value: unknown, error: { error: unknown } | null): void => {
      if (current()) {
        if (error) sink("error", errorContent(error.error));
        else if (value !== undefined) {
          // The same output, updated, when the previous run's value is still shown (a figure
          // redrawn rather than removed and added); a new one otherwise.
          const content = { data: toMimeBundle(value), metadata: {}, transient: { display_id: this.resultId } };
          if (!this.output.write("update_display_data", content)) this.output.write("display_data", content);
        }
        this.output.settleClear();
      }
    };
    if (failed || !(result instanceof Promise)) {
      finish(result, failed);
      this.afterRun();
      return;
    }
    this.running = result
      .then(
        (v: unknown) => finish(v, null),
        (e: unknown) => finish(undefined, { error: e }),
      )
      .finally(() => {
        this.running = null;
        this.afterRun();
      });
  }

  private afterRun(): void {
    if (this.pending) this.start();
    else this.wake();
  }

  private wake(): void {
    if (this.running || this.timer || this.pending) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

/** Builds the controls and the Output, runs `fn` once, and returns the box without displaying it. */
export function interactive<S extends InteractSpec>(
  fn: (values: InteractValues<S>, signal: AbortSignal) => unknown,
  spec: S,
  options?: InteractOptions,
): Interactive<S> {
  return new Interactive(fn, spec, options);
}

/** {@link interactive}, displayed as an output of the current cell; returns the box. */
export function interact<S extends InteractSpec>(
  fn: (values: InteractValues<S>, signal: AbortSignal) => unknown,
  spec: S,
  options?: InteractOptions,
): Interactive<S> {
  const box = new Interactive(fn, spec, options);
  display(box);
  box.shownByInteract = true;
  // Until this turn of the event loop ends: when `interact(…)` is also the cell's last
  // expression, the kernel's display of the returned box would show it a second time.
  setTimeout(() => {
    box.shownByInteract = false;
  }, 0);
  return box;
}

const widgetDisplay = DOMWidget.prototype[jupyterDisplaySymbol];
// The nnlab kernel shows nothing for a value whose display method returns null.
(Interactive.prototype as { [jupyterDisplaySymbol]: (this: Interactive) => MimeBundle | null })[jupyterDisplaySymbol] = function (
  this: Interactive,
): MimeBundle | null {
  return this.shownByInteract ? null : widgetDisplay.call(this);
};
