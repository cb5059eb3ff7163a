/**
 * The layout and style models every visible widget points to (`layout: "IPY_MODEL_…"`,
 * `style: "IPY_MODEL_…"`). @jupyter-widgets/base declares no defaults for them and copes with
 * their absence, but ipywidgets always creates both, and views, saved widget state and other
 * managers (VS Code) expect them; so every widget gets its own, as in ipywidgets.
 */
import { optionsToState } from "./options";
import { Widget, baseModule, baseVersion, controlsModule, controlsVersion, modelKeys } from "./widget";

/** The CSS properties of `@jupyter-widgets/base` LayoutModel (all unset by default). */
export const layoutProperties: readonly string[] = [
  "align_content",
  "align_items",
  "align_self",
  "border_top",
  "border_right",
  "border_bottom",
  "border_left",
  "bottom",
  "display",
  "flex",
  "flex_flow",
  "height",
  "justify_content",
  "justify_items",
  "left",
  "margin",
  "max_height",
  "max_width",
  "min_height",
  "min_width",
  "overflow",
  "order",
  "padding",
  "right",
  "top",
  "visibility",
  "width",
  "object_fit",
  "object_position",
  "grid_auto_columns",
  "grid_auto_flow",
  "grid_auto_rows",
  "grid_gap",
  "grid_template_rows",
  "grid_template_columns",
  "grid_template_areas",
  "grid_row",
  "grid_column",
  "grid_area",
];

const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** CSS of a widget's box: `{ width: "400px", margin: "0 8px" }` (camelCase names). */
export type LayoutOptions = Record<string, string | null | undefined>;

export class Layout extends Widget {
  constructor(options: LayoutOptions = {}) {
    const state: Record<string, unknown> = modelKeys("LayoutModel", baseModule, baseVersion, {
      name: "LayoutView",
      module: baseModule,
      version: baseVersion,
    });
    for (const key of layoutProperties) state[key] = null;
    Object.assign(state, optionsToState("Layout", options, layoutProperties.map(camel)));
    super(state);
  }
}

/** The style models by name, with their properties and defaults (@jupyter-widgets/controls 2.0). */
const styleProperties: Record<string, Record<string, unknown>> = {
  DescriptionStyleModel: { description_width: "" },
  SliderStyleModel: { description_width: "", handle_color: null },
  CheckboxStyleModel: { description_width: "", background: null },
  ButtonStyleModel: {
    button_color: null,
    font_family: null,
    font_size: null,
    font_style: null,
    font_variant: null,
    font_weight: null,
    text_color: null,
    text_decoration: null,
  },
  LabelStyleModel: {
    description_width: "",
    background: null,
    font_family: null,
    font_size: null,
    font_style: null,
    font_variant: null,
    font_weight: null,
    text_color: null,
    text_decoration: null,
  },
};

export type StyleModelName = "DescriptionStyleModel" | "SliderStyleModel" | "CheckboxStyleModel" | "ButtonStyleModel" | "LabelStyleModel";

/** Style options (`{ descriptionWidth: "initial", handleColor: "tomato" }`), per the model's properties. */
export type StyleOptions = Record<string, string | null | undefined>;

export class Style extends Widget {
  constructor(model: StyleModelName, options: StyleOptions = {}) {
    const props = styleProperties[model]!;
    const state: Record<string, unknown> = modelKeys(model, controlsModule, controlsVersion, {
      name: "StyleView",
      module: baseModule,
      version: baseVersion,
    });
    Object.assign(state, props);
    Object.assign(state, optionsToState(`${model} style`, options, Object.keys(props).map(camel)));
    super(state);
  }
}
