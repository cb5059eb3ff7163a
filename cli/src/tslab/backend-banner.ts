/**
 * The part of the kernel's banner (kernel_info_reply) that names nnlab's matrix back end: the
 * system BLAS it loaded, or its WebAssembly kernels, so that a student's "why is this slow" starts
 * from what actually ran. Asking loads the BLAS (koffi and a dlopen: 10-35 ms here) once per kernel;
 * "nnlab/backend" is the choice alone (~30 ms to load), not the whole library (~100-170 ms), which
 * a kernel that grades a submission may never need.
 */
import { backendInfo } from "nnlab/backend";

export function backendBanner(): string {
  try {
    const i = backendInfo();
    const threads = `${i.threads} thread${i.threads === 1 ? "" : "s"}`;
    if (i.backend === "blas") return `matrix products: BLAS ${i.library ?? ""} from ${i.path ?? "?"}, ${threads}`;
    return `matrix products: nnlab WebAssembly kernels, ${threads} (${i.reason})`;
  } catch (e) {
    // A banner must never stop the kernel from answering kernel_info.
    return `matrix products: back end unknown (${(e as Error).message})`;
  }
}
