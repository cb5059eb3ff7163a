/**
 * The comm protocol of the nnlab kernel as a widget manager sees it: a real kernel started by
 * DirectKernelClient (cells), plus a second connection (frontend.ts) that plays the front end:
 * it reads every iopub message with its buffers and sends comm messages on the shell socket.
 * Needs `npm run build` (cli/dist/tslab/kernel.js and kernel-lib/dist).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectKernelClient } from "../../cli/src/kernel/direct";
import type { ExecuteResult } from "../../cli/src/kernel/client";
import { kernelEntryBuilt, repoRoot, resultData } from "../kernel/protocol-cases";
import { FrontEnd, type WireMessage } from "./frontend";

const cwd = join(repoRoot, "test", ".tmp", "widgets-protocol");
const viewMime = "application/vnd.jupyter.widget-view+json";

function show(r: ExecuteResult): string {
  return JSON.stringify(r, null, 1).slice(0, 2000);
}

function state(m: WireMessage): Record<string, unknown> {
  return ((m.content.data as { state?: Record<string, unknown> }).state ?? {}) as Record<string, unknown>;
}

/** Outputs text of an Output widget's `outputs` state. */
function outputsText(outputs: unknown): string {
  return (outputs as { output_type: string; text?: string }[]).map((o) => (o.output_type === "stream" ? o.text : `[${o.output_type}]`)).join("");
}

