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
import { gemmThreads, wasmKernelVariant, wasmSimdAvailable } from "./gemm-wasm";

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
  /** Threads of the back end in use: the BLAS's own count, or nnlab's WebAssembly worker threads. */
  threads: number;
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

/** Loads the BLAS once (NNLAB_BLAS_LIB or the platform's usual names) and gives it nnlab's thread count. */
function library(): BlasLibrary | null {
  if (blas !== undefined) return blas;
  const r = loadBlas(env("NNLAB_BLAS_LIB") || undefined);
  if (r.ok) {
    blas = r.lib;
    blas.setThreads(gemmThreads());
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
  const loaded = requested === "wasm" ? blas ?? null : library();
  let reason: string;
  if (lib) reason = requested === "auto" ? `found ${lib.name}` : "forced";
  else if (requested === "wasm") reason = "forced (NNLAB_BACKEND=wasm or setBackend(\"wasm\"))";
  else if (loaded && !loaded.optimised) reason = `${loaded.name} at ${loaded.path} is not known to be optimised; set NNLAB_BACKEND=blas to use it anyway`;
  else reason = loadError;
  const wasm = wasmSimdAvailable() ? `WebAssembly SIMD (${wasmKernelVariant()})` : "plain TypeScript (no WebAssembly SIMD)";
  return {
    backend: lib ? "blas" : "wasm",
    requested,
    library: lib ? lib.name : null,
    path: lib ? lib.path : null,
    threads: lib ? lib.getThreads() ?? gemmThreads() : gemmThreads(),
    reason: envNote + (lib ? reason : `${wasm}: ${reason}`),
  };
}

/** One line for banners and benchmark reports: "OpenBLAS 0.3.21 … (…/libopenblas.so.0), 1 thread". */
export function backendSummary(): string {
  const i = backendInfo();
  const threads = `${i.threads} thread${i.threads === 1 ? "" : "s"}`;
  return i.backend === "blas" ? `BLAS: ${i.library} (${i.path}), ${threads}` : `${i.reason.split(":")[0]}, ${threads}`;
}

/** Tells the loaded BLAS (if any) how many threads to use: setNumThreads' other half. */
export function setBlasThreads(n: number): void {
  if (blas) blas.setThreads(n);
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
