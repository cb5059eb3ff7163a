/**
 * Module: the base of every layer and network, with PyTorch's interface (parameters(),
 * namedParameters(), train()/eval(), zeroGrad(), stateDict()/loadStateDict(), a model print).
 *
 * Sub-modules and parameters are found by looking at the object's own properties, in the order they
 * were assigned (PyTorch does the same through __setattr__), so a network is written as
 *
 *   class Net extends Module {
 *     fc1 = new Linear(2, 4);
 *     fc2 = new Linear(4, 1);
 *     forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x).tanh()); }
 *   }
 *
 * A property is a parameter when it holds a leaf tensor with requiresGrad (what `parameter()`
 * makes), a sub-module when it holds a Module, and arrays of modules count too ("layers.0.weight").
 * Properties whose name starts with "_" are private state (caches of the last forward pass) and are
 * never registered.
 */
import { inspectCustom, jupyterDisplay } from "../tensor/symbols";
import type { Tensor } from "../tensor/tensor";
import { isTensor } from "../tensor/is-tensor";
import { fmtShape, sameShape } from "../tensor/shape";
import { allocate, checkDType, type DType } from "../tensor/dtype";

/** A parameter as saved by stateDict(): plain numbers, so JSON.stringify works on it. */
export interface SavedTensor {
  shape: number[];
  data: number[];
}
export type StateDict = Record<string, SavedTensor>;

/** Marks a tensor as a trainable parameter (a leaf that requires grad), as `nn.Parameter` does. */
export function parameter(t: Tensor): Tensor {
  if (!t.isLeaf) {
    throw new Error(`parameter(): the tensor of shape ${fmtShape(t.shape)} was computed by an op; parameters must be leaves. Use t.detach() first.`);
  }
  t.requiresGrad = true;
  return t;
}

function isParameter(v: unknown): v is Tensor {
  return isTensor(v) && v.requiresGrad && v.isLeaf;
}

export abstract class Module {
  /** True in training mode (dropout active); switched by train() and eval(). */
  training: boolean = true;

  /** The layer's computation. Call it directly: `model.forward(x)` (or `model.call(x)`). */
  abstract forward(x: Tensor): Tensor;

  /** Same as forward(x), for readers used to PyTorch's `model(x)`. */
  call(x: Tensor): Tensor {
    return this.forward(x);
  }

  /** Direct sub-modules with their names, in assignment order. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, v] of Object.entries(this)) {
      if (key.startsWith("_")) continue;
      if (v instanceof Module) out.push([key, v]);
      else if (Array.isArray(v)) v.forEach((m, i) => m instanceof Module && out.push([`${key}.${i}`, m]));
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and all below it, depth first, with dotted names ("" for this one). */
  namedModules(prefix: string = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, m] of this.namedChildren()) out.push(...m.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** The parameters this module owns itself (not its children's), with local names. */
  protected ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [key, v] of Object.entries(this)) {
      if (key.startsWith("_")) continue;
      if (isParameter(v)) out.push([key, v]);
      else if (Array.isArray(v)) v.forEach((t, i) => isParameter(t) && out.push([`${key}.${i}`, t]));
    }
    return out;
  }

  /** Every parameter with its dotted name ("0.weight", "fc1.bias"), each tensor once. */
  namedParameters(prefix: string = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [mname, m] of this.namedModules(prefix)) {
      for (const [pname, p] of m.ownParameters()) {
        if (seen.has(p)) continue; // a shared layer appears once, under its first name
        seen.add(p);
        out.push([mname ? `${mname}.${pname}` : pname, p]);
      }
    }
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Total number of trainable numbers. */
  numParameters(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }

  /** Training mode (dropout on) for this module and all below it. Returns this, like PyTorch. */
  train(mode: boolean = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (dropout is the identity). */
  eval(): this {
    return this.train(false);
  }

  /** Calls fn on every module (children first, then this one, as PyTorch's apply), e.g. for a custom init. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Converts every parameter to `dtype` in place (same tensors, new storage), e.g. "float32" for
   * speed. Create the optimiser afterwards: its state is sized and typed from the parameters.
   */
  to(dtype: DType): this {
    checkDType(dtype);
    for (const p of this.parameters()) {
      if (p.dtype === dtype) continue;
      const d = allocate(dtype, p.size);
      d.set(p.data);
      p.data = d;
      p.grad = null;
    }
    return this;
  }
  float(): this {
    return this.to("float32");
  }
  double(): this {
    return this.to("float64");
  }

  /** Forget every parameter's gradient (they accumulate across backward() calls). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** A copy of every parameter's values, keyed by name; JSON-able. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.namedParameters()) out[name] = { shape: p.shape.slice(), data: Array.from(p.data) };
    return out;
  }

  /**
   * Copy values into the parameters (in place: optimisers holding them see the change).
   * `strict` (default) requires exactly the same names; shapes must always match.
   */
  loadStateDict(state: StateDict | Record<string, Tensor>, options: { strict?: boolean } = {}): void {
    const strict = options.strict ?? true;
    const params = new Map(this.namedParameters());
    if (strict) {
      const missing = [...params.keys()].filter((k) => !(k in state));
      const unexpected = Object.keys(state).filter((k) => !params.has(k));
      if (missing.length || unexpected.length) {
        throw new Error(
          `loadStateDict: the names do not match this ${this.constructor.name}` +
            (missing.length ? `; missing: ${missing.join(", ")}` : "") +
            (unexpected.length ? `; unexpected: ${unexpected.join(", ")}` : "") +
            ". Pass { strict: false } to load the names that match.",
        );
      }
    }
    for (const [name, saved] of Object.entries(state)) {
      const p = params.get(name);
      if (!p) continue;
      if (!sameShape(saved.shape, p.shape)) {
        throw new Error(`loadStateDict: "${name}" has shape ${fmtShape(p.shape)} in the model but ${fmtShape(saved.shape)} in the state dict.`);
      }
      const src = isTensor(saved) ? saved.data : saved.data;
      if (src.length !== p.size) throw new Error(`loadStateDict: "${name}" holds ${src.length} values, expected ${p.size}.`);
      for (let i = 0; i < p.size; i++) p.data[i] = src[i];
    }
  }

  /** The part inside the parentheses of this module's print, e.g. "in_features=2, out_features=3, bias=True". */
  extraRepr(): string {
    return "";
  }

  /** The model print, in PyTorch's format. */
  toString(): string {
    const children = this.namedChildren();
    const name = this.constructor.name;
    const extra = this.extraRepr();
    if (children.length === 0) return `${name}(${extra})`;
    const lines: string[] = [];
    if (extra) lines.push(...extra.split("\n"));
    for (const [key, m] of children) lines.push(`(${key}): ${indent(m.toString())}`);
    return `${name}(\n  ${lines.join("\n  ")}\n)`;
  }
}

function indent(s: string): string {
  return s.split("\n").join("\n  ");
}

// Symbol-keyed display hooks cannot be computed class members under isolatedDeclarations: merge
// them into the class's interface and put them on the prototype (as tensor.ts does).
export interface Module {
  [inspectCustom](): string;
  [jupyterDisplay](): Record<string, string>;
}
Object.defineProperty(Module.prototype, inspectCustom, {
  value(this: Module): string {
    return this.toString();
  },
});
Object.defineProperty(Module.prototype, jupyterDisplay, {
  value(this: Module): Record<string, string> {
    return { "text/plain": this.toString() };
  },
});
