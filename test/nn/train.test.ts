import { describe, expect, it } from "vitest";
import { fromArray, seed, tensor, type Tensor, noGrad, F } from "../../kernel-lib/src/index";
import * as nn from "../../kernel-lib/src/nn/index";
import { DataLoader } from "../../kernel-lib/src/data/index";
import { fit, fitSync, evaluate, TrainingDivergedError, accuracy, type Callback } from "../../kernel-lib/src/train/index";
import { l2Penalty, l1Penalty, EarlyStopping } from "../../kernel-lib/src/regularize/index";
import { SGD, Adam } from "../../kernel-lib/src/optim/index";
import { expectClose, fixture } from "./helpers";
import { describeEachBackend } from "../helpers/backends";

/** Plain SGD, p ← p − lr·∂C/∂p: the explicit path of the weight-decay experiment. */
class PlainSGD {
  constructor(
    private params: Tensor[],
    private lr: number,
  ) {}
  step(): void {
    for (const p of this.params) if (p.grad) for (let i = 0; i < p.size; i++) p.data[i] -= this.lr * p.grad.data[i];
  }
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }
}

describeEachBackend("the weight-decay experiment (CHAPTERS 06) against PyTorch", () => {
  interface Run {
    train_loss: number[];
    test_loss: number[];
    w_norm: number;
    b: number;
  }
  const fx = fixture<{
    d: number;
    lr: number;
    epochs: number;
    batch_size: number;
    true_b: number;
    x_train: number[][];
    y_train: number[];
    x_test: number[][];
    y_test: number[];
    w0: number[];
    runs: Record<string, Run>;
  }>("nn_weight_decay.json");
  const xTrain = tensor(fx.x_train);
  const yTrain = tensor(fx.y_train).reshape(-1, 1);
  const xTest = tensor(fx.x_test);
  const yTest = tensor(fx.y_test).reshape(-1, 1);
  const half = (o: Tensor, y: Tensor): Tensor => F.mseLoss(o, y).mul(0.5);

  function model(): nn.Linear {
    const m = new nn.Linear(fx.d, 1);
    m.loadStateDict({ weight: { shape: [1, fx.d], data: fx.w0 }, bias: { shape: [1], data: [0] } });
    return m;
  }

  function run(lambda: number, how: "penalty" | "weightDecay") {
    const m = model();
    const perEpoch = { train: [] as number[], test: [] as number[] };
    const record: Callback = {
      onEpochEnd: () => {
        perEpoch.train.push(evaluate(m, [xTrain, yTrain], { loss: half }).loss);
        perEpoch.test.push(evaluate(m, [xTest, yTest], { loss: half }).loss);
      },
    };
    const optimizer =
      how === "penalty"
        ? new PlainSGD(m.parameters(), fx.lr)
        : new SGD([{ params: [m.weight], weightDecay: lambda }, { params: [m.bias!] }], { lr: fx.lr });
    const loss = how === "penalty" ? (o: Tensor, y: Tensor) => half(o, y).add(l2Penalty(m, { half: true }).mul(lambda)) : half;
    const history = fitSync(m, {
      train: new DataLoader([xTrain, yTrain], { batchSize: fx.batch_size, shuffle: false }),
      loss,
      optimizer,
      epochs: fx.epochs,
      callbacks: [record],
    });
    return { m, perEpoch, history };
  }

  for (const lambda of [0, 3]) {
    it(`λ = ${lambda}: per-epoch train and test loss and the final ‖w‖ equal PyTorch's`, () => {
      const ref = fx.runs[String(lambda)];
      const { m, perEpoch, history } = run(lambda, "penalty");
      expect(history.epochs).toBe(100);
      expect(history.stepLoss.length).toBe(100 * 10);
      expectClose(perEpoch.train, ref.train_loss, "train loss per epoch");
      expectClose(perEpoch.test, ref.test_loss, "test loss per epoch");
      expectClose([m.weight.norm().item()], [ref.w_norm], "‖w‖");
      expectClose(m.bias!.data, [ref.b], "b");
    });
  }

  it("without the penalty the train loss vanishes and the test loss stays high; λ = 3 closes the gap", () => {
    const free = fx.runs["0"];
    const decayed = fx.runs["3"];
    expect(free.train_loss[99]).toBeLessThan(1e-20);
    expect(free.test_loss[99]).toBeGreaterThan(10);
    expect(decayed.test_loss[99]).toBeLessThan(1);
    expect(decayed.w_norm).toBeLessThan(free.w_norm / 10);
  });

  it("SGD's weightDecay = λ gives the same run as the explicit λ/2·‖w‖² penalty", () => {
    const a = run(3, "penalty");
    const b = run(3, "weightDecay");
    expectClose(b.perEpoch.test, a.perEpoch.test, "test loss, weightDecay vs penalty", 1e-9, 1e-12);
    expectClose(b.m.weight.data, a.m.weight.data, "final w", 1e-9, 1e-12);
  });
});

