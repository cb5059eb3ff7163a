/**
 * Which back end multiplies matrices: the system's BLAS through FFI (blas.ts) or nnlab's own
 * WebAssembly kernels. Automatic by default: an optimised BLAS (OpenBLAS, Accelerate, BLIS, MKL)
 * if one loads, else WebAssembly. NNLAB_BACKEND=blas|wasm|auto and setBackend() force one;
 * NNLAB_BLAS_LIB names the library to load instead of searching. The BLAS is loaded on the first
 * product that could use it (or the first backendInfo()), not at import: a notebook that never
 * multiplies a large matrix never pays for dlopen.
 *
 * Small products stay on the WebAssembly / TypeScript paths whichever back end is chosen (gemm.ts
 * and ops/matmul.ts say where the line is): below it the FFI call costs more than the arithmetic.
 */
import { loadBlas, type BlasLibrary } from "./blas";
import { gemmThreads } from "./gemm-wasm";
import { wasmSimdAvailable } from "./wasm-features";
import { kernelBackend } from "./gemm";

export type Backend = "blas" | "wasm";
export type BackendChoice = Backend | "auto";

export interface BackendInfo {
  /** What large matrix products use now. */
  backend: Backend;
  /** What was asked for: by NNLAB_BACKEND, setBackend(), or "auto". */
  requested: BackendChoice;
  /** The BLAS loaded ("OpenBLAS 0.3.21 … Haswell …"), or null. */
  library: string | null;
  /** The file it came from, or null. */
  path: string | null;
  /**
   * Threads large products use (setNumThreads, NNLAB_THREADS): the BLAS's thread count for products
   * of ≥ BLAS_THREAD_MIN_WORK multiply-adds (one below), or nnlab's WebAssembly worker threads.
   */
  threads: number;
  /** The thread count the library reports right now (null where it cannot say, or none loaded). */
  libraryThreads: number | null;
  /** Why this back end: what was found, or why the BLAS was not used. */
  reason: string;
}

let requested: BackendChoice = fromEnv();
let envNote = "";
/** undefined until first needed; null when none loaded (loadError says why). */
let blas: BlasLibrary | null | undefined;
let loadError = "";
/** The library products go to, or null for WebAssembly; resolved lazily from `requested`. */
let active: BlasLibrary | null | undefined;

function env(name: string): string | undefined {
  return typeof process !== "undefined" ? process.env?.[name] : undefined;
}

function fromEnv(): BackendChoice {
  const v = env("NNLAB_BACKEND");
  if (v === undefined || v === "" || v === "auto") return "auto";
  if (v === "blas" || v === "wasm") return v;
  envNote = `NNLAB_BACKEND=${JSON.stringify(v)} is not blas, wasm or auto, so the back end was chosen automatically; `;
  return "auto";
}

/**
 * Products of at least this many multiply-adds run on the BLAS with nnlab's thread count
 * (setNumThreads); smaller ones on one thread. OpenBLAS splits anything above 2¹⁸ (64×64×64) and
 * its threads spin-wait: on a busy 2-vCPU VM two threads made MLP batches and mid-sized products
 * slower, not faster (bench/NOTES.md). The line sits where a product is long enough that waking a
 * second thread is a small part of it.
 */
export const BLAS_THREAD_MIN_WORK: number = 1 << 24;

/** The thread count last given to the library (-1: not yet, or nnlab's count changed since). */
let blasThreadsNow = -1;

/** Loads the BLAS once (NNLAB_BLAS_LIB or the platform's usual names). */
function library(): BlasLibrary | null {
  if (blas !== undefined) return blas;
  const r = loadBlas(env("NNLAB_BLAS_LIB") || undefined);
  if (r.ok) {
    blas = r.lib;
    blasThreadsNow = -1;
    threadsFor(blas, 0);
  } else {
    blas = null;
    loadError = r.why;
  }
  return blas;
}

