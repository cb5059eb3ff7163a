/** Checkbox (@jupyter-widgets/controls 2.0 CheckboxModel). */
import { domState, DOMWidget, type DOMWidgetOptions } from "./dom";
import type { StyleOptions } from "./layout";
import { requireBoolean } from "./options";
import { controlsModule, controlsVersion, modelKeys, type Observer, type Origin } from "./widget";

export interface CheckboxOptions extends DOMWidgetOptions {
  value?: boolean;
  description?: string;
  descriptionAllowHtml?: boolean;
  disabled?: boolean;
  /** Line the box up with the other controls' descriptions (default true). */
  indent?: boolean;
  style?: StyleOptions;
}

export class Checkbox extends DOMWidget {
  constructor(options?: CheckboxOptions) {
    const built = domState(
      "Checkbox",
      {
        ...modelKeys("CheckboxModel", controlsModule, controlsVersion, { name: "CheckboxView", module: controlsModule, version: controlsVersion }),
        description: "",
        description_allow_html: false,
        disabled: false,
        indent: true,
        value: false,
      },
      options,
      ["value", "description", "descriptionAllowHtml", "disabled", "indent"],
      "CheckboxStyleModel",
      (s) => {
        requireBoolean("Checkbox", "value", s.value);
      },
    );
    super(built);
  }

  get value(): boolean {
    return this.state.value as boolean;
  }

  set value(v: boolean) {
    this.set({ value: v });
  }

  override observe<T = boolean>(fn: Observer<T>, names: string | string[] = "value"): () => void {
    return super.observe(fn, names);
  }

  protected override coerce(name: string, value: unknown, _origin: Origin): unknown {
    if (name === "value" || name === "indent" || name === "disabled") return requireBoolean("Checkbox", name, value);
    return value;
  }
}
