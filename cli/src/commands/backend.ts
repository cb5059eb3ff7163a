/** Which kernel client a command uses: direct (spawned kernel, the default) or a Jupyter server. */
import { dirname } from "node:path";
import type { KernelClient } from "../kernel/client";

export interface ServerTarget {
  url: string;
  token: string;
}

// TEMPORARY until cli/src/kernel/index.ts lands: loaded lazily so the rest of the CLI builds.
type KernelModule = {
  DirectKernelClient: new (opts: { cwd: string }) => KernelClient;
  ServerKernelClient: new (opts: { url: string; token: string; cwd?: string }) => KernelClient;
};

/** A fresh client for one notebook; the kernel's working folder is the notebook's folder. */
export function createKernelClient(notebookPath: string, server?: ServerTarget): KernelClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kernel = require("../kernel") as KernelModule;
  if (server) return new kernel.ServerKernelClient({ url: server.url, token: server.token, cwd: dirname(notebookPath) });
  return new kernel.DirectKernelClient({ cwd: dirname(notebookPath) });
}
