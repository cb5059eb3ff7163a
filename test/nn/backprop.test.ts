import { describe, expect, it } from "vitest";
import { gradcheck, tensor } from "../../kernel-lib/src/index";
import * as nn from "../../kernel-lib/src/nn/index";
import { expectClose, fixture, flat } from "./helpers";
import { describeEachBackend } from "../helpers/backends";

/** The article's 2-2-2 network and PyTorch's values for it (scripts/torch_fixtures). */
interface BackpropFixture {
  x: number[];
  target: number[];
  W: number[][][];
  b: number[][];
  cost: number;
  z: number[][];
  a: number[][];
  delta: number[][];
  gradW: number[][][];
  gradB: number[][];
  x00_output: number[];
}
const fx = fixture<BackpropFixture>("nn_backprop.json");

/** The article's 2-2-2-2 sigmoid network (anchors.md §5), weights as rows = neurons. */
function leeNetwork(): nn.Sequential {
  const model = new nn.Sequential(
    new nn.Linear(2, 2),
    new nn.Sigmoid(),
    new nn.Linear(2, 2),
    new nn.Sigmoid(),
    new nn.Linear(2, 2),
    new nn.Sigmoid(),
  );
  const state: Record<string, { shape: number[]; data: number[] }> = {};
  fx.W.forEach((w: number[][], l: number) => {
    state[`${2 * l}.weight`] = { shape: [2, 2], data: flat(w) };
    state[`${2 * l}.bias`] = { shape: [2], data: fx.b[l] };
  });
  model.loadStateDict(state);
  return model;
}

