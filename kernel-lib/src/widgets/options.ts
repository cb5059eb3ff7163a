/**
 * Constructor options: camelCase names in TypeScript (`readoutFormat`), snake_case state keys
 * on the wire (`readout_format`), as ipywidgets names them. Unknown names are errors, so a typo
 * (`vaule`) fails loudly instead of being ignored.
 */
import { inspect } from "node:util";

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The state patch for `options` (undefined values skipped). `known` lists the option names the
 * class takes besides the ones it handles itself (`handled`: layout, style…).
 */
export function optionsToState(
  className: string,
  options: object | undefined,
  known: readonly string[],
  handled: readonly string[] = [],
): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${className}: options must be an object such as { value: 0.5, description: "lr" }, got ${inspect(options)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (handled.includes(name)) continue;
    if (!known.includes(name)) {
      throw new Error(`${className}: unknown option "${name}"; it takes ${[...known, ...handled].join(", ")}`);
    }
    if (value !== undefined) out[snakeCase(name)] = value;
  }
  return out;
}

export function requireNumber(className: string, name: string, value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${className}: ${name} must be a number, got ${inspect(value)}`);
  }
  return value;
}

export function requireInteger(className: string, name: string, value: unknown): number {
  const n = requireNumber(className, name, value);
  if (!Number.isInteger(n)) throw new TypeError(`${className}: ${name} must be an integer, got ${n} (use FloatSlider for fractions)`);
  return n;
}

export function requireString(className: string, name: string, value: unknown): string {
  if (typeof value !== "string") throw new TypeError(`${className}: ${name} must be a string, got ${inspect(value)}`);
  return value;
}

export function requireBoolean(className: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${className}: ${name} must be true or false, got ${inspect(value)}`);
  return value;
}
