/**
 * Sequential: layers applied in order, named "0", "1", … (or by the keys of an object, like
 * PyTorch's OrderedDict form): `new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1))`.
 */
import type { Tensor } from "../tensor/tensor";
import { convReluMaxPool2d } from "../functional/conv-block";
import { Module } from "./module";
import { Conv2d } from "./conv";
import { ReLU } from "../functional/activations/relu";
import { MaxPool2d } from "./pool";

export class Sequential extends Module {
  constructor(...layers: Module[] | [Record<string, Module>]) {
    super();
    const first = layers[0];
    if (layers.length === 1 && !(first instanceof Module) && typeof first === "object") {
      for (const [name, m] of Object.entries(first as Record<string, Module>)) this.add(name, m);
    } else {
      (layers as Module[]).forEach((m) => this.append(m));
    }
  }

  private add(name: string, m: Module): void {
    if (!(m instanceof Module)) throw new TypeError(`Sequential: layer "${name}" is not a Module (got ${typeof m}).`);
    if (name.startsWith("_") || name in this) throw new Error(`Sequential: the layer name "${name}" is reserved or used twice.`);
    (this as unknown as Record<string, Module>)[name] = m;
  }

  /** Adds a layer at the end, named by its position. */
  append(m: Module): this {
    this.add(String(this.length), m);
    return this;
  }

  /** The layers in order. */
  layers(): Module[] {
    return this.children();
  }

  get length(): number {
    return this.namedChildren().length;
  }

  /** Layer i (negative counts from the end), like `model[i]`. */
  get(i: number): Module {
    const ls = this.layers();
    const k = i < 0 ? ls.length + i : i;
    if (k < 0 || k >= ls.length) throw new RangeError(`Sequential.get(${i}): there are ${ls.length} layers.`);
    return ls[k];
  }

  forward(x: Tensor): Tensor {
    const layers = this.layers();
    let h = x;
    for (let i = 0; i < layers.length; i++) {
      // Conv2d → ReLU → MaxPool2d(2) as one fused op where it gives the same values (a first
      // layer on the SIMD paths: functional/conv-block.ts); the block's inner tensors are not
      // visible from a Sequential anyway, only its output.
      const fused = i + 2 < layers.length ? convBlock(layers[i], layers[i + 1], layers[i + 2], h) : null;
      if (fused) {
        h = fused;
        i += 2;
      } else {
        h = layers[i].forward(h);
      }
    }
    return h;
  }
}

/** The fused block's output, or null unless the three layers are exactly Conv2d(stride 1, no padding), ReLU, MaxPool2d(2). */
function convBlock(a: Module, b: Module, c: Module, x: Tensor): Tensor | null {
  // Exact classes: a subclass may have its own forward.
  if (a.constructor !== Conv2d || b.constructor !== ReLU || c.constructor !== MaxPool2d) return null;
  const conv = a as Conv2d,
    pool = c as MaxPool2d;
  if (conv.stride !== 1 || conv.padding !== 0 || pool.kernelSize !== 2 || pool.stride !== 2 || pool.padding !== 0) return null;
  return convReluMaxPool2d(x, conv.weight, conv.bias);
}
