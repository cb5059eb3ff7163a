/** HBox and VBox (@jupyter-widgets/controls 2.0 HBoxModel, VBoxModel): widgets side by side or stacked. */
import { inspect } from "node:util";
import { domState, DOMWidget, type DOMWidgetOptions } from "./dom";
import { controlsModule, controlsVersion, modelKeys, type Origin } from "./widget";

export interface BoxOptions extends DOMWidgetOptions {
  children?: DOMWidget[];
  boxStyle?: "" | "success" | "info" | "warning" | "danger";
}

function checkChildren(cls: string, children: unknown): DOMWidget[] {
  if (!Array.isArray(children)) throw new TypeError(`${cls}: children must be an array of widgets, got ${inspect(children)}`);
  children.forEach((c: unknown, i) => {
    if (!(c instanceof DOMWidget)) throw new TypeError(`${cls}: children[${i}] is not a widget (${inspect(c, { depth: 0 })})`);
    if (c.closed) throw new Error(`${cls}: children[${i}] (${c.constructor.name}) is closed`);
  });
  return children as DOMWidget[];
}

abstract class Box extends DOMWidget {
  constructor(cls: string, model: string, viewName: string, children: DOMWidget[] | BoxOptions | undefined) {
    const options: BoxOptions = Array.isArray(children) ? { children } : (children ?? {});
    const built = domState(
      cls,
      {
        ...modelKeys(model, controlsModule, controlsVersion, { name: viewName, module: controlsModule, version: controlsVersion }),
        children: [],
        box_style: "",
      },
      options,
      ["children", "boxStyle"],
      null,
      (s) => {
        s.children = [...checkChildren(cls, s.children)];
      },
    );
    super(built);
  }

  get children(): readonly DOMWidget[] {
    return this.state.children as DOMWidget[];
  }

  set children(c: readonly DOMWidget[]) {
    this.set({ children: [...c] });
  }

  protected override coerce(name: string, value: unknown, origin: Origin): unknown {
    if (name === "children" && origin === "kernel") return [...checkChildren(this.constructor.name, value)];
    if (name === "children") return this.state.children; // the front end does not rearrange boxes
    return value;
  }
}

/** Widgets side by side: `new HBox([slider, label])`. */
export class HBox extends Box {
  constructor(children?: DOMWidget[] | BoxOptions) {
    super("HBox", "HBoxModel", "HBoxView", children);
  }
}

/** Widgets stacked: `new VBox([slider, output])`. */
export class VBox extends Box {
  constructor(children?: DOMWidget[] | BoxOptions) {
    super("VBox", "VBoxModel", "VBoxView", children);
  }
}
