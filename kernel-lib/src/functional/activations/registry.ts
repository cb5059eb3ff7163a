/** Looking an activation up by name in the registry (activations/index.ts). */
import type { Activation } from "./activation";
import * as registry from "./index";

/** The activations' names: "sigmoid", "tanh", "relu", "leakyRelu", "linear". */
export type ActivationName = keyof typeof registry;

// Every file in the registry must export what an Activation is: checked here, at compile time.
const activations: Record<ActivationName, Activation> = registry;

export const activationNames: ActivationName[] = Object.keys(activations) as ActivationName[];

export function isActivationName(name: string): name is ActivationName {
  return Object.hasOwn(activations, name);
}

/** The activation called `name`; `what` names the caller for the error message. */
export function activation(name: ActivationName, what: string = "activation"): Activation {
  if (!isActivationName(name)) {
    throw new Error(`${what}: unknown activation ${JSON.stringify(name)}; use one of ${activationNames.map((n) => JSON.stringify(n)).join(", ")}.`);
  }
  return activations[name];
}

/** σ′ of each activation as a plain function of z (F.derivative), for plots and backprop by hand. */
export const derivative: Record<ActivationName, (z: number, param?: number) => number> = Object.fromEntries(
  activationNames.map((name) => [name, activations[name].derivative]),
) as Record<ActivationName, (z: number, param?: number) => number>;
