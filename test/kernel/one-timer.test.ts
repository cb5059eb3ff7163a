/**
 * shareOneTimer against a host with tslab's rules: one timer slot, a second setTimeout while one
 * waits throws "Unexpected pending rebuildTimer", clearing another timer throws, and the waiting
 * timer is fired by tslab itself (at the next cell).
 */
import { describe, expect, it } from "vitest";
import { shareOneTimer, type TimerHost } from "../../cli/src/tslab/one-timer";

function tslabLikeHost(): TimerHost & { fire(): void; pending(): boolean } {
  let rebuildTimer: { callback: () => void } | null = null;
  return {
    setTimeout: (callback) => {
      if (rebuildTimer) throw new Error("Unexpected pending rebuildTimer");
      rebuildTimer = {
        callback: () => {
          callback();
          rebuildTimer = null;
        },
      };
      return rebuildTimer;
    },
    clearTimeout: (id) => {
      if (rebuildTimer !== id) throw new Error("clearing unexpected tiemr");
      rebuildTimer = null;
    },
    fire: () => rebuildTimer?.callback(),
    pending: () => rebuildTimer !== null,
  };
}

describe("shareOneTimer (tslab's single timer slot)", () => {
  it("the bare host throws on a second timer: the failure this guards against", () => {
    const host = tslabLikeHost();
    host.setTimeout!(() => undefined, 250);
    expect(() => host.setTimeout!(() => undefined, 250)).toThrow("Unexpected pending rebuildTimer");
  });

  it("a second timer while one waits joins it; firing runs both, in order", () => {
    const host = tslabLikeHost();
    shareOneTimer(host);
    const ran: string[] = [];
    host.setTimeout!(() => ran.push("file event"), 250);
    host.setTimeout!((x) => ran.push(`cell ${String(x)}`), 0, 7);
    host.fire();
    expect(ran).toEqual(["file event", "cell 7"]);
    expect(host.pending()).toBe(false);
  });

  it("clearing one timer keeps the other; clearing the last frees the slot", () => {
    const host = tslabLikeHost();
    shareOneTimer(host);
    const ran: string[] = [];
    const a = host.setTimeout!(() => ran.push("a"), 250);
    const b = host.setTimeout!(() => ran.push("b"), 250);
    host.clearTimeout!(a);
    expect(host.pending()).toBe(true);
    host.fire();
    expect(ran).toEqual(["b"]);
    const c = host.setTimeout!(() => ran.push("c"), 250);
    host.clearTimeout!(c);
    expect(host.pending()).toBe(false);
    host.clearTimeout!(b); // already run: nothing happens, nothing throws
  });

  it("a timer asked for while the timers run waits for the next turn, then takes the slot", async () => {
    const host = tslabLikeHost();
    shareOneTimer(host);
    const ran: string[] = [];
    host.setTimeout!(() => {
      ran.push("first");
      host.setTimeout!(() => ran.push("scheduled by first"), 250);
    }, 250);
    host.fire();
    expect(ran).toEqual(["first"]);
    await Promise.resolve();
    expect(host.pending()).toBe(true);
    host.fire();
    expect(ran).toEqual(["first", "scheduled by first"]);
  });
});
