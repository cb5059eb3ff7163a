/**
 * A small WebAssembly binary writer: every opcode nnlab's kernels use is defined here and only here.
 *
 * The kernels are generated at load time from TypeScript instead of being assembled by a
 * toolchain, so the package needs no build step or binary asset, and the float32 and float64
 * variants (and the GEMM's tile sizes) come from one parameterised generator. A kernel is a `Func`:
 * its parameters and locals are declared by name (`f.param("kc", "i32")`, `f.local("acc", "v128")`)
 * and the instruction methods take those handles, never numbers. The names also go into the
 * module's "name" section when asked (`buildModule(…, { names: true })`), which is what the golden
 * WAT files in test/kernels/wat/ show. Encoding reference: the WebAssembly core spec, binary
 * format (§5), and the SIMD and relaxed-SIMD proposals.
 */

/** The value types the kernels use. */
export type ValType = "i32" | "f64" | "v128";
const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

/** A parameter or local of one function: made by Func.param / Func.local, used by the instructions. */
export class Local {
  constructor(readonly index: number, readonly name: string, readonly type: ValType) {}
}

function uleb(out: number[], v: number): void {
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function sleb(out: number[], v: number): void {
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** Scalar and SIMD lane types of the float instructions that come in both widths. */
export type FloatKind = "f32" | "f64";

/**
 * One exported function returning nothing: its parameters and locals by name, and its body as a
 * stack-machine instruction stream (each method appends one instruction and returns `this`).
 */
export class Func {
  private readonly code: number[] = [];
  readonly params: Local[] = [];
  readonly locals: Local[] = [];

  constructor(readonly name: string) {}

  /** The instructions so far (read-only: instructions are added through the methods below). */
  get body(): readonly number[] {
    return this.code;
  }

  /** A parameter (all parameters come before the first local). */
  param(name: string, type: ValType): Local {
    if (this.locals.length > 0) throw new Error(`${this.name}: parameter ${name} declared after a local`);
    const p = new Local(this.params.length, name, type);
    this.params.push(p);
    return p;
  }

  /** A local variable (zero at entry). */
  local(name: string, type: ValType): Local {
    const l = new Local(this.params.length + this.locals.length, name, type);
    this.locals.push(l);
    return l;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  private simd(op: number): this {
    this.code.push(0xfd);
    uleb(this.code, op);
    return this;
  }
  private memarg(alignLog2: number, offset: number): this {
    uleb(this.code, alignLog2);
    uleb(this.code, offset);
    return this;
  }
  private own(l: Local): number {
    if (this.params[l.index] !== l && this.locals[l.index - this.params.length] !== l) {
      throw new Error(`${this.name}: ${l.name} is not a parameter or local of this function`);
    }
    return l.index;
  }

  // ----- locals, constants, control ---------------------------------------------------------
  localGet(l: Local): this { this.code.push(0x20); uleb(this.code, this.own(l)); return this; }
  localSet(l: Local): this { this.code.push(0x21); uleb(this.code, this.own(l)); return this; }
  localTee(l: Local): this { this.code.push(0x22); uleb(this.code, this.own(l)); return this; }
  i32Const(v: number): this { this.code.push(0x41); sleb(this.code, v | 0); return this; }
  /** `block` with no result; a branch to it jumps past its end. */
  block(): this { return this.op(0x02, 0x40); }
  /** `loop` with no result; a branch to it jumps back to its start. */
  loop(): this { return this.op(0x03, 0x40); }
  /** `if` with no result, taking the i32 on the stack. */
  if(): this { return this.op(0x04, 0x40); }
  else(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { this.code.push(0x0c); uleb(this.code, depth); return this; }
  brIf(depth: number): this { this.code.push(0x0d); uleb(this.code, depth); return this; }
  /** while (i < limit) body(), signed: a block around a loop, left at the top once i ≥ limit. */
  whileLess(i: Local, limit: Local, body: () => void): this {
    this.block().loop();
    this.localGet(i).localGet(limit).i32GeS().brIf(1);
    body();
    return this.br(0).end().end();
  }
  /** for (i = from; i < limit; i++) body(); with `from` null, i starts as it is. */
  forRange(i: Local, from: number | null, limit: Local, body: () => void): this {
    if (from !== null) this.i32Const(from).localSet(i);
    return this.whileLess(i, limit, () => {
      body();
      this.inc(i, 1);
    });
  }

  // ----- i32 --------------------------------------------------------------------------------
  i32Eq(): this { return this.op(0x46); }
  i32LtS(): this { return this.op(0x48); }
  i32GtS(): this { return this.op(0x4a); }
  i32GeS(): this { return this.op(0x4e); }
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32And(): this { return this.op(0x71); }
  /** local += by (a constant). */
  inc(l: Local, by: number): this { return this.localGet(l).i32Const(by).i32Add().localSet(l); }
  /** local += another local. */
  incBy(l: Local, by: Local): this { return this.localGet(l).localGet(by).i32Add().localSet(l); }

  // ----- scalar floats and memory -----------------------------------------------------------
  i32Load(offset: number): this { return this.op(0x28).memarg(2, offset); }
  /** Scalar load/store of one element of `kind`. */
  floatLoad(kind: FloatKind, offset: number): this { return kind === "f64" ? this.op(0x2b).memarg(3, offset) : this.op(0x2a).memarg(2, offset); }
  floatStore(kind: FloatKind, offset: number): this { return kind === "f64" ? this.op(0x39).memarg(3, offset) : this.op(0x38).memarg(2, offset); }
  f64Add(): this { return this.op(0xa0); }
  f64Mul(): this { return this.op(0xa2); }
  f32DemoteF64(): this { return this.op(0xb6); }
  f64PromoteF32(): this { return this.op(0xbb); }
  /** memory.fill(dst, value byte, length), from the bulk-memory instructions. */
  memoryFill(): this { this.code.push(0xfc); uleb(this.code, 11); this.code.push(0x00); return this; }

  // ----- 128-bit SIMD -----------------------------------------------------------------------
  v128Load(offset: number): this { return this.simd(0x00).memarg(4, offset); }
  v128Load32Splat(offset: number): this { return this.simd(0x09).memarg(2, offset); }
  v128Load64Splat(offset: number): this { return this.simd(0x0a).memarg(3, offset); }
  /** One element of `kind` loaded into every lane. */
  loadSplat(kind: FloatKind, offset: number): this { return kind === "f64" ? this.v128Load64Splat(offset) : this.v128Load32Splat(offset); }
  v128Store(offset: number): this { return this.simd(0x0b).memarg(4, offset); }
  v128Zero(): this { this.simd(0x0c); for (let i = 0; i < 16; i++) this.code.push(0); return this; }
  /** i8x16.shuffle of the two vectors on the stack: byte i of the result is byte lanes[i] of a‖b. */
  i8x16Shuffle(lanes: number[]): this { this.simd(0x0d); for (let i = 0; i < 16; i++) this.code.push(lanes[i]); return this; }
  i32x4Splat(): this { return this.simd(0x11); }
  f32x4Splat(): this { return this.simd(0x13); }
  f64x2Splat(): this { return this.simd(0x14); }
  i32x4Eq(): this { return this.simd(0x37); }
  f32x4Eq(): this { return this.simd(0x41); }
  f32x4Ne(): this { return this.simd(0x42); }
  f32x4Gt(): this { return this.simd(0x44); }
  f64x2Eq(): this { return this.simd(0x47); }
  f64x2Ne(): this { return this.simd(0x48); }
  f64x2Gt(): this { return this.simd(0x4a); }
  v128And(): this { return this.simd(0x4e); }
  v128Or(): this { return this.simd(0x50); }
  /** bitselect(a, b, mask) = (a & mask) | (b & ~mask). */
  v128Bitselect(): this { return this.simd(0x52); }
  /** The low 64 bits stored (two float32, or one float64). */
  v128Store64Lane0(offset: number): this { this.simd(0x5b).memarg(3, offset); this.code.push(0); return this; }
  /** 64 bits (two float32) into the low half, zeros above. */
  v128Load64Zero(offset: number): this { return this.simd(0x5d).memarg(3, offset); }
  f32x4DemoteF64x2Zero(): this { return this.simd(0x5e); }
  f64x2PromoteLowF32x4(): this { return this.simd(0x5f); }
  i64x2ExtendLowI32x4S(): this { return this.simd(0xc7); }
  i64x2Eq(): this { return this.simd(0xd6); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f64x2Neg(): this { return this.simd(0xed); }
  f64x2Add(): this { return this.simd(0xf0); }
  f64x2Mul(): this { return this.simd(0xf2); }
  /** Relaxed SIMD `relaxed_madd(a, b, c) = a·b + c`, fused where the CPU has FMA. */
  f32x4RelaxedMadd(): this { return this.simd(0x105); }
  f64x2RelaxedMadd(): this { return this.simd(0x107); }

  /** Lane-wise ops in the lanes of `kind` (f32x4 or f64x2). */
  vAdd(kind: FloatKind): this { return kind === "f64" ? this.f64x2Add() : this.f32x4Add(); }
  vMul(kind: FloatKind): this { return kind === "f64" ? this.f64x2Mul() : this.f32x4Mul(); }
  vGt(kind: FloatKind): this { return kind === "f64" ? this.f64x2Gt() : this.f32x4Gt(); }
  vNe(kind: FloatKind): this { return kind === "f64" ? this.f64x2Ne() : this.f32x4Ne(); }
  vEq(kind: FloatKind): this { return kind === "f64" ? this.f64x2Eq() : this.f32x4Eq(); }
  vRelaxedMadd(kind: FloatKind): this { return kind === "f64" ? this.f64x2RelaxedMadd() : this.f32x4RelaxedMadd(); }
}

/** The module's memory: its own of `pages` × 64 KiB (JS grows it), or a shared one it imports. */
export interface MemorySpec {
  pages: number;
  /** Import a shared memory as env.memory, of at least `pages` and at most this many pages (the threads proposal). */
  sharedMaximum?: number;
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  uleb(out, content.length);
  out.push(...content);
}

function name(out: number[], s: string): void {
  // Names here are ASCII, so UTF-8 is one byte per character.
  const b = Array.from(s, (ch) => ch.charCodeAt(0));
  uleb(out, b.length);
  out.push(...b);
}

/** The custom "name" section: function names and local names (for disassembly only). */
function nameSection(functions: Func[]): number[] {
  const content: number[] = [];
  name(content, "name");
  const sub = (id: number, body: number[]): void => {
    content.push(id);
    uleb(content, body.length);
    content.push(...body);
  };
  const fnames: number[] = [];
  uleb(fnames, functions.length);
  functions.forEach((f, i) => {
    uleb(fnames, i);
    name(fnames, f.name);
  });
  sub(1, fnames);
  const lnames: number[] = [];
  uleb(lnames, functions.length);
  functions.forEach((f, i) => {
    uleb(lnames, i);
    const all = [...f.params, ...f.locals];
    uleb(lnames, all.length);
    for (const l of all) {
      uleb(lnames, l.index);
      name(lnames, l.name);
    }
  });
  sub(2, lnames);
  return content;
}

/**
 * A module of the given functions, each exported under its name, over one memory exported as
 * "memory". With `names`, a "name" section holds the function and local names (for golden WAT and
 * debugging; the kernels load without it).
 */
export function buildModule(functions: Func[], memory: MemorySpec, opts: { names?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  uleb(types, functions.length);
  for (const f of functions) {
    types.push(0x60);
    uleb(types, f.params.length);
    for (const p of f.params) types.push(TYPE_CODE[p.type]);
    types.push(0x00);
  }
  section(out, 1, types);
  if (memory.sharedMaximum !== undefined) {
    // Import section: one memory, limits flag 3 = shared with a maximum.
    const imports: number[] = [1];
    name(imports, "env");
    name(imports, "memory");
    imports.push(0x02, 0x03);
    uleb(imports, memory.pages);
    uleb(imports, memory.sharedMaximum);
    section(out, 2, imports);
  }
  const funcs: number[] = [];
  uleb(funcs, functions.length);
  functions.forEach((_, i) => uleb(funcs, i));
  section(out, 3, funcs);
  if (memory.sharedMaximum === undefined) {
    const mem: number[] = [1, 0x00];
    uleb(mem, memory.pages);
    section(out, 5, mem);
  }
  const exports: number[] = [];
  uleb(exports, functions.length + 1);
  name(exports, "memory");
  exports.push(0x02, 0x00);
  functions.forEach((f, i) => {
    name(exports, f.name);
    exports.push(0x00);
    uleb(exports, i);
  });
  section(out, 7, exports);
  const code: number[] = [];
  uleb(code, functions.length);
  for (const f of functions) {
    const body: number[] = [];
    uleb(body, f.locals.length);
    for (const l of f.locals) body.push(1, TYPE_CODE[l.type]);
    body.push(...f.body, 0x0b);
    uleb(code, body.length);
    code.push(...body);
  }
  section(out, 10, code);
  if (opts.names) section(out, 0, nameSection(functions));
  return new Uint8Array(out);
}
