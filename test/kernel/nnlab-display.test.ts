/**
 * The library's own objects through the kernel: a Tensor and a plotly figure as a cell's last
 * expression arrive as execute_result bundles (Symbol.for("Jupyter.display")). Needs kernel-lib
 * built (`npm run build`), as every notebook does.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectKernelClient } from "../../cli/src/kernel/direct";
import { kernelEntryBuilt, repoRoot, resultData } from "./protocol-cases";

const libBuilt = existsSync(join(repoRoot, "kernel-lib", "dist", "index.js")) && existsSync(join(repoRoot, "kernel-lib", "dist", "plot", "index.js"));
if (!libBuilt) console.log("nnlab display-through-kernel tests skipped: kernel-lib/dist missing; run `npm run build` first");

const cwd = join(repoRoot, "test", ".tmp", "kernel-nnlab");

describe.skipIf(!libBuilt || !kernelEntryBuilt)("nnlab objects as a cell's value", () => {
  let client: DirectKernelClient;
  beforeAll(async () => {
    mkdirSync(cwd, { recursive: true });
    client = new DirectKernelClient({ cwd });
    await client.start();
  });
  afterAll(async () => {
    await client?.shutdown();
  });

  it("a Tensor is an execute_result with its PyTorch-like repr", async () => {
    const r = await client.execute(`import { tensor } from "nnlab";\ntensor([[1, 2], [3, 4]])`);
    expect(r.status, JSON.stringify(r)).toBe("ok");
    const text = String(resultData(r)?.["text/plain"]);
    expect(text).toMatch(/^tensor\(/);
    expect(text).toContain("[3");
  });

  it("a figure is an execute_result carrying the plotly JSON with its traces", async () => {
    const r = await client.execute(`import { linePlot } from "nnlab/plot";\nlinePlot({ loss: [3, 2, 1.5], val: [3.2, 2.4, 2] }, { title: "Loss" })`);
    expect(r.status, JSON.stringify(r).slice(0, 1500)).toBe("ok");
    const data = resultData(r) ?? {};
    const fig = data["application/vnd.plotly.v1+json"] as { data?: { y?: unknown }[] } | undefined;
    expect(fig?.data).toHaveLength(2);
    expect(typeof data["text/plain"]).toBe("string");
  });

  it("clearOutput() removes the cell's earlier outputs; clearOutput(true) waits for the next one", async () => {
    const r = await client.execute(
      `import { clearOutput, display } from "nnlab";\nconsole.log("before");\ndisplay("first");\nclearOutput();\ndisplay("second");`,
    );
    expect(r.status, JSON.stringify(r)).toBe("ok");
    expect(r.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "second" }, metadata: {} }]);
    const w = await client.execute(`display("kept until the next output");\nclearOutput(true);\nconsole.log("after");`);
    expect(w.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "after\n" }]);
  });
});
