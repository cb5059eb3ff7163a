/**
 * FloatSlider, IntSlider, FloatLogSlider (@jupyter-widgets/controls 2.0 FloatSliderModel,
 * IntSliderModel, FloatLogSliderModel). As in ipywidgets, min > max or step ≤ 0 are errors and a
 * value outside [min, max] is clamped into it (also when min or max move past it).
 */
import { domState, DOMWidget, type DOMWidgetOptions } from "./dom";
import type { StyleOptions } from "./layout";
import { requireBoolean, requireInteger, requireNumber, requireString } from "./options";
import { controlsModule, controlsVersion, modelKeys, type Observer, type Origin } from "./widget";

/** Options of the sliders (camelCase of the ipywidgets names). */
export interface SliderOptions extends DOMWidgetOptions {
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  description?: string;
  descriptionAllowHtml?: boolean;
  orientation?: "horizontal" | "vertical";
  readout?: boolean;
  /** d3-format string for the number next to the slider (`".2f"`, `".3g"`). */
  readoutFormat?: string;
  /** Send the value while dragging (true) or only on release (false). */
  continuousUpdate?: boolean;
  disabled?: boolean;
  behavior?: "drag-tap" | "drag-snap" | "tap" | "drag" | "snap";
  /** `{ descriptionWidth: "initial", handleColor: "tomato" }`. */
  style?: StyleOptions;
}

export interface LogSliderOptions extends SliderOptions {
  /** The exponent's base (default 10): the slider moves the exponent from min to max. */
  base?: number;
}

const sliderOptionNames = [
  "value",
  "min",
  "max",
  "step",
  "description",
  "descriptionAllowHtml",
  "orientation",
  "readout",
  "readoutFormat",
  "continuousUpdate",
  "disabled",
  "behavior",
];

function view(name: string): { name: string; module: string; version: string } {
  return { name, module: controlsModule, version: controlsVersion };
}

/** Shared checks of the three sliders; `integer` for IntSlider. */
abstract class Slider extends DOMWidget {
  protected abstract readonly integer: boolean;

  /** The current value (set it to move the slider: clamped into [min, max]). */
  get value(): number {
    return this.state.value as number;
  }

  set value(v: number) {
    this.set({ value: v });
  }

  get min(): number {
    return this.state.min as number;
  }

  set min(v: number) {
    this.set({ min: v });
  }

  get max(): number {
    return this.state.max as number;
  }

  set max(v: number) {
    this.set({ max: v });
  }

  get step(): number {
    return this.state.step as number;
  }

  set step(v: number) {
    this.set({ step: v });
  }

  get description(): string {
    return this.state.description as string;
  }

  set description(v: string) {
    this.set({ description: v });
  }

  override observe<T = number>(fn: Observer<T>, names: string | string[] = "value"): () => void {
    return super.observe(fn, names);
  }

  protected override apply(patch: Record<string, unknown>, origin: Origin): void {
    // A new min or max re-clamps the value, in the same update.
    if (("min" in patch || "max" in patch) && !("value" in patch)) patch = { ...patch, value: this.state.value };
    // min before max before value, so each is checked against the new bounds.
    const ordered: Record<string, unknown> = {};
    for (const key of ["min", "max", "value"]) if (key in patch) ordered[key] = patch[key];
    super.apply({ ...ordered, ...patch }, origin);
  }

  protected override coerce(name: string, value: unknown, origin: Origin): unknown {
    const cls = this.constructor.name;
    const num = this.integer ? requireInteger : requireNumber;
    switch (name) {
      case "value": {
        const v = num(cls, "value", value);
        return Math.min(Math.max(v, this.state.min as number), this.state.max as number);
      }
      case "min": {
        const v = num(cls, "min", value);
        if (v > (this.state.max as number)) {
          if (origin === "frontend") return this.state.min;
          throw new RangeError(`${cls}: min (${v}) must not be greater than max (${this.state.max as number})`);
        }
        return v;
      }
      case "max": {
        const v = num(cls, "max", value);
        if (v < (this.state.min as number)) {
          if (origin === "frontend") return this.state.max;
          throw new RangeError(`${cls}: max (${v}) must not be less than min (${this.state.min as number})`);
        }
        return v;
      }
      case "step": {
        const v = num(cls, "step", value);
        if (!(v > 0)) throw new RangeError(`${cls}: step must be greater than 0, got ${v}`);
        return v;
      }
      case "description":
      case "readout_format":
        return requireString(cls, name, value);
      case "readout":
      case "continuous_update":
      case "disabled":
      case "description_allow_html":
        return requireBoolean(cls, name, value);
      case "orientation":
        if (value !== "horizontal" && value !== "vertical")
          throw new RangeError(`${cls}: orientation must be "horizontal" or "vertical", got ${String(value)}`);
        return value;
      default:
        return value;
    }
  }
}

/**
 * Checks the bounds of constructor options (before any comm opens) and clamps the value:
 * `min > max` and `step <= 0` are errors, the value defaults to `fallback` and is clamped.
 */
