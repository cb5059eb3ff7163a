/**
 * A minimal WebAssembly binary writer: just the opcodes the GEMM kernels use.
 *
 * The kernels are generated at load time from TypeScript instead of being assembled by a
 * toolchain, so the package needs no build step or binary asset, and the float32 and
 * float64 kernels (and their tile sizes) come from one parameterised generator.
 * Encoding reference: the WebAssembly core spec, binary format (§5) and SIMD proposal.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

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

/** The body of one function, written as a stack-machine instruction stream. */
export class Code {
  readonly bytes: number[] = [];

  localGet(i: number): this { this.bytes.push(0x20); uleb(this.bytes, i); return this; }
  localSet(i: number): this { this.bytes.push(0x21); uleb(this.bytes, i); return this; }
  localTee(i: number): this { this.bytes.push(0x22); uleb(this.bytes, i); return this; }
  i32Const(v: number): this { this.bytes.push(0x41); sleb(this.bytes, v | 0); return this; }
  i32Add(): this { this.bytes.push(0x6a); return this; }
  i32Sub(): this { this.bytes.push(0x6b); return this; }
  i32Mul(): this { this.bytes.push(0x6c); return this; }
  /** `loop` with no result; a branch to it jumps back to its start. */
  loop(): this { this.bytes.push(0x03, 0x40); return this; }
  /** `block` with no result; a branch to it jumps past its end. */
  block(): this { this.bytes.push(0x02, 0x40); return this; }
  brIf(depth: number): this { this.bytes.push(0x0d); uleb(this.bytes, depth); return this; }
  br(depth: number): this { this.bytes.push(0x0c); uleb(this.bytes, depth); return this; }
  i32Eq(): this { this.bytes.push(0x46); return this; }
  i32LtS(): this { this.bytes.push(0x48); return this; }
  /** `if` with no result, taking the i32 on the stack. */
  if(): this { this.bytes.push(0x04, 0x40); return this; }
  else(): this { this.bytes.push(0x05); return this; }
  /** Scalar load/store of one element: f64 (es = 8) or f32 (es = 4). */
  floatLoad(es: number, offset: number): this { this.bytes.push(es === 8 ? 0x2b : 0x2a); return this.memarg(es === 8 ? 3 : 2, offset); }
  floatStore(es: number, offset: number): this { this.bytes.push(es === 8 ? 0x39 : 0x38); return this.memarg(es === 8 ? 3 : 2, offset); }
  /** memory.fill(dst, value byte, length) from the bulk-memory instructions. */
  memoryFill(): this { this.bytes.push(0xfc); uleb(this.bytes, 11); this.bytes.push(0x00); return this; }
  end(): this { this.bytes.push(0x0b); return this; }
  i32GeS(): this { this.bytes.push(0x4e); return this; }
  i32GtS(): this { this.bytes.push(0x4a); return this; }
  i32Load(offset: number): this { this.bytes.push(0x28); return this.memarg(2, offset); }
  f64Add(): this { this.bytes.push(0xa0); return this; }
  f64Mul(): this { this.bytes.push(0xa2); return this; }
  f32DemoteF64(): this { this.bytes.push(0xb6); return this; }
  f64PromoteF32(): this { this.bytes.push(0xbb); return this; }