describe.skipIf(!kernelEntryBuilt)("widget comms in the nnlab kernel", () => {
  let client: DirectKernelClient;
  let fe: FrontEnd;
  const run = async (code: string): Promise<ExecuteResult> => {
    const r = await client.execute(code);
    expect(r.status, show(r)).toBe("ok");
    // The front end's own iopub subscription can lag behind the client's under load: a request
    // of its own, answered after the cell, marks the point up to which it has seen everything.
    await idleFor(fe.send("comm_info_request", {}));
    return r;
  };
  /** The comm_open (from a cell) of the model named `model`, the last one when several. */
  const opened = (model: string, pred: (s: Record<string, unknown>) => boolean = () => true): WireMessage => {
    const all = fe.messages.filter(
      (m) => m.channel === "iopub" && m.header.msg_type === "comm_open" && state(m)._model_name === model && pred(state(m)),
    );
    expect(all.length, `a comm_open for ${model}`).toBeGreaterThan(0);
    return all[all.length - 1]!;
  };
  const idleFor = (msgId: string): Promise<WireMessage> =>
    fe.waitFor(
      (m) => m.channel === "iopub" && m.header.msg_type === "status" && m.content.execution_state === "idle" && m.parent_header.msg_id === msgId,
    );

  beforeAll(async () => {
    mkdirSync(cwd, { recursive: true });
    client = new DirectKernelClient({ cwd });
    await client.start();
    fe = await FrontEnd.attach(client);
    await run(`import { widgets, plot } from "nnlab";`);
  });
  afterAll(async () => {
    fe?.close();
    await client?.shutdown();
  });

  it("a FloatSlider's comm_open names its model, view and modules; its view bundle names the model", async () => {
    const r = await run(`const lr = new widgets.FloatSlider({ value: 0.5, min: 0, max: 1, step: 0.1, description: "lr" });\nlr`);
    const open = opened("FloatSliderModel", (s) => s.description === "lr");
    expect(open.content.target_name).toBe("jupyter.widget");
    expect(open.metadata).toEqual({ version: "2.1.0" });
    expect(open.parent_header.msg_type).toBe("execute_request");
    const s = state(open);
    expect(s).toMatchObject({
      _model_name: "FloatSliderModel",
      _model_module: "@jupyter-widgets/controls",
      _model_module_version: "2.0.0",
      _view_name: "FloatSliderView",
      _view_module: "@jupyter-widgets/controls",
      _view_module_version: "2.0.0",
      value: 0.5,
      min: 0,
      max: 1,
      step: 0.1,
      description: "lr",
      readout_format: ".2f",
      continuous_update: true,
    });
    // Layout and style are models of their own, opened first, referenced as IPY_MODEL_<id>.
    const layoutId = String(s.layout).replace(/^IPY_MODEL_/, "");
    const styleId = String(s.style).replace(/^IPY_MODEL_/, "");
    const layout = fe.messages.find((m) => m.header.msg_type === "comm_open" && m.content.comm_id === layoutId)!;
    const style = fe.messages.find((m) => m.header.msg_type === "comm_open" && m.content.comm_id === styleId)!;
    expect(state(layout)).toMatchObject({
      _model_name: "LayoutModel",
      _model_module: "@jupyter-widgets/base",
      _model_module_version: "2.0.0",
      _view_name: "LayoutView",
    });
    expect(state(style)).toMatchObject({
      _model_name: "SliderStyleModel",
      _model_module: "@jupyter-widgets/controls",
      _view_name: "StyleView",
      _view_module: "@jupyter-widgets/base",
    });
    expect(fe.messages.indexOf(layout)).toBeLessThan(fe.messages.indexOf(open));
    expect(resultData(r)?.[viewMime]).toEqual({ model_id: open.content.comm_id, version_major: 2, version_minor: 1 });
    expect(resultData(r)?.["text/plain"]).toMatch(/^FloatSlider\(value=0\.5/);
  });

  it("a comm_msg update from the front end reaches .observe (value first), wrapped in busy/idle; a clamped value is sent back", async () => {
    await run(`const seen: [number, number][] = [];\nlr.observe((v, change) => { seen.push([v, change.old]); });`);
    const id = String(opened("FloatSliderModel", (s) => s.description === "lr").content.comm_id);
    const msgId = fe.commMsg(id, { method: "update", state: { value: 0.7 }, buffer_paths: [] });
    await idleFor(msgId);
    expect(fe.messages.some((m) => m.header.msg_type === "status" && m.content.execution_state === "busy" && m.parent_header.msg_id === msgId)).toBe(
      true,
    );
    const echo = fe.messages.find((m) => m.header.msg_type === "comm_msg" && m.parent_header.msg_id === msgId);
    expect(echo?.content.data).toEqual({ method: "echo_update", state: { value: 0.7 }, buffer_paths: [] });
    expect(resultData(await run(`[seen, lr.value]`))?.["text/plain"]).toBe("[ [ [ 0.7, 0.5 ] ], 0.7 ]");
    // Out of range: clamped to max, and the front end told so, with the comm_msg as parent.
    const tooBig = fe.commMsg(id, { method: "update", state: { value: 5 }, buffer_paths: [] });
    const back = await fe.waitFor((m) => m.header.msg_type === "comm_msg" && m.parent_header.msg_id === tooBig);
    expect(back.content).toEqual({ comm_id: id, data: { method: "update", state: { value: 1 }, buffer_paths: [] } });
    expect(resultData(await run(`lr.value`))?.["text/plain"]).toBe("1");
  });

  it("a slider moved while a cell awaits (a training loop) is seen by that cell before it ends", async () => {
    await run(`const during: number[] = [];\nlr.observe((v) => during.push(v));`);
    const id = String(opened("FloatSliderModel", (s) => s.description === "lr").content.comm_id);
    let sentAt = -1;
    const r = await client.execute(
      `let steps = 0;\nwhile (during.length === 0 && steps < 400) { steps++; await new Promise((r) => setTimeout(r, 10)); }\n[during, steps < 400]`,
      {
        onStart: () => {
          sentAt = Date.now();
          fe.commMsg(id, { method: "update", state: { value: 0.3 }, buffer_paths: [] });
        },
      },
    );
    expect(r.status, show(r)).toBe("ok");
    expect(sentAt).toBeGreaterThan(0);
    expect(resultData(r)?.["text/plain"]).toBe("[ [ 0.3 ], true ]");
  });

  it("a learning-rate slider moved during one fit() call changes the lr of that training run", async () => {
    await run(
      [
        `import { Linear, SGD, fit, randn, tensor, seed } from "nnlab";`,
        `seed(0);`,
        `const model = new Linear(2, 1);`,
        `const opt = new SGD(model.parameters(), { lr: 0.001 });`,
        `const lrSlider = new widgets.FloatLogSlider({ value: 0.001, min: -4, max: 0, description: "train lr" });`,
        `lrSlider.observe((v) => { opt.paramGroups[0]!.lr = v; });`,
        `const xs = randn([512, 2]);`,
        `const ys = xs.matmul(tensor([[1], [-2]]));`,
      ].join("\n"),
    );
    const id = String(opened("FloatLogSliderModel", (s) => s.description === "train lr").content.comm_id);
    // fit pauses for the event loop every 100 ms in a kernel; the callback ends training a few
    // epochs after it saw the new lr (or after 20000, which would fail the test).
    const r = await client.execute(
      [
        `const lrs: number[] = [];`,
        `let after = 0;`,
        `const h = await fit(model, { train: [xs, ys], loss: "mse", optimizer: opt, epochs: 20000, batchSize: 64, progress: false, callbacks: [{`,
        `  onEpochEnd: (_e, _logs, ctx) => {`,
        `    const lr = opt.paramGroups[0]!.lr as number;`,
        `    lrs.push(lr);`,
        `    if (lr !== 0.001 && ++after >= 3) ctx.stopTraining = true;`,
        `  },`,
        `}] });`,
        `[lrs[0], lrs[lrs.length - 1], h.stoppedEarly]`,
      ].join("\n"),
      { onStart: () => void setTimeout(() => fe.commMsg(id, { method: "update", state: { value: 0.1 }, buffer_paths: [] }), 150) },
    );
    expect(r.status, show(r)).toBe("ok");
    expect(resultData(r)?.["text/plain"]).toBe("[ 0.001, 0.1, true ]");
  });

  it("the kernel's own changes go to the front end as updates", async () => {
    await run(`lr.value = 0.2; lr.max = 2;`);
    const id = String(opened("FloatSliderModel", (s) => s.description === "lr").content.comm_id);
    const updates = fe.commMessages(id, "comm_msg").map((m) => (m.content.data as { state: Record<string, unknown> }).state);
    expect(updates).toContainEqual({ value: 0.2 });
    expect(updates).toContainEqual({ max: 2, value: 0.2 });
  });

  it("a Button click (custom message) calls onClick; request_state gets the whole state", async () => {
    await run(
      `const clicks: string[] = [];\nconst b = new widgets.Button({ description: "go" });\nb.onClick((btn) => clicks.push(btn.description));`,
    );
    const id = String(opened("ButtonModel").content.comm_id);
    await idleFor(fe.commMsg(id, { method: "custom", content: { event: "click" } }));
    expect(resultData(await run(`clicks`))?.["text/plain"]).toBe("[ 'go' ]");
    const ask = fe.commMsg(id, { method: "request_state" });
    const reply = await fe.waitFor((m) => m.header.msg_type === "comm_msg" && m.parent_header.msg_id === ask);
    expect(reply.content.data as { method: string; state: Record<string, unknown> }).toMatchObject({
      method: "update",
      state: { _model_name: "ButtonModel", description: "go" },
    });
  });

  it("comm_close from the front end frees the widget; close() in the kernel sends comm_close; comm_info lists only open comms", async () => {
    await run(`const a = new widgets.IntSlider({ description: "a" });\nconst c = new widgets.Checkbox({ description: "c" });`);
    const aId = String(opened("IntSliderModel", (s) => s.description === "a").content.comm_id);
    const cId = String(opened("CheckboxModel", (s) => s.description === "c").content.comm_id);
    const infoBefore = fe.send("comm_info_request", { target_name: "jupyter.widget" });
    const before = await fe.waitFor((m) => m.channel === "shell" && m.parent_header.msg_id === infoBefore);
    expect(before.header.msg_type).toBe("comm_info_reply");
    expect(Object.keys(before.content.comms as object)).toEqual(expect.arrayContaining([aId, cId]));
    expect((before.content.comms as Record<string, unknown>)[aId]).toEqual({ target_name: "jupyter.widget" });

    await idleFor(fe.send("comm_close", { comm_id: aId, data: {} }));
    await run(`c.close();`);
    const closeMsg = await fe.waitFor((m) => m.header.msg_type === "comm_close" && m.content.comm_id === cId);
    expect(closeMsg.parent_header.msg_type).toBe("execute_request");
    const infoAfter = fe.send("comm_info_request", { target_name: "jupyter.widget" });
    const after = await fe.waitFor((m) => m.channel === "shell" && m.parent_header.msg_id === infoAfter);
    expect(Object.keys(after.content.comms as object)).not.toContain(aId);
    expect(Object.keys(after.content.comms as object)).not.toContain(cId);
    expect(Object.keys(after.content.comms as object)).toContain(String(opened("FloatSliderModel", (s) => s.description === "lr").content.comm_id));
    expect(resultData(await run(`[a.closed, c.closed, widgets.openWidgets.has(a.modelId), lr.closed]`))?.["text/plain"]).toBe(
      "[ true, true, false, false ]",
    );
  });

  it("buffers round-trip both ways; a comm_open for an unknown target is closed again", async () => {
    await run(
      [
        `const bridge = (globalThis as any)[Symbol.for("nnlab.comm")] as widgets.CommBridge;`,
        `bridge.registerTarget("nnlab.test.echo", (comm, data, buffers) => {`,
        `  comm.onMessage = (d, bufs) => comm.send({ got: d, sizes: bufs.map((b) => b.length) }, bufs.map((b) => Buffer.from(b).reverse()));`,
        `});`,
        `const sent = bridge.open("nnlab.test.data", { kind: "f64" }, { buffers: [new Float64Array([1.5, -2, 3])] });`,
      ].join("\n"),
    );
    const out = fe.messages.find((m) => m.header.msg_type === "comm_open" && m.content.target_name === "nnlab.test.data")!;
    expect(out.buffers.length).toBe(1);
    const f = out.buffers[0]!;
    expect(Array.from(new Float64Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength)))).toEqual([1.5, -2, 3]);

    fe.send("comm_open", { comm_id: "echo-1", target_name: "nnlab.test.echo", data: {} });
    const msgId = fe.commMsg("echo-1", { hello: 1 }, [Buffer.from([1, 2, 3]), Buffer.from("abcd")]);
    const reply = await fe.waitFor((m) => m.header.msg_type === "comm_msg" && m.parent_header.msg_id === msgId);
    expect(reply.content.data).toEqual({ got: { hello: 1 }, sizes: [3, 4] });
    expect(reply.buffers.map((b) => [...b])).toEqual([[3, 2, 1], [..."dcba"].map((c) => c.charCodeAt(0))]);

    const unknown = fe.send("comm_open", { comm_id: "nobody-1", target_name: "nnlab.test.nobody", data: {} });
    const closed = await fe.waitFor((m) => m.header.msg_type === "comm_close" && m.content.comm_id === "nobody-1");
    expect(closed.parent_header.msg_id).toBe(unknown);
  });

  it("the kernel's TypeScript (tslab's 5.0) types widget values: Dropdown pairs, interact's arguments", async () => {
    const ok = await client.execute(
      [
        `const dd = new widgets.Dropdown({ options: [["one", 1], ["two", 2]] });`,
        `const n: number = dd.value;`,
        `const ia2 = widgets.interactive(({ eta, opt, flag }) => {`,
        `  const x: number = eta; const o: string = opt; const f: boolean = flag; return [x, o, f];`,
        `},`,
        `  { eta: [0, 1, 0.1], opt: ["SGD", "Adam"], flag: true });`,
        `n`,
      ].join("\n"),
    );
    expect(ok.status, show(ok)).toBe("ok");
    const bad = await client.execute(`const s: string = dd.value;`);
    expect(bad.status).toBe("error");
    expect(bad.ename).toBe("TypeScriptError");
    expect(bad.evalue).toMatch(/Type 'number' is not assignable to type 'string'/);
  });

  it("binary widget state travels as buffers named by buffer_paths, both ways", async () => {
    await run(
      [
        `const raw = new widgets.Widget({ _model_name: "RawModel", _model_module: "nnlab-test", _model_module_version: "1.0.0",`,
        `  _view_name: null, _view_module: "nnlab-test", _view_module_version: "1.0.0", _view_count: null, data: new Float32Array([1.5, 2.5]) });`,
        `const rawSeen: number[][] = [];`,
        `raw.observe((v: Uint8Array) => rawSeen.push(Array.from(v)), "data");`,
      ].join("\n"),
    );
    const open = opened("RawModel");
    expect((open.content.data as { buffer_paths: unknown }).buffer_paths).toEqual([["data"]]);
    expect("data" in state(open)).toBe(false);
    const b = open.buffers[0]!;
    expect(Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)))).toEqual([1.5, 2.5]);
    const id = String(open.content.comm_id);
    await idleFor(fe.commMsg(id, { method: "update", state: {}, buffer_paths: [["data"]] }, [Buffer.from([7, 8, 9])]));
    expect(resultData(await run(`[rawSeen, raw.get("data") instanceof Uint8Array]`))?.["text/plain"]).toBe("[ [ [ 7, 8, 9 ] ], true ]");
  });

  it("jupyter.widget.control answers request_states with every open widget", async () => {
    fe.send("comm_open", { comm_id: "control-1", target_name: "jupyter.widget.control", data: {} }, [], { version: "2.1.0" });
    const ask = fe.commMsg("control-1", { method: "request_states" });
    const reply = await fe.waitFor((m) => m.header.msg_type === "comm_msg" && m.parent_header.msg_id === ask);
    const data = reply.content.data as {
      method: string;
      states: Record<string, { model_name: string; model_module: string; state: Record<string, unknown> }>;
      buffer_paths: unknown[];
    };
    expect(data.method).toBe("update_states");
    const lrId = String(opened("FloatSliderModel", (s) => s.description === "lr").content.comm_id);
    expect(data.states[lrId]).toMatchObject({
      model_name: "FloatSliderModel",
      model_module: "@jupyter-widgets/controls",
      model_module_version: "2.0.0",
      state: { value: 0.2, max: 2 },
    });
    expect(Object.values(data.states).some((s) => s.model_name === "IntSliderModel" && s.state.description === "a")).toBe(false);
  });

  it("interact shows controls and an Output, and re-runs into the Output (parented to the comm_msg) on every change", async () => {
    const r = await run(
      [
        `const runs: number[] = [];`,
        `const ia = widgets.interact(({ rate, opt }) => { runs.push(rate); console.log("rate=" + rate + " " + opt); },`,
        `  { rate: [0, 1, 0.1], opt: ["SGD", "Adam"] }, { debounceMs: 20 });`,
      ].join("\n"),
    );
    const box = r.outputs.find((o) => o.output_type === "display_data" && viewMime in o.data);
    expect(box, show(r)).toBeDefined();
    const boxOpen = opened("VBoxModel");
    expect((box as unknown as { data: Record<string, { model_id: string }> }).data[viewMime]!.model_id).toBe(boxOpen.content.comm_id);
    const output = opened("OutputModel");
    const outId = String(output.content.comm_id);
    expect(state(output)).toMatchObject({ _model_module: "@jupyter-widgets/output", _model_module_version: "1.0.0", _view_name: "OutputView" });
    const rate = opened("FloatSliderModel", (s) => s.description === "rate");
    expect(state(boxOpen).children).toEqual([
      `IPY_MODEL_${rate.content.comm_id}`,
      `IPY_MODEL_${opened("DropdownModel").content.comm_id}`,
      `IPY_MODEL_${outId}`,
    ]);
    await fe.waitFor(
      (m) =>
        m.content.comm_id === outId && outputsText((m.content.data as { state?: { outputs?: unknown } }).state?.outputs ?? []) === "rate=0.5 SGD\n",
    );

    const move = fe.commMsg(String(rate.content.comm_id), { method: "update", state: { value: 0.8 }, buffer_paths: [] });
    const updated = await fe.waitFor(
      (m) =>
        m.content.comm_id === outId && outputsText((m.content.data as { state?: { outputs?: unknown } }).state?.outputs ?? []) === "rate=0.8 SGD\n",
    );
    expect(updated.parent_header.msg_id).toBe(move);
    const dd = String(opened("DropdownModel").content.comm_id);
    fe.commMsg(dd, { method: "update", state: { index: 1 }, buffer_paths: [] });
    await fe.waitFor(
      (m) =>
        m.content.comm_id === outId && outputsText((m.content.data as { state?: { outputs?: unknown } }).state?.outputs ?? []) === "rate=0.8 Adam\n",
    );
    expect(resultData(await run(`runs`))?.["text/plain"]).toBe("[ 0.5, 0.8, 0.8 ]");
  });

  it("interact(…) as a cell's last expression shows its box once; the box shown again later shows again", async () => {
    const views = (r: ExecuteResult): unknown[] => r.outputs.filter((o) => "data" in o && viewMime in (o.data as object));
    const first = await run(`const again = widgets.interact(({ k }) => k * 2, { k: [0, 4, 1] });\nwidgets.interact(({ k }) => k, { k: [0, 4, 1] })`);
    expect(views(first), show(first)).toHaveLength(2); // one box per call, none repeated as the execute_result
    expect(
      first.outputs.some((o) => o.output_type === "execute_result"),
      show(first),
    ).toBe(false);
    const later = await run("again");
    expect(views(later), show(later)).toHaveLength(1);
  });

  it("Figure.update after show() sends update_display_data for the display the show made", async () => {
    const r = await run(
      [
        `const fig = new plot.Figure({ data: [{ type: "scatter", y: [1, 2] }] });`,
        `fig.show();`,
        `fig.data = [{ type: "scatter", y: [5, 6] }];`,
        `fig.update({ title: "moved" });`,
      ].join("\n"),
    );
    const shown = fe.messages.filter((m) => m.header.msg_type === "display_data" && "application/vnd.plotly.v1+json" in (m.content.data as object));
    const id = (shown[shown.length - 1]!.content.transient as { display_id: string }).display_id;
    const upd = await fe.waitFor(
      (m) => m.header.msg_type === "update_display_data" && (m.content.transient as { display_id?: string }).display_id === id,
    );
    expect((upd.content.data as Record<string, { data: { y: number[] }[] }>)["application/vnd.plotly.v1+json"]!.data[0]!.y).toEqual([5, 6]);
    // The client applies the update to the output it collected: one figure, the new data.
    const figs = r.outputs.filter((o) => o.output_type === "display_data");
    expect(figs.length).toBe(1);
    expect((figs[0] as unknown as { data: Record<string, { data: { y: number[] }[] }> }).data["application/vnd.plotly.v1+json"]!.data[0]!.y).toEqual([
      5, 6,
    ]);
  });

  it("interact: changes during a slow async run supersede it (its later output never shows, no queue), figures land in the Output", async () => {
    await run(
      [
        `const starts: number[] = [];`,
        `const slow = widgets.interactive(async ({ n }, signal) => {`,
        `  starts.push(n); console.log("start " + n);`,
        `  await new Promise((r) => setTimeout(r, 400));`,
        `  console.log("end " + n + (signal.aborted ? " (aborted)" : ""));`,
        `  return new plot.Figure({ data: [{ type: "scatter", x: [0, 1], y: [n, n] }] });`,
        `}, { n: [0, 10, 1, 5] }, { debounceMs: 0 });`,
      ].join("\n"),
    );
    const nId = String(opened("IntSliderModel", (s) => s.description === "n").content.comm_id);
    const outId = String(opened("OutputModel").content.comm_id);
    await fe.waitFor(
      (m) => m.content.comm_id === outId && outputsText((m.content.data as { state?: { outputs?: unknown } }).state?.outputs ?? []) === "start 5\n",
    );
    for (const v of [1, 2, 3]) {
      fe.commMsg(nId, { method: "update", state: { value: v }, buffer_paths: [] });
      await new Promise((r) => setTimeout(r, 30));
    }
    const final = await fe.waitFor(
      (m) =>
        m.content.comm_id === outId &&
        outputsText((m.content.data as { state?: { outputs?: unknown } }).state?.outputs ?? []) === "start 3\nend 3\n[display_data]",
    );
    const outputs = (final.content.data as { state: { outputs: { output_type: string; data?: Record<string, unknown> }[] } }).state.outputs;
    expect(outputs.map((o) => o.output_type)).toEqual(["stream", "display_data"]);
    const fig = outputs[1]!.data!["application/vnd.plotly.v1+json"] as { data: { y: number[] }[] };
    expect(fig.data[0]!.y).toEqual([3, 3]);
    await run(`await slow.settled();`);
    // Run 5 was superseded; 1 and 2 never ran (only the latest pending change does).
    expect(resultData(await run(`starts`))?.["text/plain"]).toBe("[ 5, 3 ]");
    const texts = fe
      .commMessages(outId, "comm_msg")
      .map((m) => outputsText((m.content.data as { state?: { outputs?: unknown } }).state?.outputs ?? []));
    expect(texts.some((t) => t.includes("end 5"))).toBe(false);
  });
});
