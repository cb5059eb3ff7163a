/**
 * JupyterLab 4's front end against Debian's Jupyter Server 1.23: the two routes it calls that
 * only Jupyter Server 2 has, refused by a plain 1.23 and answered with the nnlab_lab extension
 * loaded; and the lab's own routes (page, settings, themes) served by jupyterlab_server.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jupyterServerAvailable, spawnJupyter, type JupyterServer } from "../../cli/src/kernel/spawn-jupyter";
import { nnlabLabMissing, startNnlabLab } from "../../cli/src/kernel/nnlab-lab";

const missing = jupyterServerAvailable() ? nnlabLabMissing() : "no jupyter_server for /usr/bin/python3";
if (missing) console.log(`Jupyter Server 1.23 compatibility tests skipped: ${missing}`);

const root = join(__dirname, "..", ".tmp", "lab-compat");

/** The websocket handshake's outcome: "open", or the HTTP status that refused it. */
function handshake(url: string, token: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { Authorization: `token ${token}` } });
    ws.on("open", () => {
      ws.close();
      resolve("open");
    });
    ws.on("unexpected-response", (_req, res) => resolve(`HTTP ${res.statusCode}`));
    ws.on("error", (e) => resolve(`error ${e.message}`));
  });
}

describe.skipIf(missing !== undefined)("JupyterLab 4 routes on Jupyter Server 1.23", () => {
  let plain: JupyterServer;
  let lab: JupyterServer;
  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    [plain, lab] = await Promise.all([spawnJupyter({ module: "jupyter_server", rootDir: root }), startNnlabLab({ rootDir: root })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([plain?.stop(), lab?.stop()]);
  });

  const get = (s: JupyterServer, path: string): Promise<Response> => fetch(`${s.url}${path}`, { headers: { Authorization: `token ${s.token}` } });

  it("GET /api/me: 404 on plain 1.23 (an identity API of Jupyter Server 2); the extension answers it", async () => {
    expect((await get(plain, "/api/me")).status).toBe(404);
    const res = await get(lab, `/api/me?permissions=${encodeURIComponent(JSON.stringify({ contents: ["read", "write"] }))}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { identity: { username: string; display_name: string }; permissions: Record<string, string[]> };
    expect(body.identity.username.length).toBeGreaterThan(0);
    expect(body.identity.display_name).toBe(body.identity.username);
    expect(body.permissions).toEqual({ contents: ["read", "write"] });
    // Without a token the route refuses, like every API route.
    expect((await fetch(`${lab.url}/api/me`)).status).toBe(403);
  });

  it("the /api/events/subscribe websocket: 404 on plain 1.23 (no event bus before 2.0); the extension opens it", async () => {
    expect(await handshake(`${plain.url.replace("http", "ws")}/api/events/subscribe`, plain.token)).toBe("HTTP 404");
    expect(await handshake(`${lab.url.replace("http", "ws")}/api/events/subscribe`, lab.token)).toBe("open");
    expect(await handshake(`${lab.url.replace("http", "ws")}/api/events/subscribe`, "wrong-token")).toBe("HTTP 403");
  });

  it("serves the lab page with its page config, the settings schemas and the light theme", async () => {
    const page = await get(lab, "/lab");
    const html = await page.text();
    expect(page.status).toBe(200);
    const config = JSON.parse(/<script id="jupyter-config-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "{}") as Record<
      string,
      unknown
    >;
    expect(config.appName).toBe("JupyterLab (nnlab)");
    expect(config.fullStaticUrl).toBe("/static/nnlab_lab");
    expect((await get(lab, "/static/nnlab_lab/bundle.js")).status).toBe(200);
    const settings = (await (await get(lab, "/lab/api/settings/")).json()) as { settings: { id: string }[] };
    const ids = settings.settings.map((s) => s.id);
    expect(ids).toContain("@jupyterlab/notebook-extension:tracker");
    expect(ids).toContain("@jupyterlab/completer-extension:manager");
    const completer = (await (await get(lab, "/lab/api/settings/@jupyterlab/completer-extension:manager")).json()) as {
      schema: { properties: { providerTimeout: { default: number } } };
    };
    expect(completer.schema.properties.providerTimeout.default).toBe(8000);
    const theme = await get(lab, "/lab/api/themes/@jupyterlab/theme-light-extension/index.css");
    expect(theme.status).toBe(200);
    expect(await theme.text()).toContain("--jp-layout-color0");
    // Plain 1.23 has no /lab.
    expect((await get(plain, "/lab")).status).toBe(404);
  });
});
