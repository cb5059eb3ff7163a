// The matrix back ends a test run can use: WebAssembly always, the system BLAS where one loads
// (CI installs libopenblas0-pthread). Parity tests run once per back end through describeEachBackend.
import { afterAll, beforeAll, describe } from "vitest";
import { loadBlas } from "../../kernel-lib/src/kernels/blas";
import { setBackend, type Backend } from "../../kernel-lib/src/kernels/backend";
import { BLAS_MIN_WORK, setBlasMinWork } from "../../kernel-lib/src/kernels/gemm";

const probe = loadBlas(process.env.NNLAB_BLAS_LIB || undefined);
export const blasLoads: boolean = probe.ok;
export const blasMissingWhy: string = probe.ok ? "" : probe.why;
export const availableBackends: Backend[] = blasLoads ? ["wasm", "blas"] : ["wasm"];

/** Prints why the BLAS half of a file does not run (call once per file). */
export function reportMissingBlas(what: string): void {
  if (!blasLoads) console.log(`${what} skipped: ${blasMissingWhy}`);
}

/**
 * `body` once per available back end, inside describe(`${title} [backend]`). On the BLAS every
 * product but the matrix-vector ones goes to the library, however small (the fixtures' products
 * are smaller than where the BLAS takes over in normal use), so the parity tests reach it.
 */
export function describeEachBackend(title: string, body: (backend: Backend) => void): void {
  reportMissingBlas(`${title} on the BLAS back end`);
  for (const backend of availableBackends) {
    describe(`${title} [${backend}]`, () => {
      beforeAll(() => {
        setBackend(backend);
        setBlasMinWork(backend === "blas" ? 1 : BLAS_MIN_WORK);
      });
      afterAll(() => {
        setBackend("auto");
        setBlasMinWork(BLAS_MIN_WORK);
      });
      body(backend);
    });
  }
}
