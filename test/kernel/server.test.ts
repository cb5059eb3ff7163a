/**
 * The server back end (@jupyterlab/services) against a real Jupyter Server started here
 * (Debian python3-jupyter-server, `/usr/bin/python3 -m jupyter_server`) running the real nnlab
 * kernel from a kernelspec written to a temp JUPYTER_PATH entry.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnJupyter, jupyterServerAvailable, type JupyterServer } from "../../cli/src/kernel/spawn-jupyter";
import { writeKernelspec } from "../../cli/src/kernel/kernelspec";
import { ServerKernelClient } from "../../cli/src/kernel/server";
import { defineProtocolCases, kernelEntryBuilt, repoRoot, resultData } from "./protocol-cases";

const available = jupyterServerAvailable();
if (!available) console.log("server back-end tests skipped: /usr/bin/python3 cannot import jupyter_server (apt-get install python3-jupyter-server)");

const tmp = join(repoRoot, "test", ".tmp", "kernel-server");

describe.skipIf(!available || !kernelEntryBuilt)("ServerKernelClient against Jupyter Server", () => {
  let server: JupyterServer;
  let client: ServerKernelClient;
  beforeAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, "root", "chapter"), { recursive: true });
    writeKernelspec(join(tmp, "jupyter"));
    server = await spawnJupyter({ module: "jupyter_server", rootDir: join(tmp, "root"), jupyterPath: join(tmp, "jupyter") });
    client = new ServerKernelClient({ baseUrl: server.url, token: server.token, path: "chapter" });
    await client.start();
  });
  afterAll(async () => {
    await client?.shutdown();
    await server?.stop();
  });

  it("lists the nnlab kernelspec and runs the kernel in root_dir/path", async () => {
    const res = await fetch(`${server.url}/api/kernelspecs`, { headers: { Authorization: `token ${server.token}` } });
    const specs = (await res.json()) as { kernelspecs: Record<string, { spec: { display_name: string } }> };
    expect(specs.kernelspecs.nnlab?.spec.display_name).toBe("TypeScript (nnlab)");
    const r = await client.execute(`process.cwd()`);
    expect(resultData(r)).toEqual({ "text/plain": `'${join(tmp, "root", "chapter")}'` });
  });

  it("attaches to a running kernel by id and leaves it running on shutdown", async () => {
    await client.execute(`let shared = "from the first client";`);
    const second = new ServerKernelClient({ baseUrl: server.url, token: server.token, kernelId: client.kernel!.id });
    await second.start();
    const r = await second.execute(`shared`);
    expect(resultData(r)).toEqual({ "text/plain": "'from the first client'" });
    await second.shutdown();
    const still = await client.execute(`shared.length`);
    expect(resultData(still)).toEqual({ "text/plain": "21" });
  });

  defineProtocolCases(() => client, {
    deathReason: /^kernel died \(.*exit status not reported by the server\)$/,
    sendQueued: async (codes, stopOnError) => {
      const futures = codes.map((code) => client.kernel!.requestExecute({ code, stop_on_error: stopOnError }));
      return Promise.all(futures.map(async (f) => String((await f.done).content.status)));
    },
    complete: async (code, cursorPos) =>
      ((await client.kernel!.requestComplete({ code, cursor_pos: cursorPos })).content as { matches?: string[] }).matches ?? [],
  });
});
