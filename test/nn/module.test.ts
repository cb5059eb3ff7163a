import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { seed, tensor, randn, type Tensor } from "../../kernel-lib/src/index";
import * as nn from "../../kernel-lib/src/nn/index";

describe("Module", () => {
  it("prints a Sequential like PyTorch", () => {
    seed(0);
    const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(128, 10));
    const expected = [
      "Sequential(",
      "  (0): Linear(in_features=784, out_features=128, bias=True)",
      "  (1): ReLU()",
      "  (2): Dropout(p=0.2, inplace=False)",
      "  (3): Linear(in_features=128, out_features=10, bias=True)",
      ")",
    ].join("\n");
    expect(model.toString()).toBe(expected);
    expect(inspect(model)).toBe(expected);
  });

  it("prints nested modules and a CNN with PyTorch's layer reprs", () => {
    const model = new nn.Sequential(
      new nn.Conv2d(1, 8, 3, { padding: 1 }),
      new nn.MaxPool2d(2),
      new nn.Sequential(new nn.Flatten(), new nn.Linear(8 * 14 * 14, 10, { bias: false })),
    );
    expect(model.toString()).toBe(
      [
        "Sequential(",
        "  (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))",
        "  (1): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
        "  (2): Sequential(",
        "    (0): Flatten(start_dim=1, end_dim=-1)",
        "    (1): Linear(in_features=1568, out_features=10, bias=False)",
        "  )",
        ")",
      ].join("\n"),
    );
  });

  it("names parameters with dotted paths, in order, for Sequential and subclasses", () => {
    class Net extends nn.Module {
      fc1 = new nn.Linear(2, 3);
      act = new nn.Tanh();
      heads = [new nn.Linear(3, 1), new nn.Linear(3, 2)];
      scale = nn.parameter(tensor([1.0]));
      _cache: Tensor | null = null;
      forward(x: Tensor): Tensor {
        return this.heads[0].forward(this.act.forward(this.fc1.forward(x))).mul(this.scale);
      }
    }
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      "scale",
      "fc1.weight",
      "fc1.bias",
      "heads.0.weight",
      "heads.0.bias",
      "heads.1.weight",
      "heads.1.bias",
    ]);
    expect(net.numParameters()).toBe(1 + 6 + 3 + 3 + 1 + 6 + 2);
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.Sigmoid(), new nn.Linear(2, 1));
    expect(seq.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    const named = new nn.Sequential({ fc1: new nn.Linear(2, 2), out: new nn.Linear(2, 1) });
    expect(named.namedParameters().map(([n]) => n)).toEqual(["fc1.weight", "fc1.bias", "out.weight", "out.bias"]);
  });

  it("orders more than ten Sequential layers numerically", () => {
    const layers = Array.from({ length: 12 }, () => new nn.Linear(1, 1));
    const seq = new nn.Sequential(...layers);
    expect(seq.layers()).toEqual(layers);
    expect(seq.get(-1)).toBe(layers[11]);
  });

  it("round-trips stateDict through JSON and loads in place", () => {
    seed(1);
    const a = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    seed(2);
    const b = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const x = randn([5, 3]);
    expect(a.forward(x).toArray()).not.toEqual(b.forward(x).toArray());
    const weightBefore = b.parameters()[0];
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    expect(b.parameters()[0]).toBe(weightBefore);
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    expect(() => b.loadStateDict({ "0.weight": a.stateDict()["0.weight"] })).toThrow(/missing: 0.bias, 2.weight, 2.bias/);
    expect(() => b.loadStateDict({ "0.weight": { shape: [4, 4], data: new Array(16).fill(0) } }, { strict: false })).toThrow(
      /shape \[4, 3\] in the model but \[4, 4\]/,
    );
  });

  it("train() and eval() reach every sub-module; zeroGrad clears gradients", () => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.Dropout(0.5)));
    model.eval();
    expect(model.modules().every((m) => !m.training)).toBe(true);
    model.train();
    expect(model.modules().every((m) => m.training)).toBe(true);
    model
      .forward(randn([3, 2]))
      .sum()
      .backward();
    expect(model.parameters().every((p) => p.grad !== null)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });
});

describe("init", () => {
  it("Linear and Conv use U(±1/√fan_in) for weight and bias, reproducibly after seed()", () => {
    seed(7);
    const l1 = new nn.Linear(50, 40);
    seed(7);
    const l2 = new nn.Linear(50, 40);
    expect(Array.from(l1.weight.data)).toEqual(Array.from(l2.weight.data));
    const bound = 1 / Math.sqrt(50);
    const w = Array.from(l1.weight.data);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    // 2000 uniform draws: the extremes come close to the bound, the variance is bound²/3.
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.98 * bound);
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance / ((bound * bound) / 3)).toBeGreaterThan(0.9);
    expect(variance / ((bound * bound) / 3)).toBeLessThan(1.1);
    expect(Math.max(...Array.from(l1.bias!.data).map(Math.abs))).toBeLessThanOrEqual(bound);
    const conv = new nn.Conv2d(3, 16, 5);
    const cb = 1 / Math.sqrt(3 * 25);
    expect(Math.max(...Array.from(conv.weight.data).map(Math.abs))).toBeLessThanOrEqual(cb);
    expect(Math.max(...Array.from(conv.weight.data).map(Math.abs))).toBeGreaterThan(0.95 * cb);
  });
});

describe("Module.to and apply", () => {
  it("converts parameters to float32 in place and runs a float32 forward pass", () => {
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const w = model.parameters()[0];
    const before = Array.from(w.data);
    model.float();
    expect(model.parameters()[0]).toBe(w);
    expect(w.dtype).toBe("float32");
    expect(Array.from(w.data)).toEqual(before.map(Math.fround));
    const y = model.forward(randn([5, 3], { dtype: "float32" }));
    expect(y.dtype).toBe("float32");
    expect(() => model.forward(randn([5, 3]))).toThrow(/linear: input is float64 but a parameter is float32/);
    model.double();
    expect(w.dtype).toBe("float64");
  });

  it("apply visits every module, children first", () => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.Tanh()));
    const seen: string[] = [];
    model.apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(["Linear", "Tanh", "Sequential", "Sequential"]);
    model.apply((m) => m instanceof nn.Linear && nn.init.zeros_(m.weight));
    expect(Array.from(model.parameters()[0].data)).toEqual([0, 0, 0, 0]);
  });
});
