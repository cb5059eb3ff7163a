/** Which kernel client a command uses: direct (spawned kernel, the default) or a Jupyter server. */
import { dirname } from "node:path";
import type { KernelClient } from "../kernel/client";
import { DirectKernelClient } from "../kernel";

export interface ServerTarget {
  url: string;
  token: string;
}

// TEMPORARY until ServerKernelClient is exported from cli/src/kernel: loaded lazily so the rest builds.
type ServerModule = { ServerKernelClient?: new (opts: { url: string; token: string; cwd?: string }) => KernelClient };

/** A fresh client for one notebook; the kernel's working folder is the notebook's folder. */
export function createKernelClient(notebookPath: string, server?: ServerTarget): KernelClient {
  if (server) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ServerKernelClient } = require("../kernel") as ServerModule;
    if (!ServerKernelClient) throw new Error("--server: the server back end is not built into this nnlab yet");
    return new ServerKernelClient({ url: server.url, token: server.token, cwd: dirname(notebookPath) });
  }
  return new DirectKernelClient({ cwd: dirname(notebookPath) });
}
