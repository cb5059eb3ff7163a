/**
 * Weight initialisation, in place, every draw from the seeded generator (so `seed(n)` fixes it).
 *
 * PyTorch's default for Linear and Conv (reset_parameters): weight ~ kaiming_uniform(a = √5), whose
 * bound works out to 1/√fan_in, and bias ~ U(−1/√fan_in, 1/√fan_in). The draws are not PyTorch's
 * (a different random generator), the distributions are.
 */
import type { Tensor } from "../tensor/tensor";
import { defaultGenerator, type Generator } from "../tensor/random";
import { type ActivationName, activation, isActivationName } from "../functional/activations/registry";

/** fan_in and fan_out of a weight: [out, in] for Linear, [out, in, k…] for Conv (receptive field multiplies). */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new Error(`init: fan in/out needs a weight with at least 2 dimensions, got shape [${t.shape}].`);
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i];
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/** U(low, high). */
export function uniform_(t: Tensor, low: number = 0, high: number = 1, generator: Generator = defaultGenerator): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = generator.uniform(low, high);
  return t;
}

/** N(mean, std²). */
export function normal_(t: Tensor, mean: number = 0, std: number = 1, generator: Generator = defaultGenerator): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = mean + std * generator.normal();
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** An activation's name in the registry, or PyTorch's spelling "leaky_relu". */
export type Nonlinearity = ActivationName | "leaky_relu";

/** PyTorch's calculate_gain, read from the activation registry (functional/activations/). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  const name = nonlinearity === "leaky_relu" ? "leakyRelu" : nonlinearity;
  if (isActivationName(name)) return activation(name).gain(param);
  throw new Error(`calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}.`);
}

/** He uniform: U(−b, b), b = gain·√(3/fan_in); gain for leaky_relu with slope a (PyTorch's defaults a = 0, leaky_relu). */
export function kaimingUniform_(t: Tensor, options: { a?: number; nonlinearity?: Nonlinearity; generator?: Generator } = {}): Tensor {
  const gain = calculateGain(options.nonlinearity ?? "leaky_relu", options.a ?? 0);
  const bound = gain * Math.sqrt(3 / fans(t).fanIn);
  return uniform_(t, -bound, bound, options.generator);
}

/** He normal: N(0, (gain/√fan_in)²). */
export function kaimingNormal_(t: Tensor, options: { a?: number; nonlinearity?: Nonlinearity; generator?: Generator } = {}): Tensor {
  const gain = calculateGain(options.nonlinearity ?? "leaky_relu", options.a ?? 0);
  return normal_(t, 0, gain / Math.sqrt(fans(t).fanIn), options.generator);
}

/** Glorot uniform: U(−b, b), b = gain·√(6/(fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, gain: number = 1, generator: Generator = defaultGenerator): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, generator);
}

/** Glorot normal: N(0, gain²·2/(fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain: number = 1, generator: Generator = defaultGenerator): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/** What Linear and Conv do at construction: weight kaiming_uniform(a = √5) = U(±1/√fan_in), then bias U(±1/√fan_in). */
export function defaultInit(weight: Tensor, bias: Tensor | null, generator: Generator = defaultGenerator): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const fanIn = fans(weight).fanIn;
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, generator);
  }
}
