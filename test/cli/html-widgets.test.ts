/**
 * `nnlab run`'s pages draw widgets from the saved widget state: the controls at their saved
 * values (disabled) and an Output widget's outputs, figures included, so an interactive section
 * keeps a still picture without a kernel.
 */
import { describe, expect, it } from "vitest";
import { hasFigures, renderNotebookHtml } from "../../cli/src/html";
import { readout } from "../../cli/src/html/widgets";
import { parseNotebook, WIDGET_STATE_MIME, WIDGET_VIEW_MIME } from "../../cli/src/notebook";

const controls = { model_module: "@jupyter-widgets/controls", model_module_version: "2.0.0" };
const figure = { data: [{ type: "scatter", name: "SGD lr 0.3", x: [-5, -3.5], y: [-2, 0.4] }], layout: {} };

function notebook(withState: boolean): ReturnType<typeof parseNotebook> {
  const state = {
    box: { ...controls, model_name: "VBoxModel", state: { children: ["IPY_MODEL_row", "IPY_MODEL_out"] } },
    row: { ...controls, model_name: "HBoxModel", state: { children: ["IPY_MODEL_lr", "IPY_MODEL_opt", "IPY_MODEL_log"] } },
    lr: {
      ...controls,
      model_name: "FloatSliderModel",
      state: { value: 0.3, min: 0.01, max: 1, step: 0.01, description: "lr", readout_format: ".2f" },
    },
    log: {
      ...controls,
      model_name: "FloatLogSliderModel",
      state: { value: 0.001, min: -4, max: 0, step: 0.5, base: 10, description: "λ", readout_format: ".3e" },
    },
    opt: { ...controls, model_name: "DropdownModel", state: { _options_labels: ["SGD", "Adam"], index: 1, description: "optimizer" } },
    out: {
      model_name: "OutputModel",
      model_module: "@jupyter-widgets/output",
      model_module_version: "1.0.0",
      state: {
        outputs: [{ output_type: "display_data", data: { "application/vnd.plotly.v1+json": figure, "text/plain": "Figure: 1 trace" }, metadata: {} }],
      },
    },
  };
  return parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: withState ? { widgets: { [WIDGET_STATE_MIME]: { version_major: 2, version_minor: 0, state } } } : {},
      cells: [
        {
          cell_type: "code",
          id: "c",
          metadata: {},
          source: "interact(…)",
          execution_count: 1,
          outputs: [
            {
              output_type: "display_data",
              metadata: {},
              data: { [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 0, model_id: "box" }, "text/plain": "VBox(children=…)" },
            },
          ],
        },
      ],
    }),
    "w.ipynb",
  );
}

describe("widgets in nnlab run's pages", () => {
  it("draws the saved controls at their values and the Output widget's figure", () => {
    const nb = notebook(true);
    expect(hasFigures(nb)).toBe(true);
    const html = renderNotebookHtml(nb);
    expect(html).toContain('<input type="range" min="0.01" max="1" step="0.01" value="0.3" disabled><output>0.30</output>');
    // The log slider's thumb sits at the exponent, its readout shows the number.
    expect(html).toContain('value="-3" disabled><output>1.000e-3</output>');
    expect(html).toContain("<option selected>Adam</option>");
    expect(html).toContain("Plotly.newPlot(");
    expect(html).toContain('"name":"SGD lr 0.3"');
    expect(html).not.toContain("VBox(children=…)");
    // The slider row comes before the output, as in the box.
    expect(html.indexOf("widget-slider")).toBeLessThan(html.indexOf("Plotly.newPlot("));
  });

  it("falls back to the bundle's text without saved state", () => {
    const nb = notebook(false);
    expect(hasFigures(nb)).toBe(false);
    const html = renderNotebookHtml(nb);
    expect(html).toContain("VBox(children=…)");
    expect(html).not.toContain("widget-slider");
  });

  it("formats readouts the way ipywidgets' readout_format does", () => {
    expect(readout(0.1234, ".2f")).toBe("0.12");
    expect(readout(7, "d")).toBe("7");
    expect(readout(0.00042, ".1e")).toBe("4.2e-4");
    expect(readout(3, ".3g")).toBe("3.00");
    expect(readout("x", ".2f")).toBe("x");
  });
});
