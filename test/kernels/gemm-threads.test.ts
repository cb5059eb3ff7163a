import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { getNumThreads, setNumThreads } from "../../kernel-lib/src/index";
import { gemmWasm, setThreadMinWork, workerRectCount } from "../../kernel-lib/src/kernels/gemm-wasm";
import { splitProduct } from "../../kernel-lib/src/kernels/gemm-threads";
import type { GemmLayout } from "../../kernel-lib/src/kernels/gemm-part";
import { randomArray } from "./reference";

const initialThreads = getNumThreads();
afterAll(() => {
  setThreadMinWork(1 << 20, 1 << 22);
  setNumThreads(initialThreads);
});

function product(
  threads: number,
  ctor: Float32ArrayConstructor | Float64ArrayConstructor,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  accumulate: boolean,
): Float32Array | Float64Array {
  setNumThreads(threads);
  const seed = m * 7919 + n * 104729 + k * 13 + (transA ? 1 : 0) + (transB ? 2 : 0);
  const a = randomArray(ctor, 3 + m * k, seed),
    b = randomArray(ctor, 2 + k * n, seed + 1);
  const c = randomArray(ctor, 5 + m * n, seed + 2);
  gemmWasm(transA, transB, m, n, k, a, 3, b, 2, c, 5, accumulate);
  return c;
}

describe("matrix products split across worker threads", () => {
  // Rows split (m ≥ n) and columns split (n > m), edges that are not whole tiles, several k-blocks.
  const shapes: [number, number, number][] = [
    [130, 63, 300],
    [63, 130, 300],
    [64, 128, 784],
    [128, 784, 64],
    [5, 257, 513],
    [257, 5, 9],
    [33, 33, 33],
  ];

  it("give the single-threaded result bit for bit, and the worker really computes part of them", () => {
    setThreadMinWork(0);
    const before = workerRectCount();
    // The worker starts asynchronously: until it runs, the calling thread takes every rectangle
    // (the results must be the same either way), so repeat until it has taken some.
    const deadline = Date.now() + 20_000;
    let rounds = 0;
    do {
      for (const [ctor, name] of [
        [Float64Array, "float64"],
        [Float32Array, "float32"],
      ] as const) {
        for (const [m, n, k] of shapes) {
          for (const transA of [false, true])
            for (const transB of [false, true]) {
              const accumulate = (m + n + (transA ? 1 : 0)) % 2 === 0;
              const one = product(1, ctor, transA, transB, m, n, k, accumulate);
              const two = product(2, ctor, transA, transB, m, n, k, accumulate);
              const label = `${name} ${m}×${k}·${k}×${n} transA=${transA} transB=${transB} accumulate=${accumulate}`;
              let firstDiff = -1;
              for (let i = 0; i < one.length && firstDiff < 0; i++) if (!Object.is(one[i], two[i])) firstDiff = i;
              expect(firstDiff, `${label}: first element that differs`).toBe(-1);
            }
        }
      }
      rounds++;
    } while (workerRectCount() === before && Date.now() < deadline);
    expect(workerRectCount() - before, `rectangles multiplied by the worker after ${rounds} rounds`).toBeGreaterThan(0);
  });

  it("cut C into whole tiles that cover it exactly once, along its longer side", () => {
    const layout = (m: number, n: number): GemmLayout => ({
      es: 4,
      mr: 4,
      nr: 8,
      kc: 256,
      mc: 64,
      transA: false,
      transB: false,
      m,
      n,
      k: 10,
      aRaw: 0,
      bRaw: 0,
      cBase: 0,
      nPad: Math.ceil(n / 8) * 8,
      overwrite: false,
    });
    for (const [m, n, parts] of [
      [130, 63, 2],
      [63, 130, 2],
      [9, 9, 3],
      [4, 300, 4],
      [3, 2, 2],
      [1000, 1000, 3],
    ] as const) {
      const L = layout(m, n);
      const rects = splitProduct(L, parts);
      expect(rects.length).toBeLessThanOrEqual(parts);
      const seen = new Uint8Array(m * n);
      for (const r of rects) {
        expect(r.rowStart % L.mr, `rowStart of ${JSON.stringify(r)} in ${m}×${n}`).toBe(0);
        expect(r.colStart % L.nr, `colStart of ${JSON.stringify(r)} in ${m}×${n}`).toBe(0);
        for (let i = r.rowStart; i < r.rowEnd; i++) for (let j = r.colStart; j < r.colEnd; j++) seen[i * n + j]++;
      }
      expect(
        seen.every((v) => v === 1),
        `${m}×${n} in ${parts}: every element in exactly one rectangle`,
      ).toBe(true);
      if (rects.length > 1) expect(rects[0].rowEnd - rects[0].rowStart < m).toBe(m >= n);
    }
  });

  it("setNumThreads takes 1-16 and explains anything else", () => {
    for (const bad of [0, 1.5, 17, Number.NaN])
      expect(() => setNumThreads(bad)).toThrow(/setNumThreads: expected a whole number of threads from 1 to 16, got/);
    setNumThreads(3);
    expect(getNumThreads()).toBe(3);
  });

  it("do not keep a process alive: a script that used them exits by itself", () => {
    const script = `
      const g = require(${JSON.stringify(require.resolve("../../kernel-lib/dist/kernels/gemm-wasm.js"))});
      g.setGemmThreads(2); g.setThreadMinWork(0);
      const a = new Float64Array(200 * 200).fill(1), c = new Float64Array(200 * 200);
      for (let i = 0; i < 50; i++) g.gemmWasm(false, false, 200, 200, 200, a, 0, a, 0, c, 0, false);
      console.log(c[0], g.workerRectCount() >= 0);`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(r.error, "the child was killed by the timeout: the workers kept it alive").toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("200 true");
  });
});
