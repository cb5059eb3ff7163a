/**
 * The base of every optimiser (PyTorch's `torch.optim.Optimizer`): parameter groups, per-parameter
 * state created on the first step, `step()`, `zeroGrad()`, and a JSON-able `stateDict()`.
 *
 * A subclass supplies three things: its defaults and their validation, how to create a parameter's
 * state, and the update of one parameter (a pure function of the parameter's values, its gradient,
 * its state and the group's hyper-parameters: the `_single_tensor_*` of PyTorch, written once).
 *
 * Arithmetic follows PyTorch's order of operations and the parameter's dtype: a float32 parameter is
 * updated in float32 (every intermediate rounded with Math.fround, hyper-parameters cast to float32
 * as ATen casts a Python scalar), a float64 one in float64. PyTorch's AVX2 kernels fuse `a + α·b`
 * (add with alpha, addcmul) into one FMA. In float32 `fround(a + α·b)` computed in doubles is that
 * FMA (the float product is exact in a double), so the step functions leave that product unrounded;
 * in float64 JavaScript has no FMA, and a step may differ from PyTorch's in the last bit.
 */
import type { FloatArray } from "../tensor/dtype";
import { fmtShape } from "../tensor/shape";
import { Tensor, releaseStorage } from "../tensor/tensor";

/** Hyper-parameters every optimiser has. */
export interface BaseHyper {
  lr: number;
}

/** A parameter group: its tensors plus hyper-parameters that override the optimiser's defaults. */
export type ParamGroup<H extends BaseHyper> = H & {
  params: Tensor[];
  /** The lr the group started with, set by the first scheduler attached (PyTorch's `initial_lr`). */
  initialLr?: number;
};

/** What a constructor accepts: a list of tensors, or groups `[{params, lr?, …}, …]`. */
export type ParamsInput<H extends BaseHyper> = Iterable<Tensor> | ParamGroupInput<H>[];
export type ParamGroupInput<H extends BaseHyper> = Partial<H> & { params: Iterable<Tensor> };

/** A parameter's state: buffers in the parameter's dtype, counters, or null before first use. */
export type StateValue = FloatArray | number | null;

/** JSON form of an optimiser: state keyed by the parameter's index across groups, as in PyTorch. */
export interface OptimizerStateDict {
  state: Record<string, Record<string, number[] | number | null>>;
  paramGroups: Record<string, unknown>[];
}

export type Closure = () => Tensor | number;

/** Float32 parameters get float32 arithmetic: round after every operation. */
export type Round = (x: number) => number;
const exact: Round = (x) => x;
export function rounding(p: FloatArray): Round {
  return p instanceof Float32Array ? Math.fround : exact;
}

export function allocLike(p: FloatArray, fill: number = 0): FloatArray {
  const a = p instanceof Float32Array ? new Float32Array(p.length) : new Float64Array(p.length);
  if (fill !== 0) a.fill(fill);
  return a;
}

export abstract class Optimizer<H extends BaseHyper, S extends { [k: string]: StateValue }> {
  /** The optimiser's name in error messages ("SGD", "Adam", …). */
  readonly name: string;
  readonly defaults: Partial<H>;
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state, created at a parameter's first step. */
  readonly state: Map<Tensor, S> = new Map();
  /** How many times step() ran (schedulers use it to warn about a wrong call order). */
  stepCount: number = 0;