describeEachBackend("an XOR MLP trained with fit: loss at every step equals PyTorch's", () => {
  interface Trained {
    hp: Record<string, number>;
    losses: number[];
    final: Record<string, number[]>;
  }
  const fx = fixture<{
    x: number[][];
    y: number[][];
    init: Record<string, { shape: number[]; data: number[] }>;
    sgd_momentum: Trained;
    adam: Trained;
  }>("nn_xor_mlp.json");
  const x = tensor(fx.x);
  const y = tensor(fx.y);
  for (const [name, make] of [
    ["sgd_momentum", (ps: Tensor[]) => new SGD(ps, { lr: 0.5, momentum: 0.9 })],
    ["adam", (ps: Tensor[]) => new Adam(ps, { lr: 0.05 })],
  ] as const) {
    it(`${name}, 100 full-batch steps`, async () => {
      expect(fx[name].hp).toEqual(name === "adam" ? { lr: 0.05 } : { lr: 0.5, momentum: 0.9 });
      const model = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
      model.loadStateDict(fx.init);
      // biome-ignore lint/suspicious/noFocusedTests: nnlab's fit(), not Jasmine's focused test
      const history = await fit(model, {
        train: new DataLoader([x, y], { batchSize: 4 }),
        loss: "bceWithLogits",
        optimizer: make(model.parameters()),
        epochs: 100,
        metrics: { accuracy: (o, t) => accuracy(o, t, 0) },
      });
      expectClose(history.stepLoss, fx[name].losses, "loss per step");
      expectClose(history.loss, fx[name].losses, "loss per epoch (one step each)");
      for (const [k, p] of model.namedParameters()) expectClose(p.data, fx[name].final[k], `final ${k}`, 1e-8, 1e-12);
      expect(history.history.accuracy[99]).toBe(1);
    });
  }
});

