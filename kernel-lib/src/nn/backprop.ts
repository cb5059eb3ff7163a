/**
 * Backpropagation the way the article computes it, layer by layer and by hand, next to autograd.
 *
 * Forward pass (前向传播): for each layer l, z^l = W^l a^{l−1} + b^l and a^l = σ(z^l), with a^0 = x.
 *   ∂z/∂w is the input a that the weight multiplies: recorded here as `a[l − 1]`.
 * Backward pass (后向传播): δ^l = ∂C/∂z^l, from the output backwards:
 *   δ^L = σ′(z^L) ⊙ ∂C/∂a^L,       δ^l = σ′(z^l) ⊙ (W^{l+1})ᵀ δ^{l+1},
 * each hidden unit being a "reverse neuron": its inputs are the next layer's ∂C/∂z, its weights
 * are the weights that leave the unit, and its output is multiplied by σ′(z) (a constant once the
 * forward pass is done).
 * Gradients: ∂C/∂W^l = δ^l (a^{l−1})ᵀ (each weight's gradient is its input a times the δ of the unit
 * it feeds) and ∂C/∂b^l = δ^l.
 *
 * Everything is computed without autograd (inside noGrad), so that the notebook can show the two
 * agree. Inputs may be one sample [in] or a batch [N, in]; for a batch the weight gradients are
 * summed over the samples (the cost is then a sum over the batch).
 */
import { Tensor } from "../tensor/tensor";
import { noGrad } from "../autograd/mode";
import { fmtShape, ShapeError } from "../tensor/shape";
import { type ActivationName, activation, activationNames } from "../functional/activations/registry";
import { derivative as sigmoidDerivative } from "../functional/activations/sigmoid";
import { map1 } from "../ops/unary";
import type { Module } from "./module";
import { Linear } from "./linear";
import { Sequential } from "./sequential";

/** The activation after a dense layer: a name from the registry (functional/activations/). */
export type DenseActivation = ActivationName;

/** One fully connected layer as the article draws it: weights W [out, in] (row = neuron), bias b, activation σ. */
export interface DenseLayer {
  weight: Tensor;
  bias: Tensor | null;
  activation: DenseActivation;
  /** The activation's parameter where it has one: the slope of leakyRelu for negative z. */
  negativeSlope?: number;
}

/** What the forward pass saw: for layer l (0-based here), z[l] and a[l]; `input` is a^0 = x. */
export interface ForwardRecord {
  layers: DenseLayer[];
  input: Tensor;
  z: Tensor[];
  a: Tensor[];
  /** The network's output a^L. */
  output: Tensor;
}

/** What the backward pass computed: delta[l] = ∂C/∂z[l], and each layer's weight and bias gradients. */
export interface BackwardRecord {
  delta: Tensor[];
  gradWeight: Tensor[];
  gradBias: Tensor[];
}

