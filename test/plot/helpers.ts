/** Every path in a JSON value where a typed array, a non-finite number or undefined hides. */
export function jsonProblems(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (value === undefined) return [`${path} is undefined`];
  if (value === null || typeof value !== "object") return [];
  if (ArrayBuffer.isView(value)) return [`${path} is a ${value.constructor.name}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonProblems(v, `${path}[${i}]`));
  if (Object.getPrototypeOf(value) !== Object.prototype) return [`${path} is a ${value.constructor.name}`];
  return Object.entries(value).flatMap(([k, v]) => jsonProblems(v, `${path}.${k}`));
}
