import { afterEach, describe, expect, it } from "vitest";
import { tensor } from "../../kernel-lib/src/index";
import * as nn from "../../kernel-lib/src/nn/index";
import { fit } from "../../kernel-lib/src/train/index";
import { SGD } from "../../kernel-lib/src/optim/index";
import { installFakeTslab } from "../plot/fake-tslab";

describe("fit inside a kernel shows live progress", () => {
  let fake: ReturnType<typeof installFakeTslab> | null = null;
  afterEach(() => fake?.uninstall());

  it("sends one live output, updated in place, ending with the last epoch's status and loss curve", async () => {
    fake = installFakeTslab();
    const model = new nn.Sequential(new nn.Linear(2, 1));
    const x = tensor([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = tensor([[0], [1], [1], [2]]);
    // biome-ignore lint/suspicious/noFocusedTests: nnlab's fit(), not Jasmine's focused test
    const history = await fit(model, {
      train: [x, y],
      val: [x, y],
      loss: "mse",
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 3,
      batchSize: 2,
    });
    const live = fake.sent;
    expect(live.length).toBeGreaterThanOrEqual(2);
    const ids = new Set(live.map((s) => s.msg.transient.display_id));
    expect(ids.size).toBe(1);
    expect(live.slice(1).every((s) => s.update)).toBe(true);
    const last = live[live.length - 1].msg.data;
    expect(last["text/plain"]).toMatch(/^epoch 3\/3 · loss \d\.\d{4} · val_loss \d\.\d{4}/);
    const fig = last["application/vnd.plotly.v1+json"] as { data: { name: string; y: number[] }[] };
    expect(fig.data.map((t) => t.name)).toEqual(["loss", "val_loss"]);
    // The figure keeps 7 significant digits of each loss.
    expect(fig.data[1].y).toHaveLength(history.valLoss.length);
    fig.data[1].y.forEach((v, i) => expect(v).toBeCloseTo(history.valLoss[i]!, 6));
  });
});
