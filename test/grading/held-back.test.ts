/**
 * Held-back data (cli/src/lessons/held-back.ts): inputs spelled into test cells at grading only,
 * labels kept in the grader, predictions judged there; and every lesson's held-back set stays
 * out of its release.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { heldBack } from "../../kernel-lib/src/grading";
import { HELD_BACK_FILE, injectHeldBack, judgeAccuracy, judgeLoss, readHeldBack } from "../../cli/src/lessons/held-back";
import { readExpected, withHeldBackLabels } from "../../cli/src/lessons/expected";
import { REPO } from "./helpers";

const set = { shape: [2, 3], scale: 0.5, base64: Buffer.from([0, 1, 2, 3, 4, 255]).toString("base64"), labels: [7, 3] };
const dir = mkdtempSync(join(tmpdir(), "nnlab-held-back-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, HELD_BACK_FILE), JSON.stringify({ tiny: set }));

describe("held-back data", () => {
  it("spells the inputs into heldBack(name) calls, never the labels; unknown names are an error naming the cell", () => {
    const hb = readHeldBack(dir);
    const src = `const h = heldBack("tiny");\nconst again = heldBack( "tiny" );\nreportValue("p", 1, predict(h));`;
    const out = injectHeldBack(src, hb, "L cell 9");
    expect(out.match(/heldBack\("tiny", \{"shape":\[2,3\],"scale":0.5,"base64":"AAECAwT\/"\}\)/g)?.length).toBe(2);
    expect(out).not.toMatch(/labels|\[7,3\]/);
    expect(() => injectHeldBack(`heldBack("other")`, hb, "L cell 9")).toThrow(
      /L cell 9: heldBack\("other"\) names no set in heldback.json \(has: tiny\)/,
    );
    expect(injectHeldBack(`const x = 1;`, hb, "L")).toBe(`const x = 1;`);
  });

  it("decodes in the kernel to the stored bytes times scale, and refuses outside grading", () => {
    const h = heldBack("tiny", { shape: set.shape, scale: set.scale, base64: set.base64 });
    expect(h.shape).toEqual([2, 3]);
    expect(Array.from(h.data)).toEqual([0, 0.5, 1, 1.5, 2, 127.5]);
    expect(() => heldBack("tiny")).toThrow(/reach the kernel only when the grader runs this test cell/);
  });

  it("judges predictions against the labels: accuracy over the threshold, one prediction per example", () => {
    expect(judgeAccuracy({ shape: [2], data: [7, 3] }, 0.95, [7, 3])).toEqual({
      passed: true,
      message: "accuracy 100.0 % on 2 held-back examples (needs ≥ 95.0 %)",
    });
    expect(judgeAccuracy([7, 1], 0.95, [7, 3]).passed).toBe(false);
    expect(judgeAccuracy([7, 1], 0.5, [7, 3]).passed).toBe(true);
    expect(judgeAccuracy([7], 0.5, [7, 3])).toEqual({
      passed: false,
      message: "report one predicted label per held-back example (2 numbers); got 1 numbers",
    });
    expect(judgeAccuracy({ shape: [2], data: ["NaN", 3] }, 0.5, [7, 3]).passed).toBe(false);
  });

  it("carries an offset for signed inputs: spelled into the call when the set has one, added after scaling in the kernel", () => {
    const signed = mkdtempSync(join(dir, "signed-"));
    writeFileSync(join(signed, HELD_BACK_FILE), JSON.stringify({ s: { ...set, offset: -1 } }));
    const out = injectHeldBack(`heldBack("s")`, readHeldBack(signed), "L");
    expect(out).toBe(`heldBack("s", {"shape":[2,3],"scale":0.5,"offset":-1,"base64":"AAECAwT/"})`);
    expect(Array.from(heldBack("s", { shape: [2, 3], scale: 0.5, offset: -1, base64: set.base64 }).data)).toEqual([-1, -0.5, 0, 0.5, 1, 126.5]);
    writeFileSync(join(signed, HELD_BACK_FILE), JSON.stringify({ s: { ...set, offset: "-1" } }));
    expect(() => readHeldBack(signed)).toThrow(/"s" needs \{shape: \[N, …\], scale, offset\?, base64, labels: \[N labels\]\}/);
  });

  it("judges a loss on held-back targets: mean squared error, binary cross-entropy of probabilities, one prediction per example", () => {
    expect(judgeLoss({ shape: [2], data: [1, 3] }, "mse", 0.5, [1, 2])).toEqual({
      passed: true,
      message: "mean squared error 0.500 on 2 held-back examples (needs ≤ 0.500)",
    });
    expect(judgeLoss([1, 3.1], "mse", 0.5, [1, 2]).passed).toBe(false);
    const bce = -(Math.log(0.9) + Math.log(0.8)) / 2;
    expect(judgeLoss([0.9, 0.2], "bce", bce + 1e-12, [1, 0]).passed).toBe(true);
    expect(judgeLoss([0.9, 0.2], "bce", bce - 1e-9, [1, 0]).passed).toBe(false);
    // A certain wrong answer costs log(e^100) = 100, as PyTorch's BCELoss clamps it, not Infinity.
    expect(judgeLoss([0, 1], "bce", 1000, [1, 0]).message).toMatch(/^binary cross-entropy 100 on 2/);
    expect(judgeLoss([1.5, 0], "bce", 10, [1, 0])).toEqual({
      passed: false,
      message: "report probabilities in [0, 1] (apply the sigmoid to the scores)",
    });
    expect(judgeLoss([0.5], "mse", 10, [1, 0]).message).toBe("report one prediction per held-back example (2 numbers); got 1 numbers");
    expect(judgeLoss({ shape: [2], data: ["NaN", 0] }, "mse", 10, [1, 0]).passed).toBe(false);
  });

  it("attaches labels to loss cases and refuses an unknown kind or a missing ceiling", () => {
    const ok = withHeldBackLabels({ l: { loss: { heldBack: "tiny", kind: "mse", atMost: 0.1 } } }, readHeldBack(dir), dir);
    expect(ok.l).toEqual({ loss: { heldBack: "tiny", kind: "mse", atMost: 0.1 }, labels: [7, 3] });
    const bad = { l: { loss: { heldBack: "tiny", kind: "mae", atMost: 0.1 } } } as unknown as Parameters<typeof withHeldBackLabels>[0];
    expect(() => withHeldBackLabels(bad, readHeldBack(dir), dir)).toThrow(
      /case "l" needs \{"loss": \{"heldBack", "kind": "mse" \| "bce", "atMost": <number>\}\}/,
    );
    expect(() => withHeldBackLabels({ l: { loss: { heldBack: "gone", kind: "bce", atMost: 1 } } }, readHeldBack(dir), dir)).toThrow(
      /held-back set "gone"/,
    );
  });

  it("rejects a file whose bytes or labels do not match its shape, and an accuracy case naming a missing set", () => {
    const bad = mkdtempSync(join(dir, "bad-"));
    writeFileSync(join(bad, HELD_BACK_FILE), JSON.stringify({ tiny: { ...set, labels: [1] } }));
    expect(() => readHeldBack(bad)).toThrow(/"tiny" has shape \[2,3\] \(6 values, 2 labels\) but 6 bytes and 1 labels/);
    const expected = { acc: { accuracy: { heldBack: "nope", atLeast: 0.9 } } };
    expect(() => withHeldBackLabels(expected, readHeldBack(dir), dir)).toThrow(
      /case "acc" is judged on held-back set "nope", which heldback.json does not have/,
    );
    expect(withHeldBackLabels({ acc: { accuracy: { heldBack: "tiny", atLeast: 0.9 } } }, readHeldBack(dir), dir).acc).toEqual({
      accuracy: { heldBack: "tiny", atLeast: 0.9 },
      labels: [7, 3],
    });
  });

  const withSets = readdirSync(join(REPO, "lessons")).filter((d) => existsSync(join(REPO, "lessons", d, HELD_BACK_FILE)));
  it.each(withSets)(
    "%s: its held-back inputs and labels appear in no released file, and every accuracy or loss case names one of its sets",
    (name) => {
      const lesson = join(REPO, "lessons", name);
      const hb = readHeldBack(lesson);
      expect(() => withHeldBackLabels(readExpected(lesson), hb, lesson)).not.toThrow();
      const releaseDir = join(lesson, "release");
      const released = readdirSync(releaseDir)
        .map((f) => readFileSync(join(releaseDir, f), "utf8"))
        .join("\n");
      for (const s of Object.values(hb)) {
        // Any 64-character stretch of the data would do; three spread over it.
        for (const at of [0, Math.floor(s.base64.length / 2), s.base64.length - 64]) expect(released).not.toContain(s.base64.slice(at, at + 64));
        expect(released).not.toContain(JSON.stringify(s.labels.slice(0, 20)).slice(1, -1));
      }
    },
  );
});
