/**
 * The system's BLAS (OpenBLAS, Apple's Accelerate, BLIS, MKL) called through a foreign-function
 * interface: the same cblas_sgemm / cblas_dgemm that PyTorch and numpy call, at the CPU's full
 * vector width, where the WebAssembly kernels stop at 128-bit SIMD.
 *
 * The FFI is koffi (npm, an optional dependency of this package). Why koffi: it ships prebuilt
 * binaries for Linux, macOS, Windows and the BSDs as per-platform optional packages, so nothing is
 * compiled at install (node-gyp and a C compiler are not on a student's laptop); it is actively
 * maintained (3.x, 2026); it passes a TypedArray to a `float *` / `double *` parameter as a pointer
 * to the array's own memory, without a copy in either direction; and a call costs a fraction of a
 * microsecond (bench/NOTES.md). ffi-napi / ref-napi are
 * unmaintained and build from source on Node 20, and Node has no built-in FFI. Where koffi or a
 * BLAS is missing (a browser, Deno without FFI, Windows without OpenBLAS) `loadBlas` returns null
 * with the reason, and the WebAssembly kernels do the work.
 *
 * Safety: a BLAS reads and writes wherever its arguments point. Every call goes through
 * checkGemmArgs first, so an out-of-range product is an error message, never a stray write.
 */
import type { FloatArray } from "../tensor/dtype";

/** The part of koffi used here (declared locally: koffi is optional, its types may be absent). */
interface Koffi {
  load(path: string): KoffiLib;
}
interface KoffiLib {
  func(signature: string): (...args: unknown[]) => unknown;
}

type Gemm = (
  order: number,
  ta: number,
  tb: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  lda: number,
  b: FloatArray,
  ldb: number,
  beta: number,
  c: FloatArray,
  ldc: number,
) => void;

export interface BlasLibrary {
  /** What the library says it is: "OpenBLAS 0.3.21 … Haswell", "Accelerate", "BLIS 0.9.0", … */
  name: string;
  /** The file it was loaded from (the resolved path where the OS says, else the name given). */
  path: string;
  /** An optimised BLAS, chosen automatically; an unknown CBLAS (perhaps the slow reference one) is used only when forced. */
  optimised: boolean;
  sgemm: Gemm;
  dgemm: Gemm;
  /** The library's thread count, or null where it offers no way to read it (Accelerate). */
  getThreads: () => number | null;
  /** Sets the library's thread count; false where it offers no way to (Accelerate). */
  setThreads: (n: number) => boolean;
}

export type BlasLoad = { ok: true; lib: BlasLibrary } | { ok: false; why: string };

// CBLAS's enum values (cblas.h): row-major order, no transpose, transpose.
const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/** Where each platform keeps its BLAS, best first. The names go to dlopen, which searches the usual paths. */
function candidates(): string[] {
  const platform = typeof process !== "undefined" ? process.platform : "";
  if (platform === "darwin") {
    return [
      "/System/Library/Frameworks/Accelerate.framework/Accelerate",
      "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
      "/usr/local/opt/openblas/lib/libopenblas.dylib",
      "libopenblas.dylib",
    ];
  }
  if (platform === "win32") return ["libopenblas.dll", "openblas.dll"];
  // Debian: libopenblas0-pthread / -openmp / -serial all give libopenblas.so.0; libblas.so.3 is
  // whichever BLAS the alternatives system points at (OpenBLAS, BLIS or the reference libblas3, all
  // with the cblas_* symbols); libcblas.so.3 is where other distributions keep CBLAS.
  return ["libopenblas.so.0", "libopenblas.so", "libblis.so.4", "libblas.so.3", "libcblas.so.3"];
}

function requireKoffi(): Koffi | string {
  if (typeof process === "undefined" || typeof require !== "function") return "no Node.js require here (a browser or Deno): koffi cannot load";
  try {
    return require("koffi") as Koffi;
  } catch (e) {
    const message = (e as Error).message.split("\n")[0];
    const hint = /Cannot find module/.test(message) ? "; npm install koffi to use the system BLAS" : "";
    return `the koffi package did not load (${message})${hint}`;
  }
}

/** Binds a function if the library has it, else undefined. */
function optional<T>(lib: KoffiLib, signature: string): T | undefined {
  try {
    return lib.func(signature) as T;
  } catch {
    return undefined;
  }
}

/** The resolved file of a loaded library whose name starts like `name`'s, from /proc/self/maps (Linux). */
function resolvedPath(name: string): string {
  const stem = (name.split("/").pop() ?? name).replace(/\.(so|dylib|dll).*$/, "");
  try {
    const { readFileSync } = require("node:fs") as typeof import("node:fs");
    const maps = readFileSync("/proc/self/maps", "utf8");
    for (const line of maps.split("\n")) {
      const file = line.slice(line.indexOf("/"));
      if (line.includes("/") && (file.split("/").pop() ?? "").startsWith(stem)) return file.trim();
    }
  } catch {
    // not Linux: the name given is the best answer
  }
  return name;
}