function resolve(): BlasLibrary | null {
  if (requested === "wasm") return null;
  const lib = library();
  if (lib === null) {
    if (requested === "blas") warnOnce(`NNLAB_BACKEND=blas, but ${loadError}. Using the WebAssembly kernels.`);
    return null;
  }
  // An unknown CBLAS may be the reference implementation, slower than the WebAssembly kernels:
  // used when asked for by name (NNLAB_BLAS_LIB) or by NNLAB_BACKEND=blas only.
  if (requested === "auto" && !lib.optimised && !env("NNLAB_BLAS_LIB")) return null;
  return lib;
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  if (typeof process !== "undefined" && typeof process.emitWarning === "function") process.emitWarning(message, "NnlabBackendWarning");
}

/** The BLAS large products go to, or null for the WebAssembly kernels. Called per product: cheap after the first. */
export function activeBlas(): BlasLibrary | null {
  if (active === undefined) active = resolve();
  return active;
}

/**
 * Chooses the back end for matrix products and convolutions: "blas" (the system's BLAS; throws,
 * saying why, if none loads), "wasm" (nnlab's WebAssembly kernels), or "auto". Returns backendInfo().
 */
export function setBackend(choice: BackendChoice): BackendInfo {
  if (choice !== "blas" && choice !== "wasm" && choice !== "auto") {
    throw new TypeError(`setBackend: expected "blas", "wasm" or "auto", got ${JSON.stringify(choice)}`);
  }
  if (choice === "blas" && library() === null) {
    throw new Error(`setBackend("blas"): ${loadError}. setBackend("wasm") uses nnlab's own kernels.`);
  }
  requested = choice;
  envNote = "";
  active = resolve();
  return backendInfo();
}

/** Which back end multiplies matrices, which BLAS library was loaded and from where, and with how many threads. */
export function backendInfo(): BackendInfo {
  const lib = activeBlas();
  const loaded = requested === "wasm" ? (blas ?? null) : library();
  let reason: string;
  if (lib) reason = requested === "auto" ? `found ${lib.name}` : "forced";
  else if (requested === "wasm") reason = 'forced (NNLAB_BACKEND=wasm or setBackend("wasm"))';
  else if (loaded && !loaded.optimised)
    reason = `${loaded.name} at ${loaded.path} is not known to be optimised; set NNLAB_BACKEND=blas to use it anyway`;
  else reason = loadError;
  const wasm = wasmSummary();
  return {
    backend: lib ? "blas" : "wasm",
    requested,
    library: lib ? lib.name : null,
    path: lib ? lib.path : null,
    threads: gemmThreads(),
    libraryThreads: lib ? lib.getThreads() : null,
    reason: envNote + (lib ? reason : `${wasm}: ${reason}`),
  };
}

/** nnlab's own kernels, named without instantiating them (a banner must not reserve WebAssembly memory). */
function wasmSummary(): string {
  if (kernelBackend() === "plain") return "plain TypeScript";
  return wasmSimdAvailable() ? "WebAssembly SIMD" : "plain TypeScript (no WebAssembly SIMD)";
}

/**
 * Gives the library the thread count for a product of `work` multiply-adds (one thread below
 * BLAS_THREAD_MIN_WORK, nnlab's count from there): a call into the library only when it changes.
 */
export function threadsFor(lib: BlasLibrary, work: number): void {
  const t = work >= BLAS_THREAD_MIN_WORK ? gemmThreads() : 1;
  if (t !== blasThreadsNow) {
    lib.setThreads(t);
    blasThreadsNow = t;
  }
}

/** setNumThreads' other half: the next large product gives the loaded BLAS the new count. */
export function setBlasThreads(n: number): void {
  if (blas && blasThreadsNow !== -1 && blasThreadsNow !== 1) {
    blas.setThreads(n);
    blasThreadsNow = n;
  }
}

/** @internal For tests: forget the loaded library and the choice, as in a fresh process (env re-read). */
export function resetBackendForTests(): void {
  envNote = "";
  requested = fromEnv();
  blas = undefined;
  active = undefined;
  loadError = "";
  warned = false;
}
