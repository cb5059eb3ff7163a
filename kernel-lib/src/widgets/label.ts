/** Label (@jupyter-widgets/controls 2.0 LabelModel): one line of text. */
import { domState, DOMWidget, type DOMWidgetOptions } from "./dom";
import type { StyleOptions } from "./layout";
import { requireString } from "./options";
import { controlsModule, controlsVersion, modelKeys, type Observer, type Origin } from "./widget";

export interface LabelOptions extends DOMWidgetOptions {
  value?: string;
  description?: string;
  style?: StyleOptions;
}

export class Label extends DOMWidget {
  constructor(options?: LabelOptions | string) {
    const o = typeof options === "string" ? { value: options } : options;
    const built = domState(
      "Label",
      {
        ...modelKeys("LabelModel", controlsModule, controlsVersion, { name: "LabelView", module: controlsModule, version: controlsVersion }),
        description: "",
        description_allow_html: false,
        disabled: false,
        placeholder: "\u200b",
        value: "",
      },
      o,
      ["value", "description"],
      "LabelStyleModel",
      (s) => {
        requireString("Label", "value", s.value);
      },
    );
    super(built);
  }

  get value(): string {
    return this.state.value as string;
  }

  set value(v: string) {
    this.set({ value: v });
  }

  override observe<T = string>(fn: Observer<T>, names: string | string[] = "value"): () => void {
    return super.observe(fn, names);
  }

  protected override coerce(name: string, value: unknown, _origin: Origin): unknown {
    return name === "value" ? requireString("Label", name, value) : value;
  }
}