function checkedBounds(
  cls: string,
  o: SliderOptions,
  defaults: { min: number; max: number; step: number; value: number },
  integer: boolean,
): { min: number; max: number; step: number; value: number } {
  const num = integer ? requireInteger : requireNumber;
  const min = o.min === undefined ? defaults.min : num(cls, "min", o.min);
  const max = o.max === undefined ? defaults.max : num(cls, "max", o.max);
  const step = o.step === undefined ? defaults.step : num(cls, "step", o.step);
  if (min > max) throw new RangeError(`${cls}: min (${min}) must not be greater than max (${max})`);
  if (!(step > 0)) throw new RangeError(`${cls}: step must be greater than 0, got ${step}`);
  const raw = o.value === undefined ? defaults.value : num(cls, "value", o.value);
  return { min, max, step, value: Math.min(Math.max(raw, min), max) };
}

function sliderState(
  cls: string,
  model: string,
  viewName: string,
  options: SliderOptions | undefined,
  defaults: { min: number; max: number; step: number; value: number; readoutFormat: string },
  integer: boolean,
  extra: Record<string, unknown> = {},
  extraNames: string[] = [],
  check?: (state: Record<string, unknown>) => void,
) {
  const o = options ?? {};
  return domState(
    cls,
    {
      ...modelKeys(model, controlsModule, controlsVersion, view(viewName)),
      description: "",
      description_allow_html: false,
      orientation: "horizontal",
      readout: true,
      readout_format: defaults.readoutFormat,
      continuous_update: true,
      disabled: false,
      behavior: "drag-tap",
      ...extra,
    },
    options,
    [...sliderOptionNames, ...extraNames],
    "SliderStyleModel",
    (s) => {
      Object.assign(s, checkedBounds(cls, o, defaults, integer));
      check?.(s);
      warnOffSteps(cls, s, extra.base as number | undefined);
    },
  );
}

/**
 * A front end places a slider's handle on min + k·step (for FloatLogSlider, on exponents) and
 * shows that value: a start value between two steps is silently shown as another (λ = 3 on a
 * base-10 slider with exponent step 0.25 read 3.16 in JupyterLab). Said once, when the slider is made.
 */
function warnOffSteps(cls: string, s: Record<string, unknown>, base: number | undefined): void {
  const [value, min, max, step] = [s.value, s.min, s.max, s.step] as number[];
  const position = base === undefined ? value : Math.log(value) / Math.log(base);
  const k = (position - min) / step;
  if (Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k)) || position >= max) return;
  const nearest = Math.min(min + Math.round(k) * step, max);
  const shown = base === undefined ? nearest : base ** nearest;
  const name = typeof s.description === "string" && s.description !== "" ? ` "${s.description}"` : "";
  const grid = base === undefined ? `${min} + k·${step}` : `${base}^(${min} + k·${step})`;
  console.warn(
    `${cls}${name}: the value ${value} is not on the slider's steps (${grid}); front ends put the handle on the nearest step ` +
      `and show ${Number(shown.toPrecision(6))}. Choose a value on the steps, or another min or step${base === undefined ? "" : " or base"}.`,
  );
}

/** A slider over real numbers: `new FloatSlider({ value: 0.1, min: 0, max: 1, step: 0.01, description: "lr" })`. */
export class FloatSlider extends Slider {
  protected readonly integer: boolean = false;

  constructor(options?: SliderOptions) {
    super(
      sliderState(
        "FloatSlider",
        "FloatSliderModel",
        "FloatSliderView",
        options,
        { min: 0, max: 10, step: 0.1, value: 0, readoutFormat: ".2f" },
        false,
      ),
    );
  }
}

/** A slider over integers: `new IntSlider({ value: 3, min: 1, max: 10 })`. */
export class IntSlider extends Slider {
  protected readonly integer: boolean = true;

  constructor(options?: SliderOptions) {
    super(sliderState("IntSlider", "IntSliderModel", "IntSliderView", options, { min: 0, max: 100, step: 1, value: 0, readoutFormat: "d" }, true));
  }
}

/**
 * A slider over powers: `min`, `max` and `step` are exponents of `base` (ipywidgets' meaning),
 * `value` is the number itself: `new FloatLogSlider({ value: 1e-3, min: -5, max: 0 })` spans
 * 1e-5 … 1.
 */
export class FloatLogSlider extends Slider {
  protected readonly integer: boolean = false;

  constructor(options?: LogSliderOptions) {
    const o = options ?? {};
    const base = o.base === undefined ? 10 : requireNumber("FloatLogSlider", "base", o.base);
    if (!(base > 0) || base === 1) throw new RangeError(`FloatLogSlider: base must be positive and not 1, got ${base}`);
    const { base: _base, ...rest } = o;
    // Bounds are exponents, the value is base^exponent: clamp it in that space.
    const clampPower = (st: Record<string, unknown>): void => {
      const raw = o.value === undefined ? 1 : requireNumber("FloatLogSlider", "value", o.value);
      if (!(raw > 0)) throw new RangeError(`FloatLogSlider: value must be positive (it is base^exponent), got ${raw}`);
      st.value = Math.min(Math.max(raw, base ** (st.min as number)), base ** (st.max as number));
    };
    const defaults = { min: 0, max: 4, step: 0.1, value: 1, readoutFormat: ".3g" };
    super(sliderState("FloatLogSlider", "FloatLogSliderModel", "FloatLogSliderView", rest, defaults, false, { base }, [], clampPower));
  }

  protected override coerce(name: string, value: unknown, origin: Origin): unknown {
    if (name !== "value") return super.coerce(name, value, origin);
    const v = requireNumber("FloatLogSlider", "value", value);
    const base = this.state.base as number;
    return Math.min(Math.max(v, base ** (this.state.min as number)), base ** (this.state.max as number));
  }
}
