/**
 * The widget state `nnlab run` saves: comm messages the kernel sends while cells run become the
 * notebook's `metadata.widgets` (nbformat's widget-state schema, version 2), as JupyterLab's
 * widget manager saves it. A real kernel's messages are checked in test/widgets/ (the kernel side).
 */
import { describe, expect, it } from "vitest";
import { OutputCollector } from "../../cli/src/kernel/collect";
import { executeInPlace, parseNotebook, savedWidgetState, WIDGET_STATE_MIME, type CommMessageType } from "../../cli/src/notebook";
import { FakeKernelClient } from "./fake-kernel";

const slider = {
  _model_name: "FloatSliderModel",
  _model_module: "@jupyter-widgets/controls",
  _model_module_version: "2.0.0",
  _view_name: "FloatSliderView",
  value: 0.1,
  min: 0.01,
  max: 1,
  step: 0.01,
  description: "lr",
};

function notebookOf(sources: string[], metadata: Record<string, unknown> = {}): ReturnType<typeof parseNotebook> {
  return parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata,
      cells: sources.map((s, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, source: s, outputs: [], execution_count: null })),
    }),
    "widgets.ipynb",
  );
}

describe("widget state of a headless run", () => {
  it("the output collector hands comm messages to onComm and keeps them out of the outputs", () => {
    const seen: string[] = [];
    const c = new OutputCollector({ onComm: (t, content) => seen.push(`${t} ${String(content.comm_id)}`) }, new Map());
    c.add("comm_open", { comm_id: "a", target_name: "jupyter.widget", data: { state: slider, buffer_paths: [] } });
    c.add("display_data", { data: { "text/plain": "x" }, metadata: {} });
    c.add("comm_msg", { comm_id: "a", data: { method: "update", state: { value: 0.5 } } });
    c.add("comm_close", { comm_id: "a", data: {} });
    expect(seen).toEqual(["comm_open a", "comm_msg a", "comm_close a"]);
    expect(c.outputs.map((o) => o.output_type)).toEqual(["display_data"]);
  });

  it("saves each open model's latest state; closed comms and other targets are left out", async () => {
    const nb = notebookOf(["const s = new FloatSlider(…)", "s.value = 0.5", "other comms"]);
    const client = new FakeKernelClient(() => ({}));
    // The scripted kernel sends, per cell, the comm traffic a real one would.
    const traffic: Record<string, [CommMessageType, Record<string, unknown>][]> = {
      "const s = new FloatSlider(…)": [
        ["comm_open", { comm_id: "s1", target_name: "jupyter.widget", data: { state: slider, buffer_paths: [] }, metadata: { version: "2.1.0" } }],
        ["comm_open", { comm_id: "gone", target_name: "jupyter.widget", data: { state: { ...slider, description: "freed" }, buffer_paths: [] } }],
      ],
      "s.value = 0.5": [
        ["comm_msg", { comm_id: "s1", data: { method: "update", state: { value: 0.5 }, buffer_paths: [] } }],
        ["comm_close", { comm_id: "gone", data: {} }],
      ],
      "other comms": [
        ["comm_open", { comm_id: "x", target_name: "nnlab.other", data: { state: slider } }],
        ["comm_msg", { comm_id: "s1", data: { method: "custom", content: { event: "click" } } }],
      ],
    };
    const run = client.execute.bind(client);
    client.execute = async (code, options) => {
      for (const [t, content] of traffic[code] ?? []) options?.onComm?.(t, content);
      return run(code, options);
    };
    await client.start();
    await executeInPlace(nb, client);
    const state = savedWidgetState(nb);
    expect(state).toEqual({
      version_major: 2,
      version_minor: 0,
      state: {
        s1: {
          model_name: "FloatSliderModel",
          model_module: "@jupyter-widgets/controls",
          model_module_version: "2.0.0",
          state: { ...slider, value: 0.5 },
        },
      },
    });
  });

  it("removes the state an earlier run left when this run opens no widget", async () => {
    const nb = notebookOf(["1 + 1"], { widgets: { [WIDGET_STATE_MIME]: { version_major: 2, version_minor: 0, state: { old: {} } } } });
    const client = new FakeKernelClient(() => ({}));
    await client.start();
    await executeInPlace(nb, client);
    expect(nb.metadata.widgets).toBeUndefined();
  });
});
