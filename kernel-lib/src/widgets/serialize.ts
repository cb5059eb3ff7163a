/**
 * Widget state on the wire (ipywidgets' protocol 2.x): binary values travel as separate buffers
 * named by `buffer_paths` (the key path of each inside the state), references to other widgets as
 * `"IPY_MODEL_<model id>"` strings.
 */

/** A state key path: object keys and array indices. */
export type BufferPath = (string | number)[];

/** Anything that has a model id: a widget, as far as serialization is concerned. */
export interface ModelRef {
  readonly modelId: string;
}

export const modelRefPrefix = "IPY_MODEL_";

function isBinary(x: unknown): x is ArrayBuffer | ArrayBufferView {
  return x instanceof ArrayBuffer || ArrayBuffer.isView(x);
}

function isModelRef(x: unknown): x is ModelRef {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as { modelId?: unknown }).modelId === "string" &&
    typeof (x as { [refMarker]?: unknown })[refMarker] === "boolean"
  );
}

/** Marks objects that serialize as `IPY_MODEL_…` (widgets set it on their prototype). */
export const refMarker: unique symbol = Symbol("nnlab.widget");

/**
 * JSON-ready state plus the buffers cut out of it. Widgets become references; binary values
 * leave the tree (deleted from objects, null in arrays, as ipywidgets' `_remove_buffers` does)
 * and are listed in `buffers` with their paths in `bufferPaths`, in the same order.
 */
export function toWire(state: Record<string, unknown>): {
  state: Record<string, unknown>;
  bufferPaths: BufferPath[];
  buffers: (ArrayBuffer | ArrayBufferView)[];
} {
  const bufferPaths: BufferPath[] = [];
  const buffers: (ArrayBuffer | ArrayBufferView)[] = [];
  const walk = (x: unknown, path: BufferPath): unknown => {
    if (isModelRef(x)) return modelRefPrefix + x.modelId;
    if (Array.isArray(x)) {
      return x.map((v, i) => {
        if (isBinary(v)) {
          bufferPaths.push([...path, i]);
          buffers.push(v);
          return null;
        }
        return walk(v, [...path, i]);
      });
    }
    if (typeof x === "object" && x !== null && !isBinary(x)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        if (isBinary(v)) {
          bufferPaths.push([...path, k]);
          buffers.push(v);
        } else out[k] = walk(v, [...path, k]);
      }
      return out;
    }
    return x;
  };
  return { state: walk(state, []) as Record<string, unknown>, bufferPaths, buffers };
}

/** Puts the buffers of an incoming message back at their paths (a state from the front end). */
export function putBuffers(state: Record<string, unknown>, bufferPaths: unknown, buffers: Uint8Array[]): void {
  if (!Array.isArray(bufferPaths)) return;
  bufferPaths.forEach((path: unknown, i) => {
    if (!Array.isArray(path) || path.length === 0 || i >= buffers.length) return;
    let obj: Record<string | number, unknown> = state;
    for (const key of path.slice(0, -1) as (string | number)[]) {
      const next = obj[key];
      if (typeof next !== "object" || next === null) return;
      obj = next as Record<string | number, unknown>;
    }
    obj[path[path.length - 1] as string | number] = buffers[i];
  });
}
