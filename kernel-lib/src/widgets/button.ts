/**
 * Button (@jupyter-widgets/controls 2.0 ButtonModel). A click arrives as a `custom` comm message
 * `{event: "click"}`; `onClick` (ipywidgets' `on_click`) registers what to do.
 */
import { domState, DOMWidget, type DOMWidgetOptions } from "./dom";
import type { StyleOptions } from "./layout";
import { controlsModule, controlsVersion, modelKeys } from "./widget";

export interface ButtonOptions extends DOMWidgetOptions {
  description?: string;
  disabled?: boolean;
  /** A Font Awesome icon name without the `fa-` prefix (`"play"`). */
  icon?: string;
  buttonStyle?: "" | "primary" | "success" | "info" | "warning" | "danger";
  style?: StyleOptions;
}

export class Button extends DOMWidget {
  private readonly clickHandlers = new Set<(button: Button) => void>();

  constructor(options?: ButtonOptions) {
    super(
      domState(
        "Button",
        {
          ...modelKeys("ButtonModel", controlsModule, controlsVersion, { name: "ButtonView", module: controlsModule, version: controlsVersion }),
          description: "",
          disabled: false,
          icon: "",
          button_style: "",
        },
        options,
        ["description", "disabled", "icon", "buttonStyle"],
        "ButtonStyleModel",
      ),
    );
  }

  get description(): string {
    return this.state.description as string;
  }

  set description(v: string) {
    this.set({ description: v });
  }

  /** Calls `fn(button)` on every click; returns a function that removes it. */
  onClick(fn: (button: Button) => void): () => void {
    if (typeof fn !== "function") throw new TypeError("Button.onClick: expected a function (button) => …");
    this.clickHandlers.add(fn);
    return () => this.clickHandlers.delete(fn);
  }

  /** What a click in the front end does (also callable from code). */
  click(): void {
    for (const fn of [...this.clickHandlers]) {
      try {
        fn(this);
      } catch (e) {
        console.error("Button.onClick handler threw:", e);
      }
    }
  }

  protected override onCustom(content: Record<string, unknown>): void {
    if (content.event === "click") this.click();
  }
}
