import { inspect } from "node:util";
import { displayBundle, inKernel } from "./kernel";
import { isDisplayable, jupyterDisplaySymbol, type MimeBundle } from "./mime";

/**
 * The mime bundle `x` renders as: its own Jupyter display method when it has one, a string as
 * plain text, anything else as `util.inspect` text (what tslab prints for a last expression).
 */
export function toMimeBundle(x: unknown): MimeBundle {
  if (isDisplayable(x)) {
    const result: unknown = x[jupyterDisplaySymbol]();
    if (typeof result === "object" && result !== null && !Array.isArray(result)) {
      return result as MimeBundle;
    }
    throw new Error(
      `display: the object's [Symbol.for("Jupyter.display")]() returned ${inspect(result)}; ` +
        `it must return a mime bundle such as {"text/plain": "…"}`,
    );
  }
  if (typeof x === "string") return { "text/plain": x };
  return { "text/plain": inspect(x, { depth: 4, colors: false }) };
}

/**
 * Shows `x` as a new output of the current cell. Outside a kernel it does nothing.
 */
export function display(x: unknown): void {
  // Outside a kernel nobody receives the bundle: do not even build it.
  if (!inKernel()) return;
  displayBundle(toMimeBundle(x));
}