  simd(op: number): this { this.bytes.push(0xfd); uleb(this.bytes, op); return this; }
  memarg(alignLog2: number, offset: number): this { uleb(this.bytes, alignLog2); uleb(this.bytes, offset); return this; }
  v128Load(offset: number): this { return this.simd(0x00).memarg(4, offset); }
  v128Store(offset: number): this { return this.simd(0x0b).memarg(4, offset); }
  v128Load32Splat(offset: number): this { return this.simd(0x09).memarg(2, offset); }
  v128Load64Splat(offset: number): this { return this.simd(0x0a).memarg(3, offset); }
  v128Zero(): this { this.simd(0x0c); for (let i = 0; i < 16; i++) this.bytes.push(0); return this; }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Mul(): this { return this.simd(0xe6); }
  /** Two float32 into the low half, zeros above; and the low half stored back. */
  v128Load64Zero(offset: number): this { return this.simd(0x5d).memarg(3, offset); }
  v128Store64Lane0(offset: number): this { this.simd(0x5b).memarg(3, offset); this.bytes.push(0); return this; }
  f64x2Splat(): this { return this.simd(0x14); }
  f32x4DemoteF64x2Zero(): this { return this.simd(0x5e); }
  f64x2PromoteLowF32x4(): this { return this.simd(0x5f); }
  f32x4Ne(): this { return this.simd(0x42); }
  f32x4Gt(): this { return this.simd(0x44); }
  f64x2Ne(): this { return this.simd(0x48); }
  f64x2Gt(): this { return this.simd(0x4a); }
  v128And(): this { return this.simd(0x4e); }
  /** bitselect(a, b, mask) = (a & mask) | (b & ~mask). */
  v128Bitselect(): this { return this.simd(0x52); }
  /** i8x16.shuffle of the two vectors on the stack: byte i of the result is byte lanes[i] of a‖b. */
  i8x16Shuffle(lanes: number[]): this { this.simd(0x0d); for (let i = 0; i < 16; i++) this.bytes.push(lanes[i]); return this; }
  i32x4Splat(): this { return this.simd(0x11); }
  i32x4Eq(): this { return this.simd(0x37); }
  i64x2Eq(): this { return this.simd(0xd6); }
  i64x2ExtendLowI32x4S(): this { return this.simd(0xc7); }
  f32x4Eq(): this { return this.simd(0x41); }
  f64x2Eq(): this { return this.simd(0x47); }
  v128Or(): this { return this.simd(0x50); }
  f64x2Add(): this { return this.simd(0xf0); }
  f64x2Mul(): this { return this.simd(0xf2); }
  /** Relaxed SIMD `relaxed_madd(a, b, c) = a·b + c`, fused where the CPU has FMA. */
  f32x4RelaxedMadd(): this { return this.simd(0x105); }
  f64x2RelaxedMadd(): this { return this.simd(0x107); }
}

export interface FunctionDef {
  name: string;
  /** Parameter types (all functions return nothing). */
  params: number[];
  /** Types of the extra locals, numbered after the parameters. */
  locals: number[];
  body: Code;
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  uleb(out, content.length);
  out.push(...content);
}

function name(out: number[], s: string): void {
  // Export names here are ASCII, so UTF-8 is one byte per character.
  const b = Array.from(s, (ch) => ch.charCodeAt(0));
  uleb(out, b.length);
  out.push(...b);
}

/**
 * A module of void functions over one memory, exported as "memory": its own (initially
 * `memoryPages` pages of 64 KiB; JS grows it as needed), or, with `sharedMaximum`, a shared
 * memory imported as env.memory (at least `memoryPages`, at most `sharedMaximum` pages) so that
 * instances in worker threads can work on the same bytes.
 */
export function buildModule(functions: FunctionDef[], memoryPages: number, sharedMaximum?: number): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  uleb(types, functions.length);
  for (const f of functions) {
    types.push(0x60);
    uleb(types, f.params.length);
    types.push(...f.params);
    types.push(0x00);
  }
  section(out, 1, types);
  if (sharedMaximum !== undefined) {
    // Import section: one memory, limits flag 3 = shared with a maximum (the threads proposal).
    const imports: number[] = [1];
    name(imports, "env");
    name(imports, "memory");
    imports.push(0x02, 0x03);
    uleb(imports, memoryPages);
    uleb(imports, sharedMaximum);
    section(out, 2, imports);
  }
  const funcs: number[] = [];
  uleb(funcs, functions.length);
  functions.forEach((_, i) => uleb(funcs, i));
  section(out, 3, funcs);
  if (sharedMaximum === undefined) {
    const mem: number[] = [1, 0x00];
    uleb(mem, memoryPages);
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
    for (const t of f.locals) body.push(1, t);
    body.push(...f.body.bytes, 0x0b);
    uleb(code, body.length);
    code.push(...body);
  }
  section(out, 10, code);
  return new Uint8Array(out);
}
