/**
 * The lifecycle every WebAssembly kernel shares, declared once with defineKernel:
 *
 *   const relu = defineKernel({ name: "relu", functions: () => [...], exports: (e) => ({ … }), warm: (k) => … });
 *   const k = relu.load();   // the kernels, or null: the caller keeps its JavaScript loop
 *
 * load() builds the module from its functions once, compiles it (under V8's flags only if they
 * were asked for: wasm-features.ts), picks the exports, and calls each once with no work (`warm`),
 * so that V8 compiles them before the first real call. Where the engine has no WebAssembly SIMD,
 * load() is null without a word (the callers also check NNLAB_KERNELS=plain and
 * setKernelBackend("plain") before loading). Where the module fails to compile or instantiate (an
 * engine bug, an address-space limit that leaves no room for a WebAssembly memory), it warns once,
 * naming the kernel, the reason and how to silence or fix it, and is null from then on.
 *
 * Every kernel defined here is listed by `definedKernels()`: test/kernels/wasm-golden.test.ts
 * disassembles each module into test/kernels/wat/<name>.wat.
 */
import { buildModule, type Func, type MemorySpec } from "./wasm-emit";
import { wasmApi, wasmFeatures, withCompilerFlags, type WasmFeatures, type WasmMemory } from "./wasm-features";

export interface KernelSpec<K> {
  /** Names the kernel in warnings and its golden WAT file. */
  name: string;
  /** The module's functions, each exported under its name; `features` are the engine's (for the GEMM's multiply-add). */
  functions: (features: WasmFeatures) => Func[];
  /** The module's own memory (64 KiB pages; JavaScript grows it). Default 1. */
  pages?: number;
  /** The typed kernels from the instance's exports (`memory` among them). */
  exports: (exports: Record<string, unknown>, features: WasmFeatures) => K;
  /** Calls each export once with no work, so that V8 compiles it now. */
  warm: (kernels: K) => void;
}

export interface WasmKernel<K> {
  readonly name: string;
  /** The kernels, instantiated on first use; null where they cannot run (see above). */
  load(): K | null;
  /**
   * A fresh instance for `features` (a shared imported `memory` instead of the module's own, for
   * worker threads); throws what the engine threw. The compiled module comes back for the workers.
   */
  instantiate(features: WasmFeatures, memory?: { shared: WasmMemory; maximum: number }): { kernels: K; module: object };
  /** The module's bytes for `features`; with `names`, carrying its function and local names (golden WAT). */
  bytes(features: WasmFeatures, opts?: { names?: boolean; sharedMaximum?: number }): Uint8Array<ArrayBuffer>;
}

const defined: WasmKernel<unknown>[] = [];

/** Every kernel defined so far (each *-wasm.ts module defines its own when imported). */
export function definedKernels(): readonly WasmKernel<unknown>[] {
  return defined;
}

export function defineKernel<K>(spec: KernelSpec<K>): WasmKernel<K> {
  let loaded: K | null | undefined;
  const kernel: WasmKernel<K> = {
    name: spec.name,
    bytes(features, opts = {}) {
      const memory: MemorySpec = { pages: spec.pages ?? 1 };
      if (opts.sharedMaximum !== undefined) memory.sharedMaximum = opts.sharedMaximum;
      return buildModule(spec.functions(features), memory, { names: opts.names === true });
    },
    instantiate(features, memory) {
      const api = wasmApi();
      if (!api) throw new Error("this JavaScript engine has no WebAssembly");
      const bytes = kernel.bytes(features, memory ? { sharedMaximum: memory.maximum } : {});
      return withCompilerFlags(() => {
        const module = new api.Module(bytes);
        const { exports } = new api.Instance(module, memory ? { env: { memory: memory.shared } } : {});
        const kernels = spec.exports(exports, features);
        spec.warm(kernels);
        return { kernels, module };
      });
    },
    load() {
      if (loaded !== undefined) return loaded;
      const features = wasmFeatures();
      if (!features.simd) return null;
      try {
        loaded = kernel.instantiate(features).kernels;
      } catch (e) {
        loaded = null;
        warnFallback(spec.name, e);
      }
      return loaded;
    },
  };
  defined.push(kernel as WasmKernel<unknown>);
  return kernel;
}

const warned = new Set<string>();

/**
 * Says once per kernel, loudly, that it could not be used, why, what runs instead (by default its
 * plain TypeScript path: the same results, slower) and how to silence or fix it.
 */
export function warnFallback(kernel: string, error: unknown, instead = `${kernel} runs in plain TypeScript instead: the same results, slower`): void {
  if (warned.has(kernel)) return;
  warned.add(kernel);
  const reason = error instanceof Error ? error.message : String(error);
  const memory = /memory/i.test(reason)
    ? " Under an address-space limit (ulimit -v) start Node with --disable-wasm-trap-handler, as nnlab's grading kernels do."
    : "";
  const message =
    `nnlab: the WebAssembly ${kernel} kernel could not be loaded (${reason}); ${instead}.${memory} ` +
    "Set NNLAB_KERNELS=plain (or call setKernelBackend(\"plain\")) to choose the plain paths without this warning.";
  const p = typeof process !== "undefined" ? process : undefined;
  if (p && typeof p.emitWarning === "function") p.emitWarning(message, "NnlabWasmWarning");
  else console.warn(message);
}

/** @internal For tests: forget which kernels have warned. */
export function resetFallbackWarnings(): void {
  warned.clear();
}
