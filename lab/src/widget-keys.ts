/**
 * Arrow keys on a focused widget control reach the control. JupyterLab binds ArrowLeft/ArrowRight
 * in a notebook's command mode to any focused element inside it (collapse or expand the heading)
 * and handles keydown while it captures, before the control: a slider's handle never saw its
 * arrow keys (measured: the event arrived at the document already defaultPrevented). Lumino skips
 * shortcuts for a target inside an element with `data-lm-suppress-shortcuts`; this plugin sets it
 * on the focused control for the one navigation key, ahead of JupyterLab's listener (window
 * capture runs before document capture), so every other shortcut (Ctrl+S, Shift+Enter) still works
 * from there.
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";

const CONTROLS = ".jupyter-widgets .noUi-handle, .jupyter-widgets select";
const SUPPRESS = "data-lm-suppress-shortcuts";
const NAVIGATION = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);

export const widgetKeysPlugin: JupyterFrontEndPlugin<void> = {
  id: "nnlab-lab:widget-keys",
  description: "Lets arrow keys reach focused widget controls (slider handles, dropdowns) instead of notebook shortcuts.",
  autoStart: true,
  activate: () => {
    window.addEventListener(
      "keydown",
      (event) => {
        const target = event.target;
        if (!(target instanceof Element) || !NAVIGATION.has(event.key) || !target.matches(CONTROLS)) return;
        target.setAttribute(SUPPRESS, "");
        setTimeout(() => target.removeAttribute(SUPPRESS));
      },
      true,
    );
  },
};
