/**
 * ipywidgets' control models (sliders, boxes, dropdowns: `@jupyter-widgets/controls` 2.0.0) for
 * the widget manager. jupyterlab-manager's own plugin loads them with webpack's `require.ensure`,
 * which esbuild leaves as a call on its `require` shim: every slider failed with "Could not create
 * a model". This plugin registers the same module under the same id, loaded with `import()`
 * (a separate chunk, fetched on the first widget), and replaces the one from the package.
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IJupyterWidgetRegistry, WidgetModel, WidgetView, type ExportMap } from "@jupyter-widgets/base";
import { JUPYTER_CONTROLS_VERSION } from "@jupyter-widgets/controls/lib/version";

export const CONTROLS_PLUGIN_ID = `@jupyter-widgets/jupyterlab-manager:controls-${JUPYTER_CONTROLS_VERSION}`;

const isWidgetClass = (v: unknown): v is typeof WidgetModel | typeof WidgetView =>
  typeof v === "function" && (v.prototype instanceof WidgetModel || v.prototype instanceof WidgetView);

/** The module's model and view classes, by name (what the manager looks up). */
async function loadControls(): Promise<ExportMap> {
  const module: Record<string, unknown> = await import("@jupyter-widgets/controls");
  const classes: ExportMap = {};
  for (const [name, value] of Object.entries(module)) if (isWidgetClass(value)) classes[name] = value;
  return classes;
}

export const controlsPlugin: JupyterFrontEndPlugin<void> = {
  id: CONTROLS_PLUGIN_ID,
  description: "Registers @jupyter-widgets/controls, loaded on the first widget with import().",
  requires: [IJupyterWidgetRegistry],
  autoStart: true,
  activate: (_app, registry: IJupyterWidgetRegistry) => {
    registry.registerWidget({
      name: "@jupyter-widgets/controls",
      version: JUPYTER_CONTROLS_VERSION,
      exports: loadControls,
    });
  },
};
