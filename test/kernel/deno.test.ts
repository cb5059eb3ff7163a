// nnlab objects render in Deno's Jupyter kernel too (issue 4): Deno shows a cell's last value through
// its Symbol.for("Jupyter.display") method, the same convention the nnlab kernel honours. Deno ships
// on npm (devDependency `deno`); the kernel is `deno jupyter --kernel --conn <file>`, driven here by
// our own direct client.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectKernelClient } from "../../cli/src/kernel/direct";
import type { ExecuteResult } from "../../cli/src/kernel/client";

const root = join(__dirname, "..", "..");
const deno = join(root, "node_modules", ".bin", "deno");
const lib = join(root, "kernel-lib", "dist", "index.js");
const available = existsSync(deno) && existsSync(lib);
if (!available)
  console.log(
    `Deno kernel test skipped: ${existsSync(deno) ? "kernel-lib/dist missing (npm run build)" : "node_modules/.bin/deno missing (npm install)"}`,
  );

function bundle(r: ExecuteResult): Record<string, unknown> {
  const o = r.outputs.find((x) => x.output_type === "execute_result");
  if (o?.output_type !== "execute_result") throw new Error(`no execute_result: ${JSON.stringify(r).slice(0, 500)}`);
  return o.data;
}

describe.skipIf(!available)("nnlab in Deno's Jupyter kernel", () => {
  let client: DirectKernelClient;
  beforeAll(async () => {
    client = new DirectKernelClient({
      cwd: mkdtempSync(join(tmpdir(), "nnlab-deno-")),
      argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      // Deno may publish a cell's result after its idle status; the default 50 ms of quiet after idle
      // once missed the 5 MB figure bundle on a loaded machine (CI, with a benchmark running beside it).
      quietMs: 400,
    });
    await client.start();
    const r = await client.execute(
      `import { createRequire } from "node:module";\nconst require = createRequire(${JSON.stringify(root + "/")});\nconst nn = require(${JSON.stringify(lib)});`,
      { timeoutMs: 60_000 },
    );
    expect(r.status, JSON.stringify(r)).toBe("ok");
  }, 120_000);
  afterAll(async () => {
    await client?.shutdown();
  });

  it("a Tensor shows its PyTorch-like repr", async () => {
    const r = await client.execute(`nn.tensor([[1, 2], [3, 4.5]], { requiresGrad: true })`, { timeoutMs: 30_000 });
    expect(bundle(r)["text/plain"]).toBe("tensor([[1.0000, 2.0000],\n        [3.0000, 4.5000]], requires_grad=True)");
  });

  it("a figure arrives as one bundle: plotly JSON, a small HTML fallback (no plotly.js) and a text summary", async () => {
    const r = await client.execute(`nn.plot.linePlot({ loss: [3, 2, 1], val_loss: [3.5, 2.5, 2] }, { title: "loss", logY: true })`, {
      timeoutMs: 30_000,
    });
    const b = bundle(r);
    const fig = b["application/vnd.plotly.v1+json"] as { data: { name: string }[]; layout: { yaxis?: { type?: string } } };
    expect(fig.data.map((t) => t.name)).toEqual(["loss", "val_loss"]);
    expect(fig.layout.yaxis?.type).toBe("log");
    expect(String(b["text/html"]).length).toBeLessThan(5_000); // plotly.js comes from the front end
    expect(String(b["text/html"])).toContain("nbextensions/nnlab-plotly/plotly.min.js");
    expect(b["text/plain"]).toBe("Figure: 2 traces, 'loss'");
  });
});
