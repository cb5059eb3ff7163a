import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { display, displayBundle, inKernel, jupyterDisplaySymbol, newDisplay, toMimeBundle } from "../../kernel-lib/src/display/index";
import { installFakeTslab } from "./fake-tslab";

let fake: ReturnType<typeof installFakeTslab> | undefined;
afterEach(() => {
  fake?.uninstall();
  fake = undefined;
});

describe("outside a kernel", () => {
  it("is detected as not in a kernel", () => {
    expect(inKernel()).toBe(false);
  });

  it("sends nothing without __tslab__ even when a tslab module is loaded (a CLI process)", () => {
    fake = installFakeTslab();
    delete (globalThis as { __tslab__?: unknown }).__tslab__;
    display("x");
    displayBundle({ "text/plain": "y" });
    newDisplay().update("z");
    expect(fake.sent).toEqual([]);
  });

  it("display and live updates do nothing and do not throw", () => {
    expect(() => display({ a: 1 })).not.toThrow();
    expect(() => displayBundle({ "text/plain": "x" })).not.toThrow();
    const live = newDisplay();
    expect(() => {
      live.update("one");
      live.update("two");
    }).not.toThrow();
  });
});

describe("the tslab public API as fallback (internal writer missing)", () => {
  it("sends the HTML through display.html, live outputs through one tslab display each", () => {
    const cache = createRequire(import.meta.url).cache;
    const key = "/y/node_modules/tslab/dist/public.js";
    const calls: string[] = [];
    const makeDisplay = (id: string) => ({
      html: (s: string) => calls.push(`${id} html ${s}`),
      text: (s: string) => calls.push(`${id} text ${s}`),
    });
    let n = 0;
    cache[key] = { exports: { display: makeDisplay("main"), newDisplay: () => makeDisplay(`live${++n}`) } } as unknown as NodeJS.Module;
    (globalThis as { __tslab__?: unknown }).__tslab__ = {};
    try {
      displayBundle({ "text/html": "<b>x</b>", "text/plain": "x", "application/json": {} });
      displayBundle({ "text/plain": "only text" });
      const live = newDisplay();
      live.update("a");
      live.update("b");
      expect(calls).toEqual(["main html <b>x</b>", "main text only text", "live1 text a", "live1 text b"]);
    } finally {
      delete cache[key];
      delete (globalThis as { __tslab__?: unknown }).__tslab__;
    }
  });
});

describe("bundles", () => {
  it("uses the object's Jupyter display method", () => {
    const obj = { [jupyterDisplaySymbol]: () => ({ "text/html": "<b>x</b>", "text/plain": "x" }) };
    expect(toMimeBundle(obj)).toEqual({ "text/html": "<b>x</b>", "text/plain": "x" });
  });

  it("shows strings as plain text and other values as util.inspect text", () => {
    expect(toMimeBundle("hello")).toEqual({ "text/plain": "hello" });
    expect(toMimeBundle({ a: 1, b: [1, 2] })).toEqual({ "text/plain": "{ a: 1, b: [ 1, 2 ] }" });
  });

  it("rejects a display method that returns no bundle, naming the method", () => {
    const bad = { [jupyterDisplaySymbol]: () => "nope" };
    expect(() => toMimeBundle(bad)).toThrow(/Jupyter\.display.*mime bundle/);
  });

  it("jupyterDisplaySymbol is the registry symbol other kernels look up", () => {
    expect(jupyterDisplaySymbol).toBe(Symbol.for("Jupyter.display"));
  });
});

describe("inside tslab (fake internal writer in require.cache)", () => {
  it("sends one display_data with every mime type and the metadata", () => {
    fake = installFakeTslab();
    expect(inKernel()).toBe(true);
    displayBundle(
      { "application/vnd.plotly.v1+json": { data: [], layout: {} }, "text/html": "<div></div>", "text/plain": "Figure" },
      { metadata: { "text/html": { isolated: false } } },
    );
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toEqual({
      msg: {
        data: { "application/vnd.plotly.v1+json": { data: [], layout: {} }, "text/html": "<div></div>", "text/plain": "Figure" },
        metadata: { "text/html": { isolated: false } },
        transient: {},
      },
      update: false,
    });
  });

  it("display(x) sends the object's bundle", () => {
    fake = installFakeTslab();
    display({ [jupyterDisplaySymbol]: () => ({ "text/markdown": "**x**", "text/plain": "x" }) });
    display("plain");
    expect(fake.sent.map((s) => s.msg.data)).toEqual([{ "text/markdown": "**x**", "text/plain": "x" }, { "text/plain": "plain" }]);
  });

  it("a live display creates once, then updates the same display_id", () => {
    fake = installFakeTslab();
    const live = newDisplay();
    live.update("epoch 1");
    live.update("epoch 2");
    live.updateBundle({ "text/html": "<b>epoch 3</b>", "text/plain": "epoch 3" });
    expect(fake.sent.map((s) => s.update)).toEqual([false, true, true]);
    const ids = new Set(fake.sent.map((s) => s.msg.transient.display_id));
    expect(ids).toEqual(new Set([live.id]));
    expect(live.id).toMatch(/^nnlab-\d+-[0-9a-z]+-\d+$/);
    expect(fake.sent[2]!.msg.data).toEqual({ "text/html": "<b>epoch 3</b>", "text/plain": "epoch 3" });
    expect(newDisplay().id).not.toBe(live.id);
  });

  it("refuses an update without a display id", () => {
    fake = installFakeTslab();
    expect(() => displayBundle({ "text/plain": "x" }, { update: true })).toThrow(/displayId/);
  });
});