describe("fit: history, validation, metrics", () => {
  it("records loss, val_loss and metrics per epoch, sample-weighted; reproducible after seed()", () => {
    const train = () => {
      seed(4);
      const xs = fromArray(
        Array.from({ length: 40 }, (_, i) => (i % 10) / 10 - 0.45),
        [20, 2],
      );
      const ys = fromArray(
        Array.from({ length: 20 }, (_, i) => (xs.data[2 * i] + xs.data[2 * i + 1] > 0 ? 1 : 0)),
        [20],
      );
      const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 2));
      const h = fitSync(model, {
        train: [xs, ys],
        val: [xs, ys],
        loss: "crossEntropy",
        optimizer: new SGD(model.parameters(), { lr: 0.5 }),
        epochs: 5,
        batchSize: 6,
        metrics: ["accuracy"],
      });
      return { h, model, xs, ys };
    };
    const { h, model, xs, ys } = train();
    expect(Object.keys(h.history)).toEqual(["loss", "accuracy", "val_loss", "val_accuracy"]);
    expect(h.epoch).toEqual([1, 2, 3, 4, 5]);
    expect(h.stepLoss.length).toBe(5 * 4); // 20 samples in batches of 6: 6, 6, 6, 2
    // The last val_loss is the model's loss after training, evaluated in one go.
    expect(h.valLoss[4]).toBeCloseTo(evaluate(model, [xs, ys], { loss: "crossEntropy" }).loss, 12);
    expect(h.toString()).toMatch(/^History\(5 epochs\)\nepoch {6}loss {2}accuracy {2}val_loss {2}val_accuracy\n {4}1 {2}0\.\d{6} {2}/);
    expect(train().h.stepLoss).toEqual(h.stepLoss);
    const fig = h.plot({ logY: true }).toJSON() as { data: { name: string; x: number[]; y: number[] }[]; layout: { yaxis: { type?: string } } };
    expect(fig.data.map((t) => t.name)).toEqual(["loss", "val_loss"]);
    // figures carry 7 significant digits (kept small for the notebook file)
    expect(fig.data[1].y).toHaveLength(h.valLoss.length);
    fig.data[1].y.forEach((v: number, i: number) => expect(Math.abs(v - h.valLoss[i]!)).toBeLessThanOrEqual(5e-7 * Math.abs(h.valLoss[i]!)));
    expect(fig.data[0].x).toEqual([1, 2, 3, 4, 5]);
    expect(fig.layout.yaxis.type).toBe("log");
  });
});

