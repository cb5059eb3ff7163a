/**
 * A standard Python client reads nnlab's comms: Debian's `jupyter-nbconvert --execute` (nbclient)
 * runs a notebook with widgets on the nnlab kernel and saves their state in the notebook's
 * metadata (`application/vnd.jupyter.widget-state+json`), as it does for ipywidgets; the interact
 * Output's saved state holds what the function printed at the start values.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pythonHasModules } from "../../cli/src/kernel/jupyter-server";
import { writeKernelspec } from "../../cli/src/kernel/kernelspec";
import { kernelEntryBuilt, repoRoot } from "../kernel/protocol-cases";

const NBCONVERT = "/usr/bin/jupyter-nbconvert";
const available = existsSync(NBCONVERT) && pythonHasModules(["nbconvert", "nbclient"]);
if (!available)
  console.log(`widget nbconvert test skipped: ${NBCONVERT} or python3-nbclient missing (apt-get install jupyter-nbconvert python3-nbclient)`);

const tmp = join(repoRoot, "test", ".tmp", "widgets-nbconvert");

interface SavedModel {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
}

describe.skipIf(!available || !kernelEntryBuilt)("nbconvert --execute saves nnlab widgets' state", () => {
  let nb: { cells: { outputs: { output_type: string; data?: Record<string, unknown> }[] }[]; metadata: Record<string, unknown> };
  beforeAll(() => {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeKernelspec(join(tmp, "jupyter"));
    const cells = [
      `import { widgets } from "nnlab";`,
      `const lr = new widgets.FloatSlider({ value: 0.25, min: 0, max: 1, step: 0.05, description: "lr" });\nlr`,
      `widgets.interact(({ k, opt }) => { console.log("k=" + k + " " + opt); }, { k: [1, 9, 1], opt: ["SGD", "Adam"] });`,
    ];
    writeFileSync(
      join(tmp, "widgets.ipynb"),
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: "nnlab", display_name: "TypeScript (nnlab)", language: "typescript" } },
        cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
      }),
    );
    const env = {
      ...process.env,
      JUPYTER_PATH: join(tmp, "jupyter"),
      JUPYTER_RUNTIME_DIR: join(tmp, "runtime"),
      JUPYTER_CONFIG_DIR: join(tmp, "config"),
    };
    const r = spawnSync(
      NBCONVERT,
      ["--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120", "--output", "out.ipynb", join(tmp, "widgets.ipynb")],
      { env, encoding: "utf8", timeout: 180_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    nb = JSON.parse(readFileSync(join(tmp, "out.ipynb"), "utf8"));
  });

  it("the slider's view output names a model whose saved state is the slider's", () => {
    const view = nb.cells[1]!.outputs.find((o) => o.data?.["application/vnd.jupyter.widget-view+json"])!;
    const id = (view.data!["application/vnd.jupyter.widget-view+json"] as { model_id: string }).model_id;
    const saved = (nb.metadata.widgets as Record<string, { state: Record<string, SavedModel> }>)["application/vnd.jupyter.widget-state+json"]!.state;
    expect(saved[id]).toMatchObject({
      model_name: "FloatSliderModel",
      model_module: "@jupyter-widgets/controls",
      model_module_version: "2.0.0",
      state: { value: 0.25, description: "lr" },
    });
    const layout = String(saved[id]!.state.layout).replace("IPY_MODEL_", "");
    expect(saved[layout]?.model_name).toBe("LayoutModel");
  });

  it("the interact's Output holds what the function printed at the start values", () => {
    const saved = (nb.metadata.widgets as Record<string, { state: Record<string, SavedModel> }>)["application/vnd.jupyter.widget-state+json"]!.state;
    const outputs = Object.values(saved).filter((m) => m.model_name === "OutputModel");
    expect(outputs.length).toBe(1);
    const printed = (outputs[0]!.state.outputs as { output_type: string; text: string }[]).map((o) => o.text).join("");
    expect(printed).toBe("k=5 SGD\n");
  });
});
