/**
 * The kernel's history_request answers (cli/src/tslab/history.ts), IPython's semantics for one
 * session. jupyter_kernel_test checks the wire side; here the selection rules.
 */
import { describe, expect, it } from "vitest";
import { History, SESSION, globToRegExp } from "../../cli/src/tslab/history";

function filled(): History {
  const h = new History();
  ["let a = 1;", "a * 2", "print(a)", "a * 2", "let b = [1];"].forEach((code, i) => h.record(i + 1, code));
  h.setOutput(2, "2");
  h.setOutput(4, "2");
  return h;
}

describe("history", () => {
  it("tail gives the last n inputs, with outputs on request", () => {
    expect(filled().reply({ hist_access_type: "tail", n: 2 }).history).toEqual([
      [SESSION, 4, "a * 2"],
      [SESSION, 5, "let b = [1];"],
    ]);
    expect(filled().reply({ hist_access_type: "tail", n: 2, output: true }).history[0]).toEqual([SESSION, 4, ["a * 2", "2"]]);
  });

  it("range is start ≤ line < stop in this session (0 or its number), nothing for others", () => {
    expect(
      filled()
        .reply({ hist_access_type: "range", session: 0, start: 2, stop: 4 })
        .history.map((e) => e[1]),
    ).toEqual([2, 3]);
    expect(
      filled()
        .reply({ hist_access_type: "range", session: SESSION, start: 4 })
        .history.map((e) => e[1]),
    ).toEqual([4, 5]);
    expect(filled().reply({ hist_access_type: "range", session: SESSION + 1, start: 1 }).history).toEqual([]);
  });

  it("search is a whole-input glob; unique keeps the latest of each input; n the last n", () => {
    const h = filled();
    expect(h.reply({ hist_access_type: "search", pattern: "a * 2" }).history.map((e) => e[1])).toEqual([2, 4]);
    expect(h.reply({ hist_access_type: "search", pattern: "a * 2", unique: true }).history.map((e) => e[1])).toEqual([4]);
    expect(h.reply({ hist_access_type: "search", pattern: "*", n: 3 }).history.map((e) => e[1])).toEqual([3, 4, 5]);
    expect(h.reply({ hist_access_type: "search", pattern: "let ?*" }).history.map((e) => e[1])).toEqual([1, 5]);
  });

  it("glob: * and ? are wildcards, [..] a set, everything else literal", () => {
    expect(globToRegExp("a.b*").test("a.b(c)")).toBe(true);
    expect(globToRegExp("a.b*").test("aXb")).toBe(false);
    expect(globToRegExp("x[12]").test("x2")).toBe(true);
    expect(globToRegExp("x[12]").test("x3")).toBe(false);
    expect(globToRegExp("?").test("\n")).toBe(true);
  });
});
