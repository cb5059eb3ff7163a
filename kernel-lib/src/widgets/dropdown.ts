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
export type DropdownChoices = readonly unknown[];

/** The value type of options `C`: an option itself, or the value of a `[label, value]` pair. */
export type DropdownValue<C> = C extends readonly (infer E)[] ? (E extends readonly [string, infer V] ? V : E) : never;

export interface DropdownOptions<C extends DropdownChoices> extends DOMWidgetOptions {
  options: C;
  /** The selected value (default: the first option). */
  value?: DropdownValue<C>;
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

/**
 * `const C`: the options keep their literal types, so `new Dropdown({ options: [["SGD", SGD],
 * ["Adam", Adam]] })` has a `value` of type `typeof SGD | typeof Adam`, and `["SGD", "Adam"]` one of
 * `"SGD" | "Adam"`.
 */
export class Dropdown<const C extends DropdownChoices = readonly string[]> extends DOMWidget {
  constructor(options: DropdownOptions<C>) {
    type T = DropdownValue<C>;
    const list = pairs<T>(options?.options);
    const { options: _choices, value, ...rest } = options;
    let index = 0;
    if (value !== undefined) {
      index = list.findIndex(([, v]) => Object.is(v, value));
      if (index < 0) throw new Error(`Dropdown: value ${inspect(value)} is not one of the options (${list.map(([l]) => l).join(", ")})`);
    }
    const built = domState(
      "Dropdown",
      {
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
      },
      rest,
      ["description", "descriptionAllowHtml", "disabled"],
      "DescriptionStyleModel",
    );
    super(built, ["options", "value", "label"]);
  }

  /** The selected option's value. Setting it selects that option. */
  get value(): DropdownValue<C> {
    return this.state.value as DropdownValue<C>;
  }

  set value(v: DropdownValue<C>) {
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

  override observe<U = DropdownValue<C>>(fn: Observer<U>, names: string | string[] = "value"): () => void {
    return super.observe(fn, names);
  }

  protected override apply(patch: Record<string, unknown>, origin: Origin): void {
    const list = this.state.options as [string, unknown][];
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
    // index, then label and value, so that a "value" observer sees the state already consistent.
    if (index === undefined) super.apply(patch, origin);
    else super.apply({ ...patch, index, label: list[index]![0], value: list[index]![1] }, origin);
  }
}
