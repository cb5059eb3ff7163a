// Golden WAT: every WebAssembly module nnlab generates, disassembled by wabt (with its function
// and local names), must equal the committed test/kernels/wat/<kernel>.wat, so that a change to a
// generator shows up as a readable diff in review. A kernel whose module differs with relaxed SIMD
// (the GEMM's fused multiply-add) has a second file, <kernel>.relaxed.wat.
//
// After an intended change to a generator, rewrite the files and review the diff:
//   NNLAB_UPDATE_WAT=1 npx vitest run test/kernels/wasm-golden.test.ts && git diff test/kernels/wat
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { definedKernels, type WasmKernel } from "../../kernel-lib/src/kernels/wasm-kernel";
import type { WasmFeatures } from "../../kernel-lib/src/kernels/wasm-features";

const kernelsDir = join(__dirname, "..", "..", "kernel-lib", "src", "kernels");
const watDir = join(__dirname, "wat");
const update = process.env.NNLAB_UPDATE_WAT === "1";

// Each *-wasm.ts module defines its kernels when imported.
const sources = readdirSync(kernelsDir).filter((f) => f.endsWith("-wasm.ts"));
for (const f of sources) await import(join(kernelsDir, f));
const kernels = [...definedKernels()].sort((a, b) => a.name.localeCompare(b.name));

const wabt = await wabtInit();
const plain: WasmFeatures = { simd: true, relaxedSimd: false, threads: true, v8Flags: false };
const relaxed: WasmFeatures = { ...plain, relaxedSimd: true };

function wat(bytes: Uint8Array): string {
  const m = wabt.readWasm(bytes, { readDebugNames: true, simd: true, relaxed_simd: true, threads: true, bulk_memory: true });
  try {
    m.validate();
    m.applyNames();
    return m.toText({ foldExprs: false, inlineExport: false });
  } finally {
    m.destroy();
  }
}

/** The golden files of one kernel: file name → disassembly. */
function goldens(k: WasmKernel<unknown>): Map<string, string> {
  const out = new Map([[`${k.name}.wat`, wat(k.bytes(plain, { names: true }))]]);
  const withRelaxed = wat(k.bytes(relaxed, { names: true }));
  if (withRelaxed !== out.get(`${k.name}.wat`)) out.set(`${k.name}.relaxed.wat`, withRelaxed);
  return out;
}

const all = new Map(kernels.flatMap((k) => [...goldens(k)]));
if (update) {
  rmSync(watDir, { recursive: true, force: true });
  mkdirSync(watDir, { recursive: true });
  for (const [file, text] of all) writeFileSync(join(watDir, file), text);
}

describe("golden WAT of the generated WebAssembly modules", () => {
  it("every kernel module is defined through defineKernel, one per *-wasm.ts file at least", () => {
    expect(sources.length).toBeGreaterThanOrEqual(6);
    expect(kernels.length).toBeGreaterThanOrEqual(sources.length);
    expect(new Set(kernels.map((k) => k.name)).size, "kernel names are unique").toBe(kernels.length);
  });

  it("no golden file is left over from a kernel that no longer exists", () => {
    expect(readdirSync(watDir).sort()).toEqual([...all.keys()].sort());
  });

  for (const [file, text] of all) {
    it(`${file} matches the generator (NNLAB_UPDATE_WAT=1 rewrites it)`, () => {
      const path = join(watDir, file);
      expect(existsSync(path), `${path} is missing: run NNLAB_UPDATE_WAT=1 npx vitest run test/kernels/wasm-golden.test.ts`).toBe(true);
      expect(text).toBe(readFileSync(path, "utf8"));
    });
  }

  it("the names are only in the disassembly: the module the kernels load carries no name section, and both validate", () => {
    for (const k of kernels) {
      const loaded = k.bytes(plain),
        named = k.bytes(plain, { names: true });
      expect(named.length, k.name).toBeGreaterThan(loaded.length);
      expect(Buffer.from(named.subarray(0, loaded.length)).equals(Buffer.from(loaded)), k.name).toBe(true);
      expect(WebAssembly.validate(loaded), k.name).toBe(true);
      expect(WebAssembly.validate(named), k.name).toBe(true);
    }
  });
});
