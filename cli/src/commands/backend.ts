/** Which kernel client a command uses: direct (spawned kernel, the default) or a Jupyter server. */
import { dirname, relative, resolve } from "node:path";
import type { KernelClient } from "../kernel/client";
import { DirectKernelClient, ServerKernelClient } from "../kernel";

export interface ServerTarget {
  url: string;
  token: string;
  /**
   * The local folder the server serves as its root_dir. When given, a notebook's kernel runs in
   * its own folder on the server (so relative imports work); otherwise in the server's root_dir.
   */
  root?: string;
}

/** A fresh client for one notebook; the kernel's working folder is the notebook's folder. */
export function createKernelClient(notebookPath: string, server?: ServerTarget): KernelClient {
  if (server) {
    let path: string | undefined;
    if (server.root !== undefined) {
      path = relative(resolve(server.root), dirname(resolve(notebookPath)))
        .split("\\")
        .join("/");
      if (path.startsWith("..")) {
        throw new Error(`${notebookPath} is outside the server root ${server.root} (--server-root): the server cannot start its kernel there`);
      }
    }
    return new ServerKernelClient({ baseUrl: server.url, token: server.token, ...(path ? { path } : {}) });
  }
  return new DirectKernelClient({ cwd: dirname(resolve(notebookPath)) });
}
