/**
 * Sequential: layers applied in order, named "0", "1", … (or by the keys of an object, like
 * PyTorch's OrderedDict form): `new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1))`.
 */
import type { Tensor } from "../tensor/tensor";
import { Module } from "./module";

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
    let h = x;
    for (const m of this.layers()) h = m.forward(h);
    return h;
  }
}
