/**
 * A Jupyter mime bundle: mime type → value. JSON types (`application/*+json`) carry objects,
 * text types carry strings, as in a `display_data` message's `data`.
 */
export type MimeBundle = Record<string, unknown>;

/**
 * The Jupyter display protocol key shared by JavaScript kernels: an object whose method under this
 * symbol returns a mime bundle renders richly. `Symbol.for` makes it the same symbol in every
 * realm and every copy of this library, so the kernel can look it up without importing nnlab.
 */
export const jupyterDisplaySymbol: unique symbol = Symbol.for("Jupyter.display");

/** An object that knows how to render itself in a notebook. */
export interface Displayable {
  [jupyterDisplaySymbol](): MimeBundle;
}

/** Whether `x` has a Jupyter display method. */
export function isDisplayable(x: unknown): x is Displayable {
  return (
    (typeof x === "object" || typeof x === "function") && x !== null && typeof (x as Record<symbol, unknown>)[jupyterDisplaySymbol] === "function"
  );
}