/** The registry's layers other than Identity, as a list for messages: "Sigmoid, Tanh, ReLU or LeakyReLU". */
function layerList(): string {
  const names = activationNames.filter((n) => n !== "linear").map((n) => activation(n).Module.name);
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** The registry entry whose layer `m` is, if any. */
function activationOf(m: Module | undefined): ActivationName | null {
  if (m === undefined) return null;
  for (const name of activationNames) if (m instanceof activation(name).Module) return name;
  return null;
}

/** Reads a Sequential of Linear layers, each optionally followed by an activation layer (Sigmoid, Tanh, ReLU, LeakyReLU…), as dense layers. */
export function denseLayers(model: Sequential | Module[]): DenseLayer[] {
  const mods = Array.isArray(model) ? model : model.layers();
  const out: DenseLayer[] = [];
  for (let i = 0; i < mods.length; i++) {
    const m = mods[i];
    if (!(m instanceof Linear)) {
      throw new Error(
        `denseLayers: layer ${i} is ${m.constructor.name}; the article's layer-by-layer view needs Linear layers, each optionally ` +
          `followed by ${layerList()}.`,
      );
    }
    const next = mods[i + 1];
    const found = activationOf(next);
    if (found === null && next !== undefined && !(next instanceof Linear)) {
      throw new Error(`denseLayers: layer ${i + 1} is ${next.constructor.name}, which the article's view does not cover (use ${layerList()}).`);
    }
    const act: DenseActivation = found ?? "linear";
    const paramOf = activation(act).paramOf;
    const negativeSlope = found !== null && paramOf !== undefined ? paramOf(next as Module) : undefined;
    if (found !== null) i++;
    out.push({ weight: m.weight, bias: m.bias, activation: act, ...(negativeSlope !== undefined ? { negativeSlope } : {}) });
  }
  return out;
}

function activate(layer: DenseLayer, z: Tensor): Tensor {
  const { f } = activation(layer.activation);
  return new Tensor(
    map1(z, (v) => f(v, layer.negativeSlope)),
    z.shape,
  );
}

/** σ′(z) for the layer's activation (the constant that multiplies each reverse neuron). */
export function activationDerivative(layer: DenseLayer, z: Tensor): Tensor {
  const { derivative } = activation(layer.activation);
  return new Tensor(
    map1(z, (v) => derivative(v, layer.negativeSlope)),
    z.shape,
  );
}

function asLayers(model: Sequential | DenseLayer[]): DenseLayer[] {
  return model instanceof Sequential ? denseLayers(model) : model;
}

/** Runs the network and keeps every layer's z and a. */
export function forwardPass(model: Sequential | DenseLayer[], x: Tensor): ForwardRecord {
  const layers = asLayers(model);
  return noGrad(() => {
    const z: Tensor[] = [];
    const a: Tensor[] = [];
    let prev = x.detach();
    for (const [l, layer] of layers.entries()) {
      const inF = layer.weight.shape[1];
      if (prev.shape[prev.ndim - 1] !== inF) {
        throw new ShapeError(`forwardPass: layer ${l + 1} expects ${inF} inputs but receives ${fmtShape(prev.shape)}.`);
      }
      // z = W a + b for one sample; a batch [N, in] gives z = a Wᵀ + b, row n being sample n.
      let zl = prev.matmul(layer.weight.detach().T);
      if (layer.bias) zl = zl.add(layer.bias.detach());
      z.push(zl);
      prev = activate(layer, zl);
      a.push(prev);
    }
    return { layers, input: x.detach(), z, a, output: prev };
  });
}

/**
 * Runs the backward pass from ∂C/∂a^L (the derivative of the cost with respect to the network's
 * output, e.g. y − ŷ for C = ½‖y − ŷ‖²).
 */
export function backwardPass(fwd: ForwardRecord, dCdOutput: Tensor): BackwardRecord {
  const L = fwd.layers.length;
  if (dCdOutput.size !== fwd.output.size) {
    throw new ShapeError(`backwardPass: ∂C/∂output has shape ${fmtShape(dCdOutput.shape)} but the output has ${fmtShape(fwd.output.shape)}.`);
  }
  return noGrad(() => {
    const delta: Tensor[] = new Array(L);
    const gradWeight: Tensor[] = new Array(L);
    const gradBias: Tensor[] = new Array(L);
    let upstream = dCdOutput.detach().reshape(fwd.output.shape); // ∂C/∂a^l
    for (let l = L - 1; l >= 0; l--) {
      const layer = fwd.layers[l];
      const d = activationDerivative(layer, fwd.z[l]).mul(upstream);
      delta[l] = d;
      const aPrev = l === 0 ? fwd.input : fwd.a[l - 1];
      if (d.ndim === 1) {
        gradWeight[l] = d.outer(aPrev); // δ_j · a_k: row j = neuron j, column k = its input k
        gradBias[l] = d;
      } else {
        gradWeight[l] = d.T.matmul(aPrev); // Σ over samples of δ aᵀ
        gradBias[l] = d.sum(0);
      }
      // (W^{l})ᵀ δ^{l}: every unit below sums the δ of the units it feeds, weighted by the connecting weights.
      upstream = d.ndim === 1 ? layer.weight.detach().T.matmul(d) : d.matmul(layer.weight.detach());
    }
    return { delta, gradWeight, gradBias };
  });
}

/** The article's C = ½‖y − ŷ‖² and its derivative ∂C/∂y = y − ŷ (summed over a batch). */
export function halfSquaredError(y: Tensor, target: Tensor): { cost: number; dCdy: Tensor } {
  return noGrad(() => {
    const diff = y.detach().sub(target.detach());
    return { cost: 0.5 * diff.square().sum().item(), dCdy: diff };
  });
}

/**
 * The "reverse neuron" of the article's backward pass for one hidden unit with activation input z:
 *   ∂C/∂z = σ′(z) · (w₃ · ∂C/∂z′ + w₄ · ∂C/∂z″)
 * where z′, z″ are the units this one feeds and w₃, w₄ the weights on those connections. Any number
 * of next-layer units works (`weights[i]` pairs with `dCdzNext[i]`).
 */
export function reverseNeuron(options: { dCdzNext: number[]; weights: number[]; z: number; derivative?: (z: number) => number }): number {
  const { dCdzNext, weights, z } = options;
  if (dCdzNext.length !== weights.length) {
    throw new Error(`reverseNeuron: ${dCdzNext.length} values of ∂C/∂z′ but ${weights.length} weights; give one weight per next-layer unit.`);
  }
  const sigmaPrime = options.derivative ?? sigmoidDerivative;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i] * dCdzNext[i];
  return sigmaPrime(z) * sum;
}

/**
 * The records as a text table, one row per layer (one sample: a batch shows its first row):
 *   layer  z                  a                  δ = ∂C/∂z
 *   1      (4.0000, -2.0000)  (0.9820, 0.1192)   (-0.003565, -0.000987)
 */
export function backpropTable(fwd: ForwardRecord, bwd?: BackwardRecord, digits: number = 4): string {
  const vec = (t: Tensor, d: number): string => {
    const n = t.shape[t.ndim - 1];
    return `(${Array.from(t.data.subarray(0, n), (v) => v.toFixed(d)).join(", ")})`;
  };
  const header = ["layer", "z", "a", ...(bwd ? ["δ = ∂C/∂z"] : [])];
  const rows = fwd.z.map((z, l) => [String(l + 1), vec(z, digits), vec(fwd.a[l], digits), ...(bwd ? [vec(bwd.delta[l], digits + 2)] : [])]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, j) => c.padEnd(widths[j]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