describeEachBackend("the article's 2-2-2-2 network: manual δ, autograd and PyTorch agree", () => {
  const model = leeNetwork();
  const x = tensor([1, -1]);
  const target = tensor([1, 0]);
  const fwd = nn.forwardPass(model, x);
  const { cost, dCdy } = nn.halfSquaredError(fwd.output, target);
  const bwd = nn.backwardPass(fwd, dCdy);

  it("forward: a¹ ≈ (0.98, 0.12), a² ≈ (0.86, 0.11), a³ ≈ (0.62, 0.83), equal to PyTorch's", () => {
    const rounded = fwd.a.map((a) => Array.from(a.data, (v) => Math.round(v * 100) / 100));
    expect(rounded).toEqual([
      [0.98, 0.12],
      [0.86, 0.11],
      [0.62, 0.83],
    ]);
    for (let l = 0; l < 3; l++) {
      expectClose(fwd.z[l].data, fx.z[l], `z${l + 1}`);
      expectClose(fwd.a[l].data, fx.a[l], `a${l + 1}`);
    }
    expectClose(nn.forwardPass(model, tensor([0, 0])).output.data, fx.x00_output, "output for x = (0, 0)");
    expect(Array.from(nn.forwardPass(model, tensor([0, 0])).output.data, (v) => Math.round(v * 100) / 100)).toEqual([0.51, 0.85]);
  });

  it("backward: δ per layer and a·δ gradients equal anchors.md §5 and PyTorch", () => {
    expect(cost).toBeCloseTo(0.416798, 6);
    expectClose([cost], [fx.cost], "C");
    const anchorDelta = [
      [-0.003565, -0.000987],
      [-0.045763, 0.055161],
      [-0.090277, 0.117468],
    ];
    for (let l = 0; l < 3; l++) {
      expectClose(bwd.delta[l].data, fx.delta[l], `δ${l + 1}`);
      expectClose(bwd.delta[l].data, anchorDelta[l], `δ${l + 1} (anchors, 6 decimals)`, 0, 5e-7);
      expectClose(bwd.gradWeight[l].data, flat(fx.gradW[l]), `∂C/∂W${l + 1}`);
      expectClose(bwd.gradBias[l].data, fx.gradB[l], `∂C/∂b${l + 1}`);
      expect(bwd.gradWeight[l].shape).toEqual([2, 2]);
    }
    expectClose(bwd.gradWeight[2].data, [-0.077956, -0.009997, 0.101436, 0.013008], "∂C/∂W3 (anchors)", 0, 5e-7);
  });

  it("each weight's gradient is the input a it multiplies times the δ of the unit it feeds", () => {
    for (let l = 0; l < 3; l++) {
      const aPrev = l === 0 ? [1, -1] : Array.from(fwd.a[l - 1].data);
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 2; k++) {
          expect(bwd.gradWeight[l].data[j * 2 + k]).toBe(aPrev[k] * bwd.delta[l].data[j]);
        }
    }
  });

  it("autograd on the same model gives the same gradients, and retained z gradients are the δ", () => {
    const y = model.forward(x);
    const C = y.sub(target).square().sum().mul(0.5);
    model.zeroGrad();
    C.backward();
    const grads = model.namedParameters();
    for (let l = 0; l < 3; l++) {
      expectClose(grads[2 * l][1].grad!.data, bwd.gradWeight[l].data, `autograd ∂C/∂W${l + 1}`, 1e-12, 1e-15);
      expectClose(grads[2 * l + 1][1].grad!.data, bwd.gradBias[l].data, `autograd ∂C/∂b${l + 1}`, 1e-12, 1e-15);
    }
    // Finite differences on the first layer's weights agree to 1e-6 as anchors.md says.
    const w1 = grads[0][1];
    const r = gradcheck(
      (w) =>
        nn
          .linear(nn.linear(nn.linear(x, w, grads[1][1]).sigmoid(), grads[2][1], grads[3][1]).sigmoid(), grads[4][1], grads[5][1])
          .sigmoid()
          .sub(target)
          .square()
          .sum()
          .mul(0.5),
      [w1.detach().clone()],
      { atol: 1e-8 },
    );
    expectClose(r.inputs[0].numeric, Array.from(bwd.gradWeight[0].data), "finite differences ∂C/∂W1", 0, 1e-8);
  });

  it("the reverse neuron: ∂C/∂z = σ′(z)(w₃ ∂C/∂z′ + w₄ ∂C/∂z″) reproduces δ² from δ³", () => {
    // Unit 1 of layer 2 feeds both units of layer 3 through W³[0][0] = 3 and W³[1][0] = −1.
    const d = nn.reverseNeuron({ dCdzNext: Array.from(bwd.delta[2].data), weights: [fx.W[2][0][0], fx.W[2][1][0]], z: fwd.z[1].data[0] });
    expect(d).toBeCloseTo(bwd.delta[1].data[0], 15);
    expect(() => nn.reverseNeuron({ dCdzNext: [1, 2], weights: [1], z: 0 })).toThrow(/one weight per next-layer unit/);
  });

  it("a batch of inputs sums the weight gradients over samples", () => {
    const xb = tensor([
      [1, -1],
      [0, 0],
    ]);
    const tb = tensor([
      [1, 0],
      [0, 1],
    ]);
    const f = nn.forwardPass(model, xb);
    const b = nn.backwardPass(f, nn.halfSquaredError(f.output, tb).dCdy);
    model.zeroGrad();
    model.forward(xb).sub(tb).square().sum().mul(0.5).backward();
    expectClose(model.parameters()[0].grad!.data, b.gradWeight[0].data, "batch ∂C/∂W1", 1e-12, 1e-15);
    expectClose(model.parameters()[5].grad!.data, b.gradBias[2].data, "batch ∂C/∂b3", 1e-12, 1e-15);
  });

  it("prints the records as a table a notebook can show", () => {
    expect(nn.backpropTable(fwd, bwd)).toBe(
      [
        "layer  z                  a                 δ = ∂C/∂z",
        "1      (4.0000, -2.0000)  (0.9820, 0.1192)  (-0.003565, -0.000987)",
        "2      (1.8448, -2.0832)  (0.8635, 0.1107)  (-0.045763, 0.055161)",
        "3      (0.4798, 1.5794)   (0.6177, 0.8291)  (-0.090277, 0.117468)",
      ].join("\n"),
    );
  });

  it("rejects layers outside the article's view with a clear message", () => {
    expect(() => nn.denseLayers(new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout()))).toThrow(/layer 1 is Dropout/);
  });
});

describe("Neuron", () => {
  it("z = w·x + b and a = σ(z), kept after forward", () => {
    const n = new nn.Neuron(2, "sigmoid");
    n.w.data.set([1, -2]);
    n.b.data[0] = 1;
    const a = n.forward(tensor([1, -1]));
    expect(n.z!.item()).toBe(4);
    expect(a.item()).toBeCloseTo(0.9820137900379085, 15);
    expect(
      n.forward(
        tensor([
          [1, -1],
          [0, 0],
        ]),
      ).shape,
    ).toEqual([2]);
    expect(n.namedParameters().map(([k]) => k)).toEqual(["w", "b"]);
    expect(n.toString()).toBe("Neuron(n_in=2, activation=sigmoid)");
  });
});
