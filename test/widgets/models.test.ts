/**
 * Widget models without a kernel: as plain objects (no bridge: plain node, vitest) and against a
 * fake comm bridge that records what a front end would receive.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as widgets from "../../kernel-lib/src/widgets/index";
import { putBuffers, toWire } from "../../kernel-lib/src/widgets/serialize";
import { registerControlTarget } from "../../kernel-lib/src/widgets/control";
import { Figure } from "../../kernel-lib/src/plot/figure";
import { installFakeBridge, type FakeBridge } from "./fake-bridge";
import { installFakeTslab } from "../plot/fake-tslab";

describe("widgets outside a kernel (no comm)", () => {
  it("a FloatSlider keeps its value, clamps like ipywidgets and tells observers value first", () => {
    const s = new widgets.FloatSlider({ value: 5, min: 0, max: 1, step: 0.1, description: "lr" });
    expect(s.value).toBe(1); // clamped into [min, max]
    expect(s.live).toBe(false);
    const seen: [number, number, string][] = [];
    const stop = s.observe((v, change) => seen.push([v, change.old as number, change.name]));
    s.value = 0.25;
    s.value = -3;
    s.value = 0; // same as before: no change, no call
    stop();
    s.value = 0.5;
    expect(seen).toEqual([
      [0.25, 1, "value"],
      [0, 0.25, "value"],
    ]);
    // Raising min above the value moves the value with it.
    s.min = 0.75;
    expect(s.value).toBe(0.75);
    expect(String(s)).toBe("FloatSlider(value=0.75, min=0.75, max=1, step=0.1, description='lr')");
  });

  it("options are checked with errors that name the widget, the option and the fix", () => {
    expect(() => new widgets.FloatSlider({ vaule: 1 } as never)).toThrow(
      /FloatSlider: unknown option "vaule"; it takes value, min, max, step, description/,
    );
    expect(() => new widgets.FloatSlider({ min: 2, max: 1 })).toThrow("FloatSlider: min (2) must not be greater than max (1)");
    expect(() => new widgets.FloatSlider({ step: 0 })).toThrow("FloatSlider: step must be greater than 0, got 0");
    expect(() => new widgets.IntSlider({ value: 0.5 })).toThrow("IntSlider: value must be an integer, got 0.5 (use FloatSlider for fractions)");
    expect(() => new widgets.FloatSlider({ value: "1" as never })).toThrow("FloatSlider: value must be a number, got '1'");
    const s = new widgets.IntSlider({ min: 0, max: 10 });
    expect(() => (s.max = -1)).toThrow("IntSlider: max (-1) must not be less than min (0)");
    expect(() => s.observe(() => undefined, "vlaue")).toThrow(/IntSlider.observe: no state named "vlaue"/);
    expect(() => new widgets.Dropdown({ options: [] })).toThrow(/Dropdown: options must be a non-empty array/);
    expect(() => new widgets.Dropdown({ options: ["a"], value: "b" as never })).toThrow("Dropdown: value 'b' is not one of the options (a)");
    expect(() => new widgets.HBox([{} as never])).toThrow(/HBox: children\[0\] is not a widget/);
    expect(() => new widgets.FloatLogSlider({ value: -1 })).toThrow(/FloatLogSlider: value must be positive/);
  });

  it("FloatLogSlider bounds are exponents of base; IntSlider defaults are ipywidgets'", () => {
    const l = new widgets.FloatLogSlider({ value: 1e-7, min: -5, max: 0 });
    expect(l.value).toBeCloseTo(1e-5, 15);
    l.value = 10;
    expect(l.value).toBe(1);
    const i = new widgets.IntSlider();
    expect([i.value, i.min, i.max, i.step]).toEqual([0, 0, 100, 1]);
  });

  it("a start value between two of the slider's steps is said, with the value a front end will show", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      // Chapter 06 once had this: JupyterLab's slider read 3.16, not λ = 3 (Dive-into-DL-PyTorch's value, which the chapter takes).
      new widgets.FloatLogSlider({ value: 3, min: -3, max: 3, step: 0.25, description: "λ" });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(
        /^FloatLogSlider "λ": the value 3 is not on the slider's steps \(10\^\(-3 \+ k·0\.25\)\).*show 3\.16228\./,
      );
      new widgets.FloatSlider({ value: 0.31, min: 0.05, max: 0.8, step: 0.05 });
      expect(String(warn.mock.calls[1]![0])).toMatch(
        /^FloatSlider: the value 0\.31 .*show 0\.3\. Choose a value on the steps, or another min or step\.$/,
      );
      // On the steps (within rounding: (0.3 − 0.05) / 0.05 is not exactly 5 in doubles), or at a bound: nothing.
      new widgets.FloatLogSlider({ value: 3, base: 3, min: -6, max: 6, step: 0.5 });
      new widgets.FloatSlider({ value: 0.3, min: 0.05, max: 0.8, step: 0.05 });
      new widgets.FloatSlider({ value: 2, min: -6, max: 6, step: 0.1 });
      new widgets.FloatSlider({ value: 10, min: 0, max: 10, step: 3 });
      new widgets.IntSlider({ value: 3, min: 1, max: 10 });
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });

  it("Dropdown: labels and values, selection by value or index, observers get the value", () => {
    class Adam {}
    class SGD {}
    const d = new widgets.Dropdown({
      options: [
        ["SGD", SGD],
        ["Adam", Adam],
      ] as const,
      description: "optimizer",
    });
    expect(d.value).toBe(SGD);
    const seen: unknown[] = [];
    d.observe((v) => seen.push(v));
    d.index = 1;
    expect([d.value, d.label]).toEqual([Adam, "Adam"]);
    d.value = SGD;
    expect(seen).toEqual([Adam, SGD]);
    expect(() => (d.index = 2)).toThrow("Dropdown: index must be an integer in 0…1, got 2");
  });

  it("Checkbox, Label, Play, Button, boxes", () => {
    const c = new widgets.Checkbox({ value: true, description: "flag" });
    c.value = false;
    expect(c.value).toBe(false);
    expect(() => (c.value = 1 as never)).toThrow("Checkbox: value must be true or false, got 1");
    expect(new widgets.Label("hi").value).toBe("hi");
    const p = new widgets.Play({ value: 50, max: 10 });
    expect(p.value).toBe(10);
    const b = new widgets.Button({ description: "go" });
    const clicks: string[] = [];
    b.onClick((btn) => clicks.push(btn.description));
    b.click();
    expect(clicks).toEqual(["go"]);
    const box = new widgets.VBox([c, b]);
    expect(box.children).toEqual([c, b]);
    expect(String(box)).toBe("VBox(children=[Checkbox, Button])");
  });

  it("an observer that throws does not stop the others", () => {
    const s = new widgets.IntSlider();
    const seen: number[] = [];
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      s.observe(() => {
        throw new Error("boom");
      });
      s.observe((v) => seen.push(v));
      s.value = 4;
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([4]);
    expect(errors.length).toBe(1);
  });

  it("Output collects outputs as a notebook would: streams merge, clear(wait) waits, an update replaces its display", () => {
    const o = new widgets.Output();
    o.write("stream", { name: "stdout", text: "a" });
    o.write("stream", { name: "stdout", text: "b\n" });
    o.write("display_data", { data: { "text/plain": "fig 1" }, metadata: {}, transient: { display_id: "d1" } });
    expect(o.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "display_data", data: { "text/plain": "fig 1" }, metadata: {} },
    ]);
    expect(o.write("update_display_data", { data: { "text/plain": "fig 2" }, metadata: {}, transient: { display_id: "elsewhere" } })).toBe(false);
    o.clear(true);
    expect(o.outputs.length).toBe(2);
    // A re-run that only redraws its figure: the figure stays (updated), the rest goes.
    expect(o.write("update_display_data", { data: { "text/plain": "fig 2" }, metadata: {}, transient: { display_id: "d1" } })).toBe(true);
    expect(o.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "fig 2" }, metadata: {} }]);
    o.clear(true);
    o.write("stream", { name: "stderr", text: "x" });
    expect(o.outputs).toEqual([{ output_type: "stream", name: "stderr", text: "x" }]);
  });
});

describe("interact outside a kernel", () => {
  it("builds a control per argument as ipywidgets does", () => {
    expect(widgets.widgetFor("n", [1, 10])).toBeInstanceOf(widgets.IntSlider);
    expect((widgets.widgetFor("n", [1, 10]) as widgets.IntSlider).value).toBe(5);
    const f = widgets.widgetFor("lr", [0, 1, 0.1]) as widgets.FloatSlider;
    expect([f.constructor.name, f.value, f.step, f.description]).toEqual(["FloatSlider", 0.5, 0.1, "lr"]);
    expect((widgets.widgetFor("lr", [0, 1, 0.01, 0.1]) as widgets.FloatSlider).value).toBe(0.1);
    const around = widgets.widgetFor("k", 10) as widgets.IntSlider;
    expect([around.min, around.max, around.value]).toEqual([-10, 30, 10]);
    expect(widgets.widgetFor("opt", ["SGD", "Adam"])).toBeInstanceOf(widgets.Dropdown);
    expect(widgets.widgetFor("flag", true)).toBeInstanceOf(widgets.Checkbox);
    const own = new widgets.FloatLogSlider({ value: 0.01, min: -4, max: 0 });
    expect(widgets.widgetFor("lr", own)).toBe(own);
    expect(() => widgets.widgetFor("x", "text")).toThrow(/interact: cannot make a control for "x" from 'text'; use \[min, max\]/);
  });

  it("runs at once with the current values, then debounced after changes; return values and errors go to the Output", async () => {
    const runs: unknown[] = [];
    const box = widgets.interactive(
      ({ lr, opt, flag }) => {
        runs.push([lr, opt, flag]);
        if (lr > 0.85) throw new Error("too big");
        return `lr=${lr}`;
      },
      { lr: [0, 1, 0.1], opt: ["SGD", "Adam"], flag: false },
      { debounceMs: 30 },
    );
    expect(runs).toEqual([[0.5, "SGD", false]]);
    expect(box.output.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "lr=0.5" }, metadata: {} }]);
    box.controls.lr.value = 0.6;
    box.controls.lr.value = 0.7;
    (box.controls.flag as widgets.Checkbox).value = true;
    expect(runs.length).toBe(1); // debounced
    await box.settled();
    expect(runs).toEqual([
      [0.5, "SGD", false],
      [0.7, "SGD", true],
    ]);
    box.controls.lr.value = 0.9;
    await box.settled();
    expect(box.output.outputs).toMatchObject([{ output_type: "error", ename: "Error", evalue: "too big" }]);
  });

  it("a re-run's returned value replaces the previous one in place (a figure is redrawn, not added)", async () => {
    const box = widgets.interactive(({ k }) => new Figure({ data: [{ type: "scatter", y: [k, k] }] }), { k: [0, 4, 1, 2] }, { debounceMs: 0 });
    const first = box.output.outputs[0]!;
    box.controls.k.value = 3;
    await box.settled();
    expect(box.output.outputs.length).toBe(1);
    expect(box.output.outputs[0]).toBe(first);
    expect((first.data as Record<string, { data: { y: number[] }[] }>)["application/vnd.plotly.v1+json"]!.data[0]!.y).toEqual([3, 3]);
  });

  it("a change during an async run aborts it and runs the latest values once it returns: never a queue", async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const box = widgets.interactive(
      async ({ n }, signal) => {
        started.push(n);
        await new Promise((r) => setTimeout(r, 60));
        if (signal.aborted) aborted.push(n);
        return `done ${n}`;
      },
      { n: [0, 10, 1, 5] },
      { debounceMs: 0 },
    );
    for (const v of [1, 2, 3, 4]) {
      await new Promise((r) => setTimeout(r, 5));
      box.controls.n.value = v;
    }
    await box.settled();
    expect(started).toEqual([5, 4]);
    expect(aborted).toEqual([5]);
    expect(box.output.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "done 4" }, metadata: {} }]);
  });
  it("a run that starts from a pending change takes the debounce of that change with it: the same values never run twice", async () => {
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const box = widgets.interactive(
      async ({ n }) => {
        started.push(n);
        await new Promise<void>((r) => gates.push(r));
      },
      { n: [0, 10, 1, 5] },
      { debounceMs: 30 },
    );
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    box.controls.n.value = 1;
    await wait(60); // its debounce fired: the run for 5 is superseded, a run is pending
    box.controls.n.value = 4; // a new debounce starts…
    gates[0]!(); // …and before it fires, the run for 5 returns: the pending run starts, with 4
    await wait(0);
    expect(started).toEqual([5, 4]);
    await wait(60); // the debounce of the change to 4 would have fired by now
    // Let every run that started return, including any the debounce started again.
    for (let i = 1; i < gates.length; i++) {
      gates[i]!();
      await wait(0);
    }
    await box.settled();
    expect(started).toEqual([5, 4]);
  });
});

describe("widgets over a (fake) comm bridge", () => {
  let fake: FakeBridge;
  beforeEach(() => {
    fake = installFakeBridge();
  });
  afterEach(() => fake.uninstall());

  it("opens a comm per model (layout and style first) and shows as the widget-view bundle", () => {
    const s = new widgets.FloatSlider({ value: 0.5, max: 1, description: "lr", layout: { width: "300px" } });
    expect(s.live).toBe(true);
    const opens = fake.sent.filter((m) => m.type === "open");
    expect(opens.map((m) => (m.data as { state: Record<string, unknown> }).state._model_name)).toEqual([
      "LayoutModel",
      "SliderStyleModel",
      "FloatSliderModel",
    ]);
    expect(opens.every((m) => m.targetName === "jupyter.widget" && (m.metadata as { version?: string }).version === "2.1.0")).toBe(true);
    expect(fake.openState(opens[0]!.commId).width).toBe("300px");
    expect(fake.openState(s.modelId).layout).toBe(`IPY_MODEL_${opens[0]!.commId}`);
    const bundle = (s as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for("Jupyter.display")]!();
    expect(bundle["application/vnd.jupyter.widget-view+json"]).toEqual({ model_id: s.modelId, version_major: 2, version_minor: 1 });
    expect(bundle["text/plain"]).toBe("FloatSlider(value=0.5, min=0, max=1, step=0.1, description='lr')");
  });

  it("a rejected option opens no comm (no orphan layout or style in the front end)", () => {
    expect(() => new widgets.FloatSlider({ min: 1, max: 0 })).toThrow(/min \(1\) must not be greater than max \(0\)/);
    expect(() => new widgets.FloatLogSlider({ value: 0 })).toThrow(/value must be positive/);
    expect(() => new widgets.Play({ step: -1 })).toThrow(/step must be greater than 0/);
    expect(() => new widgets.Checkbox({ value: "yes" as never })).toThrow(/Checkbox: value must be true or false/);
    expect(() => new widgets.FloatSlider({ style: { colour: "red" } })).toThrow(/unknown option "colour"/);
    // Only the last one got as far as its layout (style options are checked by the style model):
    // that comm was closed again.
    const opened = fake.sent.filter((m) => m.type === "open").map((m) => m.commId);
    expect(opened.length).toBe(1);
    expect(fake.sent.filter((m) => m.type === "close").map((m) => m.commId)).toEqual(opened);
  });

  it("front-end updates reach observers; kernel changes are sent; a close frees it and its layout", () => {
    const s = new widgets.IntSlider({ max: 10 });
    const seen: number[] = [];
    s.observe((v) => seen.push(v));
    fake.fromFrontEnd(s.modelId, { method: "update", state: { value: 7 }, buffer_paths: [] });
    expect(seen).toEqual([7]);
    // An accepted value is echoed (protocol 2.1: other views follow); a clamped one is corrected.
    fake.fromFrontEnd(s.modelId, { method: "update", state: { value: 70 }, buffer_paths: [] });
    expect(fake.sent.filter((m) => m.type === "msg").map((m) => m.data)).toEqual([
      { method: "echo_update", state: { value: 7 }, buffer_paths: [] },
      { method: "update", state: { value: 10 }, buffer_paths: [] },
    ]);
    s.value = 2;
    expect(fake.sent[fake.sent.length - 1]!.data).toEqual({ method: "update", state: { value: 2 }, buffer_paths: [] });
    expect(widgets.openWidgets.has(s.modelId)).toBe(true);
    s.close();
    expect(widgets.openWidgets.has(s.modelId)).toBe(false);
    expect(fake.sent.filter((m) => m.type === "close").length).toBe(3); // slider, layout, style
    const t = new widgets.IntSlider();
    fake.closeFromFrontEnd(t.modelId);
    expect([t.closed, widgets.openWidgets.has(t.modelId)]).toEqual([true, false]);
  });

  it("the control comm answers request_states with every open widget", () => {
    // index.ts registered the target when the module loaded, before this fake existed.
    registerControlTarget();
    const s = new widgets.Checkbox({ description: "keep" });
    const gone = new widgets.Checkbox({ description: "gone" });
    gone.close();
    const handler = fake.targets.get("jupyter.widget.control")!;
    const sent: { data: Record<string, unknown> }[] = [];
    const comm = {
      commId: "ctl",
      targetName: "jupyter.widget.control",
      onMessage: null,
      onClose: null,
      send: (data: Record<string, unknown>) => sent.push({ data }),
      close: () => undefined,
    };
    handler(comm as never, {}, []);
    (comm as { onMessage: ((d: Record<string, unknown>, b: Uint8Array[]) => void) | null }).onMessage!({ method: "request_states" }, []);
    const reply = sent[0]!.data as { method: string; states: Record<string, { model_name: string; state: Record<string, unknown> }> };
    expect(reply.method).toBe("update_states");
    expect(reply.states[s.modelId]).toMatchObject({
      model_name: "CheckboxModel",
      model_module: "@jupyter-widgets/controls",
      state: { description: "keep" },
    });
    expect(reply.states[gone.modelId]).toBeUndefined();
  });

  it("binary state travels as buffers with buffer_paths, and comes back into place", () => {
    const wire = toWire({ a: 1, x: new Float32Array([1, 2]), nested: { y: new Uint8Array([3]), list: [new Uint8Array([4]), 5] } });
    expect(wire.state).toEqual({ a: 1, nested: { list: [null, 5] } });
    expect(wire.bufferPaths).toEqual([["x"], ["nested", "y"], ["nested", "list", 0]]);
    expect(wire.buffers.map((b) => (b as Uint8Array).byteLength)).toEqual([8, 1, 1]);
    const back: Record<string, unknown> = { ...wire.state, nested: { list: [null, 5] } };
    putBuffers(back, [["x"], ["nested", "list", 0]], [new Uint8Array([9]), new Uint8Array([8])]);
    expect(back).toEqual({ a: 1, x: new Uint8Array([9]), nested: { list: [new Uint8Array([8]), 5] } });
  });
});

describe("Figure.update redraws a shown figure in place", () => {
  it("show() sends a display with a display id; update() sends update_display_data for that id", () => {
    const tslab = installFakeTslab();
    try {
      const fig = new Figure({ data: [{ type: "scatter", y: [1, 2] }] });
      fig.update({ title: "before show" }); // not shown yet: nothing sent
      expect(tslab.sent).toEqual([]);
      fig.show();
      fig.data = [{ type: "scatter", y: [3, 4] }];
      fig.update({ title: "after" });
      expect(tslab.sent.map((s) => s.update)).toEqual([false, true]);
      const id = tslab.sent[0]!.msg.transient.display_id;
      expect(id).toBeTruthy();
      expect(tslab.sent[1]!.msg.transient.display_id).toBe(id);
      expect(tslab.sent[1]!.msg.metadata).toEqual({ nnlab: { display_id: id } });
      const json = tslab.sent[1]!.msg.data["application/vnd.plotly.v1+json"] as { data: { y: number[] }[]; layout: { title: { text: string } } };
      expect([json.data[0]!.y, json.layout.title.text]).toEqual([[3, 4], "after"]);
    } finally {
      tslab.uninstall();
    }
  });
});