  protected constructor(name: string, params: ParamsInput<H>, defaults: Partial<H>) {
    this.name = name;
    this.defaults = defaults;
    const list = Array.from(params as Iterable<Tensor | ParamGroupInput<H>>);
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list. Pass model.parameters() or [w, b].`);
    const grouped = list.every((x) => !(x instanceof Tensor));
    if (grouped) for (const g of list as ParamGroupInput<H>[]) this.addParamGroup(g);
    else if (list.every((x) => x instanceof Tensor)) this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupInput<H>);
    else throw new TypeError(`${name}: params must be a list of tensors or a list of groups {params, lr?, …}, not a mix of both.`);
  }

  /** Check one group's resolved hyper-parameters; throw a clear error for a bad one. */
  protected abstract validate(h: H): void;
  /** The state of a parameter at its first step. */
  protected abstract initState(p: Tensor, h: H): S;
  /** Update one parameter in place. */
  protected abstract update(p: FloatArray, g: FloatArray, state: S, h: H): void;

  /** Add a group (e.g. a layer unfrozen later); unset hyper-parameters take the defaults. */
  addParamGroup(group: ParamGroupInput<H>): void {
    if (group === null || typeof group !== "object" || group.params === undefined) {
      throw new TypeError(`${this.name}: a parameter group must be an object {params: [tensors], lr?, …}.`);
    }
    const params = group.params instanceof Tensor ? [group.params] : Array.from(group.params);
    const groupIndex = this.paramGroups.length;
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.name}: group ${groupIndex} item ${i} is not a Tensor.`);
      if (!p.isLeaf) {
        throw new Error(
          `${this.name}: group ${groupIndex} item ${i} (shape ${fmtShape(p.shape)}) was computed by an op; only leaf tensors can be optimised. Use a tensor created with requiresGrad: true.`,
        );
      }
    });
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    for (const p of params) {
      if (seen.has(p)) throw new Error(`${this.name}: a parameter (shape ${fmtShape(p.shape)}) appears in more than one group, or twice in one.`);
      seen.add(p);
    }
    // Copy array-valued options (betas) so groups never share, or write through to, the defaults.
    const own = definedOnly({ ...group, params: undefined });
    const merged = { ...structuredClone(this.defaults), ...structuredClone(own), params } as unknown as ParamGroup<H>;
    if (merged.lr === undefined) {
      throw new Error(
        `${this.name}: lr is required: pass it in the options, e.g. new ${this.name}(params, { lr: 0.1 }), or in every parameter group.`,
      );
    }
    this.validate(merged);
    this.paramGroups.push(merged);
  }

  /**
   * One update of every parameter that has a gradient (parameters whose `grad` is null are skipped,
   * as in PyTorch). `closure` re-evaluates the loss (PyTorch's `step(closure)`); its value is returned.
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = closure === undefined ? undefined : closure();
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (grad === null) continue;
        if (grad.size !== p.size) {
          throw new Error(`${this.name}.step(): a parameter has shape ${fmtShape(p.shape)} but its grad has shape ${fmtShape(grad.shape)}.`);
        }
        let s = this.state.get(p);
        if (s === undefined) {
          s = this.initState(p, group);
          this.state.set(p, s);
        }
        this.update(p.data, grad.data, s, group);
      }
    }
    this.stepCount++;
    return loss;
  }

  /**
   * zeroGrad() that also hands the gradients' buffers back to the free list, so that the next
   * backward() reuses them instead of allocating: for a training loop that reads no gradient
   * after the step. A gradient kept from before (`const g = p.grad`) is released too and throws
   * when read; clone() it to keep it. In C++ PyTorch gets this from reference counts; JavaScript
   * cannot tell whether anyone still holds a gradient, so here it is a call of its own.
   */
  releaseGrads(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        p.grad = null;
        if (g !== null) releaseStorage(g, "releaseGrads()");
      }
    }
  }

  /** Forget all gradients: `grad = null` (PyTorch 2's default `set_to_none=True`), or zeros. */
  zeroGrad(setToNone: boolean = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone || p.grad === null) p.grad = null;
        else p.grad.data.fill(0);
      }
    }
  }

  /** A JSON-able snapshot: state by parameter index, groups with their hyper-parameters. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...hyper } = g;
      const ids = params.map((p) => {
        index.set(p, index.size);
        return index.size - 1;
      });
      return { ...jsonCopy(hyper), params: ids };
    });
    const state: OptimizerStateDict["state"] = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const out: Record<string, number[] | number | null> = {};
      for (const [k, v] of Object.entries(s)) out[k] = v === null || typeof v === "number" ? v : Array.from(v);
      state[String(i)] = out;
    }
    return { state, paramGroups };
  }

  /** Restore a snapshot from stateDict() into an optimiser over parameters of the same shapes. */
  loadStateDict(sd: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict()`;
    if (sd === null || typeof sd !== "object" || !Array.isArray(sd.paramGroups) || typeof sd.state !== "object") {
      throw new TypeError(`${where}: expected {state, paramGroups} as returned by stateDict().`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${where}: the snapshot has ${sd.paramGroups.length} parameter groups, this optimiser ${this.paramGroups.length}.`);
    }
    const byIndex: Tensor[] = [];
    sd.paramGroups.forEach((saved, gi) => {
      const ids = saved.params;
      const mine = this.paramGroups[gi].params;
      if (!Array.isArray(ids) || ids.length !== mine.length) {
        throw new Error(`${where}: group ${gi} has ${Array.isArray(ids) ? ids.length : "no"} parameters in the snapshot, ${mine.length} here.`);
      }
      ids.forEach((id, k) => (byIndex[id as number] = mine[k]));
    });
    const restored = new Map<Tensor, S>();
    for (const [key, saved] of Object.entries(sd.state)) {
      const p = byIndex[Number(key)];
      if (p === undefined) throw new Error(`${where}: state for parameter ${key}, which no group lists.`);
      const s: { [k: string]: StateValue } = {};
      for (const [k, v] of Object.entries(saved)) {
        if (Array.isArray(v)) {
          if (v.length !== p.size) {
            throw new Error(`${where}: state "${k}" of parameter ${key} has ${v.length} values but the parameter has shape ${fmtShape(p.shape)}.`);
          }
          const buf = allocLike(p.data);
          buf.set(v);
          s[k] = buf;
        } else s[k] = v;
      }
      restored.set(p, s as S);
    }
    sd.paramGroups.forEach((saved, gi) => {
      const { params: _ids, ...hyper } = saved;
      const g = this.paramGroups[gi];
      Object.assign(g, jsonCopy(hyper));
      this.validate(g);
    });
    this.state.clear();
    for (const [p, s] of restored) this.state.set(p, s);
  }
}

/** Options with `undefined` values dropped, so `{momentum: undefined}` keeps the default. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function jsonCopy<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** Shared checks, so every optimiser words its errors the same way. */
export function checkNumber(
  opt: string,
  name: string,
  v: unknown,
  min: number,
  minInclusive: boolean = true,
  max?: number,
  maxInclusive: boolean = false,
): void {
  const ok =
    typeof v === "number" && Number.isFinite(v) && (minInclusive ? v >= min : v > min) && (max === undefined || (maxInclusive ? v <= max : v < max));
  if (!ok) {
    const lo = `${minInclusive ? "≥" : ">"} ${min}`;
    const hi = max === undefined ? "" : ` and ${maxInclusive ? "≤" : "<"} ${max}`;
    throw new RangeError(`${opt}: ${name} must be a number ${lo}${hi} (got ${String(v)}).`);
  }
}

export function checkBoolean(opt: string, name: string, v: unknown): void {
  if (typeof v !== "boolean") throw new TypeError(`${opt}: ${name} must be true or false (got ${String(v)}).`);
}