describe("fit stops on NaN / Infinity and says where", () => {
  it("names the epoch, the step and the parameter whose gradient is not finite", () => {
    const model = new nn.Sequential(new nn.Linear(1, 1, { bias: false }));
    model.parameters()[0].data[0] = 1;
    let steps = 0;
    // After the first step the weight becomes 0, where ∂√(w·x)/∂w is infinite but the loss (0) is finite.
    const optimizer = {
      step: () => {
        steps++;
        model.parameters()[0].data[0] = 0;
      },
      zeroGrad: () => {},
    };
    let err: unknown;
    try {
      fitSync(model, {
        train: new DataLoader([tensor([[1], [1], [1]]), tensor([[0], [0], [0]])], { batchSize: 1 }),
        loss: (o) => o.sqrt().sum(),
        optimizer,
        epochs: 2,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect((err as TrainingDivergedError).message).toMatch(
      /gradient of parameter "0.weight" \(shape \[1, 1\]\) is Infinity at element 0, epoch 1, step 2 \(of 3\)/,
    );
    expect((err as TrainingDivergedError).parameter).toBe("0.weight");
    expect(steps).toBe(1);
  });

  it("names the step when the loss itself is NaN", () => {
    const model = new nn.Sequential(new nn.Linear(1, 1));
    const x = tensor([[1], [2], [NaN], [4]]);
    expect(() =>
      fitSync(model, {
        train: new DataLoader([x, tensor([[0], [0], [0], [0]])], { batchSize: 2 }),
        loss: "mse",
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        epochs: 1,
      }),
    ).toThrow(/loss became NaN at epoch 1, step 2 \(of 2\)/);
  });
});

describe("EarlyStopping", () => {
  // One step per epoch; the fake optimiser sets w so that the validation loss (w·1 − 0)² equals curve[epoch − 1]:
  // the weights themselves tell which epoch they come from.
  const curve = [1.0, 0.8, 0.6, 0.65, 0.59, 0.62, 0.61, 0.7, 0.5, 0.4];
  function train(stopper: EarlyStopping, epochs = 10) {
    const model = new nn.Sequential(new nn.Linear(1, 1, { bias: false }));
    const w = model.parameters()[0];
    let epoch = 0;
    const optimizer = { step: () => void (w.data[0] = Math.sqrt(curve[epoch++])), zeroGrad: () => {} };
    const data: [Tensor, Tensor] = [tensor([[1]]), tensor([[0]])];
    const history = fitSync(model, { train: data, val: data, loss: "mse", optimizer, epochs, callbacks: [stopper] });
    return { history, w: w.data[0] };
  }

  it("stops after `patience` epochs without an improvement larger than minDelta and restores the best weights", () => {
    const stopper = new EarlyStopping({ patience: 3, minDelta: 0.005, restoreBest: true });
    const { history, w } = train(stopper);
    expect(history.epochs).toBe(8);
    expect(history.stoppedEarly).toBe(true);
    expect(stopper.stoppedEpoch).toBe(8);
    expect(stopper.bestEpoch).toBe(5);
    expect(stopper.best).toBeCloseTo(0.59, 14);
    expect(w).toBe(Math.sqrt(0.59));
    expect(stopper.restoredEpoch).toBe(5);
  });

  it("a larger minDelta does not count 0.60 → 0.59 as progress; without restoreBest the last weights stay", () => {
    const stopper = new EarlyStopping({ patience: 3, minDelta: 0.02 });
    const { history, w } = train(stopper);
    expect(history.epochs).toBe(6);
    expect(stopper.bestEpoch).toBe(3);
    expect(w).toBe(Math.sqrt(curve[5]));
  });

  it("restores the best weights also when all epochs ran; mode max for accuracy-like monitors", () => {
    const stopper = new EarlyStopping({ patience: 5, restoreBest: true });
    const { history, w } = train(stopper, 8);
    expect(history.stoppedEarly).toBe(false);
    expect(w).toBe(Math.sqrt(0.59));
    const acc = new EarlyStopping({ monitor: "val_accuracy", patience: 0 });
    expect(acc.mode).toBe("max");
    expect(acc.update(1, 0.5)).toBe(false);
    expect(acc.update(2, 0.6)).toBe(false);
    expect(acc.update(3, 0.6)).toBe(true);
  });

  it("asks for validation data when val_loss is missing", () => {
    const model = new nn.Sequential(new nn.Linear(1, 1));
    expect(() =>
      fitSync(model, {
        train: [tensor([[1]]), tensor([[0]])],
        loss: "mse",
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        epochs: 2,
        callbacks: [new EarlyStopping()],
      }),
    ).toThrow(/monitor "val_loss" is not among this epoch's logs \(loss\)\. Pass validation data/);
  });
});

describe("penalties", () => {
  it("l2 = Σw² over weights only (biases when asked), ½ with half; l1 = Σ|w|; gradients 2w, w, sign(w)", () => {
    const m = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 1));
    m.loadStateDict({
      "0.weight": { shape: [2, 2], data: [1, -2, 3, 0] },
      "0.bias": { shape: [2], data: [5, 5] },
      "1.weight": { shape: [1, 2], data: [-1, 0.5] },
      "1.bias": { shape: [1], data: [7] },
    });
    expect(l2Penalty(m).item()).toBe(1 + 4 + 9 + 1 + 0.25);
    expect(l2Penalty(m, { half: true }).item()).toBe((1 + 4 + 9 + 1 + 0.25) / 2);
    expect(l2Penalty(m, { includeBias: true }).item()).toBe(15.25 + 25 + 25 + 49);
    expect(l1Penalty(m).item()).toBe(1 + 2 + 3 + 1 + 0.5);
    expect(l2Penalty([m.parameters()[1]]).item()).toBe(50);
    l2Penalty(m).backward();
    expect(Array.from(m.parameters()[0].grad!.data)).toEqual([2, -4, 6, 0]);
    expect(m.parameters()[1].grad).toBeNull();
    m.zeroGrad();
    l1Penalty(m).backward();
    expect(Array.from(m.parameters()[2].grad!.data)).toEqual([-1, 1]);
    expect(noGrad(() => l2Penalty(new nn.Sequential(new nn.ReLU())).item())).toBe(0);
  });
});
