import { afterEach, describe, expect, it } from "vitest";
import { LiveLossPlot, plotlyMimeType, trainingProgress } from "../../kernel-lib/src/plot/index";
import { installFakeTslab } from "./fake-tslab";
import { jsonProblems } from "./helpers";

let fake: ReturnType<typeof installFakeTslab> | undefined;
afterEach(() => {
  fake?.uninstall();
  fake = undefined;
});

/** A clock the test moves by hand, so throttling is exact and the test never sleeps. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe("LiveLossPlot outside a kernel", () => {
  it("prints nothing unless verbose", () => {
    const lines: string[] = [];
    const p = trainingProgress({ write: (l) => lines.push(l) });
    p.update({ epoch: 1, epochs: 2, loss: 1 });
    p.update({ epoch: 2, epochs: 2, loss: 0.5 });
    p.end();
    expect(lines).toEqual([]);
    expect(p.sends).toBe(0);
  });

  it("with verbose prints one line per epoch, whether updates come per step or per epoch", () => {
    const lines: string[] = [];
    const clock = manualClock();
    const p = new LiveLossPlot({ verbose: true, write: (l) => lines.push(l), clock: clock.now });
    for (let epoch = 1; epoch <= 3; epoch++) {
      for (let step = 1; step <= 4; step++) {
        clock.advance(100);
        p.update({ epoch, epochs: 3, step, steps: 4, loss: 1 / (epoch * step), samplesPerSec: 1234.4 });
      }
      p.update({ epoch, epochs: 3, loss: 1 / (epoch * 4), valLoss: 2 / epoch, metrics: { acc: 0.5 + epoch / 10 } });
    }
    p.end();
    expect(lines).toHaveLength(3);
    // The epoch summary's line, with the speed of the steps before it.
    expect(lines[0]).toBe("epoch 1/3 · loss 0.2500 · val_loss 2.0000 · acc 0.6000 · 1234 samples/s · 0.3 s");
    expect(lines[2]).toMatch(/^epoch 3\/3 · loss 0\.0833 · val_loss 0\.6667 · acc 0\.8000 · 1234 samples\/s/);
    // Per-step points at fractional epochs; the epoch summary replaced the last step's point.
    expect(p.loss.x).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3]);
    expect(p.valLoss.y).toEqual([2, 1, 2 / 3]);
  });

  it("verbose with per-step reports only prints an epoch when the next starts, and end() prints the last", () => {
    const lines: string[] = [];
    const p = new LiveLossPlot({ verbose: true, write: (l) => lines.push(l) });
    p.update({ epoch: 1, epochs: 2, step: 1, loss: 1 });
    p.update({ epoch: 2, epochs: 2, step: 1, loss: 0.5 });
    expect(lines.map((l) => l.slice(0, 11))).toEqual(["epoch 1/2 s"]);
    p.end();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("loss 0.5000");
  });
});

describe("LiveLossPlot figure", () => {
  it("plots at most 1000 points of a long per-step run, ending on the latest", () => {
    const p = new LiveLossPlot();
    for (let step = 1; step <= 5000; step++) p.update({ epoch: 1, epochs: 1, step, steps: 5000, loss: 1 / step });
    const json = p.figure().toJSON();
    const y = json.data[0]!.y as number[];
    expect(p.loss.y).toHaveLength(5000);
    expect(y.length).toBeLessThanOrEqual(1000);
    expect(y.length).toBeGreaterThan(500);
    expect(y[y.length - 1]).toBe(1 / 5000);
  });
});

describe("LiveLossPlot inside tslab (fake writer)", () => {
  it("uses one output, throttled to 250 ms, and end() always sends the final state", () => {
    fake = installFakeTslab();
    const clock = manualClock();
    const p = new LiveLossPlot({ clock: clock.now, title: "MLP" });
    for (let step = 1; step <= 20; step++) {
      p.update({ epoch: 1, epochs: 2, step, steps: 20, loss: 1 / step });
      clock.advance(50); // 20 updates over 1 s: at most 4-5 sends
    }
    p.update({ epoch: 1, epochs: 2, loss: 0.05, valLoss: 0.07, metrics: { acc: 0.9 } });
    p.end();
    const sent = fake.sent;
    // One live output from the first message on: no plotly.js output before it.
    const live = sent;
    expect(live.length).toBeGreaterThanOrEqual(3);
    expect(live.length).toBeLessThanOrEqual(7);
    expect(live.map((s) => s.update)).toEqual([false, ...live.slice(1).map(() => true)]);
    expect(new Set(live.map((s) => s.msg.transient.display_id)).size).toBe(1);
    for (const s of live) {
      expect(Object.keys(s.msg.data).sort()).toEqual([plotlyMimeType, "text/html", "text/plain"].sort());
      expect(String(s.msg.data["text/html"]).length).toBeLessThan(20_000);
      // The display id is also in the (saved) metadata, so the nbextension finds the output after a reload.
      expect(s.msg.metadata).toEqual({ nnlab: { display_id: s.msg.transient.display_id } });
      expect(jsonProblems(s.msg.data[plotlyMimeType])).toEqual([]);
    }
    const final = live[live.length - 1]!.msg.data;
    expect(final["text/plain"]).toMatch(/^epoch 1\/2 · loss 0\.0500 · val_loss 0\.0700 · acc 0\.9000 · 1\.0 s$/);
    expect(final["text/html"]).toContain("epoch 1/2 &#183; loss 0.0500");
    // The status is in the HTML line once, not repeated in the HTML plot title.
    expect((final["text/html"] as string).split("loss 0.0500").length).toBe(2);
    const fig = final[plotlyMimeType] as { data: Array<{ name: string; y: number[] }>; layout: { title: { text: string } } };
    expect(fig.data.map((t) => t.name)).toEqual(["loss", "val_loss"]);
    expect(fig.data[0]!.y).toHaveLength(20);
    expect(fig.layout.title.text).toMatch(/^MLP: epoch 1\/2/);
    expect(p.sends).toBe(live.length);
  });

  it("a throttled update is sent by a timer once the window ends", async () => {
    fake = installFakeTslab();
    const p = new LiveLossPlot({ throttleMs: 30, plot: false });
    p.update({ epoch: 1, epochs: 1, step: 1, steps: 2, loss: 1 });
    p.update({ epoch: 1, epochs: 1, step: 2, steps: 2, loss: 0.5 });
    expect(fake.sent).toHaveLength(1);
    // Poll rather than sleep a fixed 80 ms: a loaded machine may run the 30 ms timer late.
    for (let waited = 0; fake.sent.length < 2 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[1]!.msg.data["text/plain"]).toMatch(/loss 0\.5000/);
    expect(Object.keys(fake.sent[1]!.msg.data).sort()).toEqual(["text/html", "text/plain"]);
    p.end();
  });
});
