import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gemm, kernelBackend, setKernelBackend } from "../../kernel-lib/src/kernels/gemm";
import { gemmPlain } from "../../kernel-lib/src/kernels/gemm-plain";
import { gemmWasm, setWasmKernelVariant, wasmKernelVariant } from "../../kernel-lib/src/kernels/gemm-wasm";
import { naiveGemm, randomArray } from "./reference";
import { setWasmV8Flags, wasmFeatures, wasmSimdAvailable } from "../../kernel-lib/src/kernels/wasm-features";
import { BLAS_MIN_WORK, setBlasMinWork } from "../../kernel-lib/src/kernels/gemm";
import { blasCallCount } from "../../kernel-lib/src/kernels/blas";
import { backendInfo, setBackend } from "../../kernel-lib/src/kernels/backend";
import { blasLoads, reportMissingBlas } from "../helpers/backends";

type GemmFn = typeof gemmPlain;

/**
 * gemm as the BLAS back end runs it (the argument checks, then cblas_?gemm), every product with
 * work sent there, and a check that the library really multiplied it.
 */
const gemmViaBlas: GemmFn = (transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate) => {
  const before = backendInfo().requested;
  setBackend("blas");
  setBlasMinWork(1);
  const calls = blasCallCount();
  try {
    gemm(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    if (m * n * k > 0) expect(blasCallCount(), "the BLAS multiplied this product").toBe(calls + 1);
  } finally {
    setBlasMinWork(BLAS_MIN_WORK);
    setBackend(before);
  }
};
reportMissingBlas("gemm on the BLAS path");

// Node 20 has WebAssembly SIMD: CI must exercise that path, so its absence is a failure there, not a skip.
// The "mul+add" kernels are what engines without relaxed SIMD (fused multiply-add) run.
const backends: [string, GemmFn, "fma" | "mul+add" | undefined][] = [
  ["plain", gemmPlain, undefined],
  ["wasm-simd (fma)", gemmWasm, "fma"],
  ["wasm-simd (mul+add)", gemmWasm, "mul+add"],
  ...(blasLoads ? [["blas", gemmViaBlas, undefined] as [string, GemmFn, undefined]] : []),
];

it("WebAssembly SIMD is available, is the default back end, and uses fused multiply-add exactly where the engine has it", () => {
  expect(wasmSimdAvailable()).toBe(true);
  expect(kernelBackend()).toBe(process.env.NNLAB_KERNELS === "plain" ? "plain" : "wasm-simd");
  // No V8 flag is set unasked (wasm-features.ts): on Node 20 relaxed SIMD needs NNLAB_WASM_V8_FLAGS=1.
  expect(wasmKernelVariant()).toBe(wasmFeatures().relaxedSimd ? "fma" : "mul+add");
});

const small = [1, 3, 7, 17];
const shapes: [number, number, number][] = [];
for (const m of small) for (const n of small) for (const k of small) shapes.push([m, n, k]);
shapes.push([63, 130, 17], [130, 63, 130], [17, 130, 63], [130, 130, 7], [1, 130, 130], [130, 1, 63], [64, 128, 300]);
// Around the cache blocks of the WebAssembly path (KC = 256 deep, MC = 64 rows).
shapes.push([64, 8, 256], [65, 9, 257], [129, 17, 513]);

const dtypes = [
  ["float64", Float64Array, 1e-12],
  ["float32", Float32Array, 1e-5],
] as const;

/** Runs one product with offsets and sentinels around C, and checks it against the naive loop. */
function check(
  fn: GemmFn,
  ctor: Float32ArrayConstructor | Float64ArrayConstructor,
  tol: number,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  accumulate: boolean,
): void {
  const aOff = 5,
    bOff = 3,
    cOff = 7,
    sentinel = 12345;
  const seed = m * 1_000_003 + n * 1009 + k * 7 + (transA ? 1 : 0) + (transB ? 2 : 0);
  const a = randomArray(ctor, aOff + m * k + 2, seed);
  const b = randomArray(ctor, bOff + k * n + 2, seed + 1);
  const c0 = randomArray(ctor, cOff + m * n + 4, seed + 2);
  const c = c0.slice();
  c.fill(sentinel, 0, cOff);
  c.fill(sentinel, cOff + m * n);
  fn(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  const { value, scale } = naiveGemm(transA, transB, m, n, k, a, aOff, b, bOff);
  let worst = 0,
    worstAt = -1;
  for (let i = 0; i < m * n; i++) {
    const base = accumulate ? c0[cOff + i] : 0;
    const err = Math.abs(c[cOff + i] - (value[i] + base)) / (scale[i] + Math.abs(base) + 1e-300);
    if (!(err <= worst)) {
      worst = err;
      worstAt = i;
    }
  }
  const label = `transA=${transA} transB=${transB} m=${m} n=${n} k=${k} accumulate=${accumulate}`;
  expect(worst, `${label}: worst relative error at C[${worstAt}]`).toBeLessThanOrEqual(tol);
  for (let i = 0; i < cOff; i++) expect(c[i], `${label}: wrote before C`).toBe(sentinel);
  for (let i = cOff + m * n; i < c.length; i++) expect(c[i], `${label}: wrote after C`).toBe(sentinel);
}

describe.each(backends)("gemm on the %s path", (_name, fn, variant) => {
  const before = wasmKernelVariant();
  beforeAll(() => {
    // The fused kernels are tested on Node 20 too: ask for the V8 flag that enables relaxed SIMD there.
    if (variant === "fma" && !wasmFeatures().relaxedSimd) setWasmV8Flags(true);
    if (variant) setWasmKernelVariant(variant);
    if (variant) expect(wasmKernelVariant()).toBe(variant);
  });
  afterAll(() => setWasmKernelVariant(before));

  for (const [dtype, ctor, tol] of dtypes) {
    for (const [transA, transB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      it(`${dtype} transA=${transA} transB=${transB} matches the naive triple loop on odd shapes, offsets, accumulate on/off`, () => {
        for (const [m, n, k] of shapes) {
          check(fn, ctor, tol, transA, transB, m, n, k, false);
          check(fn, ctor, tol, transA, transB, m, n, k, true);
        }
      });
    }
  }

  it("k = 0 leaves C (accumulate) or zeroes it (overwrite)", () => {
    const c = new Float64Array([1, 2, 3, 4, 5, 6]);
    fn(false, false, 2, 3, 0, new Float64Array(0), 0, new Float64Array(0), 0, c, 0, true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4, 5, 6]);
    fn(false, false, 2, 3, 0, new Float64Array(0), 0, new Float64Array(0), 0, c, 0, false);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("without accumulate, C's old contents (and the kernel's memory from the last product) never leak in", () => {
    for (const [, ctor] of dtypes) {
      const m = 37,
        n = 29,
        k = 300; // several k-blocks, partial tiles
      const a = randomArray(ctor, m * k, 11),
        b = randomArray(ctor, k * n, 12);
      const fresh = new ctor(m * n);
      fn(false, false, m, n, k, a, 0, b, 0, fresh, 0, false);
      // Leave large values where C lives in the kernel's memory, then overwrite a NaN-filled C.
      const big = new ctor(m * n).fill(1e30);
      fn(false, false, m, n, k, a, 0, b, 0, big, 0, true);
      const c = new ctor(m * n).fill(NaN);
      fn(false, false, m, n, k, a, 0, b, 0, c, 0, false);
      expect(Array.from(c)).toEqual(Array.from(fresh));
    }
  });

  it("a product that sums to zero from negative zeros gives +0, as 0 + (−0) does", () => {
    const a = new Float64Array(4 * 8).fill(-0),
      b = new Float64Array(8 * 4).fill(1);
    const c = new Float64Array(16).fill(7);
    fn(false, false, 4, 4, 8, a, 0, b, 0, c, 0, false);
    for (const v of c) expect(Object.is(v, 0), `got ${Object.is(v, -0) ? "-0" : v}`).toBe(true);
  });

  it("rejects mixed dtypes and arrays too short, naming the op and the shapes", () => {
    const f = new Float64Array(6),
      g = new Float32Array(6);
    expect(() => fn(false, false, 2, 3, 1, f, 0, g, 0, f, 0, false)).toThrow(/m=2, n=3, k=1.*float64, float32, float64/);
    expect(() => fn(false, false, 2, 3, 2, f, 0, new Float64Array(5), 0, f, 0, false)).toThrow(/B stored 2×3 needs 6 elements from offset 0/);
    expect(() => fn(true, false, 3, 2, 2, f, 1, f, 0, f, 0, false)).toThrow(
      /A stored 2×3 needs 6 elements from offset 1, but the array has length 6/,
    );
  });
});

describe("backend selection", () => {
  it("setKernelBackend switches what gemm uses and rejects unknown names", () => {
    const before = kernelBackend();
    try {
      setKernelBackend("plain");
      expect(kernelBackend()).toBe("plain");
      // @ts-expect-error: an invalid name must be refused at run time too
      expect(() => setKernelBackend("gpu")).toThrow(/expected "wasm-simd" or "plain"/);
    } finally {
      setKernelBackend(before);
    }
  });

  it("gemm gives the plain path's result within rounding on a large product", () => {
    const m = 150,
      n = 170,
      k = 300;
    for (const [, ctor, tol] of dtypes) {
      const a = randomArray(ctor, m * k, 1),
        b = randomArray(ctor, k * n, 2);
      const viaPlain = new ctor(m * n),
        viaDefault = new ctor(m * n);
      gemmPlain(false, true, m, n, k, a, 0, b, 0, viaPlain, 0, false);
      gemm(false, true, m, n, k, a, 0, b, 0, viaDefault, 0, false);
      const { scale } = naiveGemm(false, true, m, n, k, a, 0, b, 0);
      for (let i = 0; i < m * n; i++) {
        expect(Math.abs(viaDefault[i] - viaPlain[i]) / scale[i]).toBeLessThanOrEqual(tol);
      }
    }
  });
});
