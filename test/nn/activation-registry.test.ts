import { describe, expect, it } from "vitest";
import { tensor, randn, seed } from "../../kernel-lib/src/index";
import { activation, activationNames, derivative as Fderivative } from "../../kernel-lib/src/functional/activations/registry";
import * as leakyRelu from "../../kernel-lib/src/functional/activations/leaky-relu";
import { Neuron } from "../../kernel-lib/src/nn/neuron";
import { Linear } from "../../kernel-lib/src/nn/linear";
import { Sequential } from "../../kernel-lib/src/nn/sequential";
import { activationDerivative, denseLayers, forwardPass } from "../../kernel-lib/src/nn/backprop";
import { calculateGain } from "../../kernel-lib/src/nn/init";

// One registry (functional/activations/index.ts) drives Neuron, backprop by hand and init: each of
// them must give, for every activation listed there, exactly what that activation's file says.
const zs = [-3, -0.5, 0, 0.25, 2];
const param = (name: string): number | undefined => (name === "leakyRelu" ? 0.2 : undefined);

describe("the activation registry", () => {
  it("lists the five activations, each with f, derivative, op, Module and gain", () => {
    expect(activationNames).toEqual(["sigmoid", "tanh", "relu", "leakyRelu", "linear"]);
    for (const name of activationNames) {
      const a = activation(name);
      for (const key of ["f", "derivative", "op", "Module", "gain"] as const) expect(typeof a[key], `${name}.${key}`).toBe("function");
    }
  });

  for (const name of activationNames) {
    const a = activation(name);
    it(`${name}: does Neuron apply its op, and does its op's backward give its derivative?`, () => {
      seed(5);
      const n = new Neuron(2, name);
      const x = tensor([
        [0.5, -1],
        [2, 1],
        [-1, -2],
      ]);
      const z = x.matmul(n.w).add(n.b);
      expect(Array.from(n.forward(x).data)).toEqual(Array.from(z.data).map((v) => a.f(v)));
      const t = tensor(zs, { requiresGrad: true });
      a.op(t, param(name)).sum().backward();
      const grad = Array.from(t.grad!.data);
      zs.forEach((v, i) => expect(grad[i]).toBeCloseTo(a.derivative(v, param(name)), 12));
      zs.forEach((v, i) => expect(a.op(tensor(zs), param(name)).data[i]).toBeCloseTo(a.f(v, param(name)), 12));
    });

    it(`${name}: does backprop by hand read its layer, σ and σ′ from the registry?`, () => {
      seed(6);
      const model = new Sequential(new Linear(3, 4), new a.Module(param(name)), new Linear(4, 1));
      const layers = denseLayers(model);
      expect(layers.map((l) => l.activation)).toEqual([name, "linear"]);
      expect(layers[0].negativeSlope).toBe(param(name));
      const fwd = forwardPass(model, randn([5, 3]));
      expect(Array.from(fwd.a[0].data)).toEqual(Array.from(fwd.z[0].data).map((v) => a.f(v, param(name))));
      const d = activationDerivative(layers[0], fwd.z[0]);
      expect(Array.from(d.data)).toEqual(Array.from(fwd.z[0].data).map((v) => a.derivative(v, param(name))));
      expect(Fderivative[name](0.3, param(name))).toBe(a.derivative(0.3, param(name)));
    });

    it(`${name}: does init's calculateGain read its gain, and does it match PyTorch's calculate_gain?`, () => {
      const torch: Record<string, number> = { sigmoid: 1, tanh: 5 / 3, relu: Math.SQRT2, leakyRelu: Math.sqrt(2 / (1 + 0.2 ** 2)), linear: 1 };
      expect(calculateGain(name, param(name))).toBe(a.gain(param(name)));
      expect(calculateGain(name, param(name))).toBeCloseTo(torch[name], 15);
    });
  }

  it("derivatives agree with central differences of f", () => {
    for (const name of activationNames) {
      const a = activation(name);
      for (const z of [-2.5, -0.7, 0.4, 1.9]) {
        const h = 1e-6;
        const fd = (a.f(z + h, param(name)) - a.f(z - h, param(name))) / (2 * h);
        expect(a.derivative(z, param(name)), `${name} at ${z}`).toBeCloseTo(fd, 6);
      }
    }
  });

  it("still takes PyTorch's spelling leaky_relu in init, and names the registry in Neuron's error", () => {
    expect(calculateGain("leaky_relu", 0.2)).toBe(leakyRelu.gain(0.2));
    expect(() => new Neuron(2, "softsign" as never)).toThrow(/unknown "softsign"; use "sigmoid", "tanh", "relu", "leakyRelu", "linear"/);
  });
});