function open(koffi: Koffi, file: string): BlasLibrary {
  const lib = koffi.load(file);
  // Pointers as `float *` / `double *`: koffi hands a TypedArray's own memory to C, and C's writes
  // to it are the array's (no copy in or out).
  const sgemm = lib.func("void cblas_sgemm(int, int, int, int, int, int, float, float *, int, float *, int, float, float *, int)") as Gemm;
  const dgemm = lib.func("void cblas_dgemm(int, int, int, int, int, int, double, double *, int, double *, int, double, double *, int)") as Gemm;
  const openblasConfig = optional<() => string>(lib, "const char *openblas_get_config()");
  const blisVersion = optional<() => string>(lib, "const char *bli_info_get_version_str()");
  const mklVersion = optional<(buf: Uint8Array, len: number) => void>(lib, "void MKL_Get_Version_String(_Out_ uint8_t *buf, int len)");
  let name = "CBLAS of unknown make (perhaps the reference BLAS)";
  let optimised = false;
  let getThreads: () => number | null = () => null;
  let setThreads: (n: number) => boolean = () => false;
  if (openblasConfig) {
    name = openblasConfig();
    optimised = true;
    const get = optional<() => number>(lib, "int openblas_get_num_threads()");
    const set = optional<(n: number) => void>(lib, "void openblas_set_num_threads(int)");
    if (get) getThreads = get;
    if (set)
      setThreads = (n) => {
        set(n);
        return true;
      };
  } else if (blisVersion) {
    name = `BLIS ${blisVersion()}`;
    optimised = true;
    const get = optional<() => number>(lib, "int64_t bli_thread_get_num_threads()");
    const set = optional<(n: number) => void>(lib, "void bli_thread_set_num_threads(int64_t)");
    if (get) getThreads = () => Number(get());
    if (set)
      setThreads = (n) => {
        set(n);
        return true;
      };
  } else if (mklVersion) {
    const buf = new Uint8Array(198);
    mklVersion(buf, buf.length);
    name = new TextDecoder().decode(buf).replace(/\0.*$/s, "").trim() || "Intel MKL";
    optimised = true;
    const get = optional<() => number>(lib, "int MKL_Get_Max_Threads()");
    const set = optional<(n: number) => void>(lib, "void MKL_Set_Num_Threads(int)");
    if (get) getThreads = get;
    if (set)
      setThreads = (n) => {
        set(n);
        return true;
      };
  } else if (file.includes("Accelerate.framework")) {
    name = "Apple Accelerate";
    optimised = true;
  }
  return { name, path: resolvedPath(file), optimised, sgemm, dgemm, getThreads, setThreads };
}

/**
 * Loads the first BLAS that opens: `only` if given (NNLAB_BLAS_LIB), else the platform's usual
 * libraries. Never throws: a failure comes back as { ok: false, why } naming what was tried.
 */
export function loadBlas(only?: string): BlasLoad {
  const koffi = requireKoffi();
  if (typeof koffi === "string") return { ok: false, why: koffi };
  const tried: string[] = [];
  for (const file of only !== undefined ? [only] : candidates()) {
    try {
      return { ok: true, lib: open(koffi, file) };
    } catch (e) {
      tried.push(`${file}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  const hint =
    only !== undefined
      ? "NNLAB_BLAS_LIB names a library that does not open or has no cblas_sgemm/cblas_dgemm; point it at a CBLAS (e.g. /usr/lib/x86_64-linux-gnu/libopenblas.so.0) or unset it"
      : "install one (Debian: apt install libopenblas0-pthread; macOS has Accelerate), or set NNLAB_BLAS_LIB to its path";
  return { ok: false, why: `no BLAS library loaded (${tried.join("; ")}); ${hint}` };
}

let calls = 0;

/** @internal Products multiplied by the BLAS so far in this process: lets tests see which path ran. */
export function blasCallCount(): number {
  return calls;
}

/**
 * C[m×n] (+)= op(A)·op(B), row-major, through the library. The caller has checked the arguments
 * (checkGemmArgs) and that m, n, k > 0. An offset becomes a view (subarray): koffi passes the view's
 * own start, still without copying.
 */
export function blasGemm(
  lib: BlasLibrary,
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
  calls++;
  const f = c instanceof Float64Array ? lib.dgemm : lib.sgemm;
  f(
    ROW_MAJOR,
    transA ? TRANS : NO_TRANS,
    transB ? TRANS : NO_TRANS,
    m,
    n,
    k,
    1,
    aOffset === 0 ? a : a.subarray(aOffset),
    transA ? m : k,
    bOffset === 0 ? b : b.subarray(bOffset),
    transB ? k : n,
    // beta = 0: C is overwritten without being read (a NaN left in a reused buffer does not leak in).
    accumulate ? 1 : 0,
    cOffset === 0 ? c : c.subarray(cOffset),
    n,
  );
}
