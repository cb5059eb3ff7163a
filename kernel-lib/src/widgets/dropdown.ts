/**
 * Dropdown (@jupyter-widgets/controls 2.0 DropdownModel). The front end knows only the labels
 * (`_options_labels`) and the selected `index`; the options' values stay in the kernel, as in
 * ipywidgets, so they can be anything (strings, functions, optimiser classes).
 */
import { inspect } from "node:util";
import { domState, DOMWidget, type DOMWidgetOptions } from "./dom";
import type { StyleOptions } from "./layout";
import { controlsModule, controlsVersion, modelKeys, type Observer, type Origin } from "./widget";

/** `["SGD", "Adam"]`, or `[label, value]` pairs: `[["SGD", optim.SGD], ["Adam", optim.Adam]]`. */
export type DropdownChoices<T> = readonly T[] | readonly (readonly [string, T])[];

export interface DropdownOptions<T> extends DOMWidgetOptions {
  options: DropdownChoices<T>;
  /** The selected value (default: the first option). */
  value?: T;
  description?: string;
  descriptionAllowHtml?: boolean;
  disabled?: boolean;
  style?: StyleOptions;
}

function pairs<T>(choices: unknown): [string, T][] {
  if (!Array.isArray(choices) || choices.length === 0) {
    throw new Error(`Dropdown: options must be a non-empty array such as ["SGD", "Adam"] or [["SGD", SGD], ["Adam", Adam]], got ${inspect(choices)}`);
  }
  return choices.map((c: unknown) => {
    if (Array.isArray(c) && c.length === 2 && typeof c[0] === "string") return [c[0], c[1] as T];
    return [typeof c === "string" ? c : String(c), c as T];
  });
}

export class Dropdown<T = string> extends DOMWidget {
  constructor(options: DropdownOptions<T>) {
    const list = pairs<T>(options?.options);
    const { options: _choices, value, ...rest } = options;
    let index = 0;
    if (value !== undefined) {
      index = list.findIndex(([, v]) => Object.is(v, value));
      if (index < 0) throw new Error(`Dropdown: value ${inspect(value)} is not one of the options (${list.map(([l]) => l).join(", ")})`);
    }
    const built = domState("Dropdown", {
      ...modelKeys("DropdownModel", controlsModule, controlsVersion, { name: "DropdownView", module: controlsModule, version: controlsVersion }),
      description: "",
      description_allow_html: false,
      disabled: false,
      button_style: "",
      _options_labels: list.map(([l]) => l),
      index,
      options: list,
      value: list[index]![1],
      label: list[index]![0],
    }, rest, ["description", "descriptionAllowHtml", "disabled"], "DescriptionStyleModel");
    super(built, ["options", "value", "label"]);
  }

  /** The selected option's value. Setting it selects that option. */
  get value(): T {
    return this.state.value as T;
  }

  set value(v: T) {
    this.set({ value: v });
  }

  /** The selected option's label. */
  get label(): string {
    return this.state.label as string;
  }

  get index(): number {
    return this.state.index as number;
  }

  set index(i: number) {
    this.set({ index: i });
  }

  override observe<U = T>(fn: Observer<U>, names: string | string[] = "value"): () => void {
    return super.observe(fn, names);
  }

  protected override apply(patch: Record<string, unknown>, origin: Origin): void {
    const list = this.state.options as [string, T][];
    let index: number | undefined;
    if ("value" in patch) {
      index = list.findIndex(([, v]) => Object.is(v, patch.value));
      if (index < 0) throw new Error(`Dropdown: value ${inspect(patch.value)} is not one of the options (${list.map(([l]) => l).join(", ")})`);
    } else if ("index" in patch) {
      const i = patch.index;
      if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= list.length) {
        if (origin === "frontend") return;
        throw new RangeError(`Dropdown: index must be an integer in 0…${list.length - 1}, got ${inspect(i)}`);
      }
      index = i;
    }
    if (index === undefined) return super.apply(patch, origin);
    // index, then label and value, so that a "value" observer sees the state already consistent.
    super.apply({ ...patch, index, label: list[index]![0], value: list[index]![1] }, origin);
  }
}
