/**
 * A widget with a view: it has a layout (and a style for most controls) and renders as a cell's
 * last expression or through `display()`, with the widget-view mime bundle that widget managers
 * render and `text/plain` for everything else.
 */
import { jupyterDisplaySymbol, type MimeBundle } from "../display/mime";
import { display } from "../display/display";
import { Layout, Style, type LayoutOptions, type StyleModelName, type StyleOptions } from "./layout";
import { optionsToState } from "./options";
import { Widget } from "./widget";

/** The mime type of a widget view (its value names the model). */
export const widgetViewMimeType = "application/vnd.jupyter.widget-view+json";

/** Options every visible widget takes. */
export interface DOMWidgetOptions {
  /** CSS of the widget's box: `{ width: "400px" }`. */
  layout?: LayoutOptions | Layout;
  /** Shown on hover. */
  tooltip?: string | null;
}

export const domOptionNames: readonly string[] = ["tooltip"];

/**
 * The state of a DOM widget: `modelState` (names, versions, defaults) + the options (checked
 * against `known`, then by `check`, which may clamp or throw) + layout + style (when `styleModel`
 * is given). Every check runs before the layout and style open their comms, so a rejected option
 * leaves nothing behind in the front end.
 */
export function domState(
  className: string,
  modelState: Record<string, unknown>,
  options: (DOMWidgetOptions & { style?: StyleOptions }) | undefined,
  known: readonly string[],
  styleModel: StyleModelName | null,
  check?: (state: Record<string, unknown>) => void,
): { state: Record<string, unknown>; owned: Widget[] } {
  const handled = styleModel ? ["layout", "style"] : ["layout"];
  const patch = optionsToState(className, options, [...known, ...domOptionNames], handled);
  const state: Record<string, unknown> = { ...modelState, _dom_classes: [], tabbable: null, tooltip: null, ...patch };
  check?.(state);
  const owned: Widget[] = [];
  try {
    if (options?.layout instanceof Layout) state.layout = options.layout;
    else owned.push((state.layout = new Layout(options?.layout ?? {})) as Layout);
    if (styleModel) owned.push((state.style = new Style(styleModel, options?.style ?? {})) as Style);
  } catch (e) {
    for (const w of owned) w.close();
    throw e;
  }
  return { state, owned };
}

export class DOMWidget extends Widget {
  private readonly owned: Widget[];

  constructor(built: { state: Record<string, unknown>; owned: Widget[] }, localKeys: readonly string[] = []) {
    super(built.state, localKeys);
    this.owned = built.owned;
  }

  /** The widget's layout model (`widget.layout.set({ width: "300px" })`). */
  get layout(): Layout {
    return this.state.layout as Layout;
  }

  /** Shows the widget as a new output of the current cell (nothing outside a kernel). */
  show(): void {
    display(this);
  }

  protected override ownedChildren(): Widget[] {
    return this.owned;
  }
}

export interface DOMWidget {
  /** The widget-view bundle while the widget is live, its text form always. */
  [jupyterDisplaySymbol](): MimeBundle;
}

DOMWidget.prototype[jupyterDisplaySymbol] = function (this: DOMWidget): MimeBundle {
  const bundle: MimeBundle = { "text/plain": this.toString() };
  if (this.live) bundle[widgetViewMimeType] = { model_id: this.modelId, version_major: 2, version_minor: 1 };
  return bundle;
};
