// The WebAssembly kernels' shared machinery: named locals, the warning when a kernel falls back,
// and V8 flags set only when asked for (checked in fresh Node processes on the built library).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildModule, Func } from "../../kernel-lib/src/kernels/wasm-emit";
import { defineKernel, resetFallbackWarnings } from "../../kernel-lib/src/kernels/wasm-kernel";
import { wasmFeatures } from "../../kernel-lib/src/kernels/wasm-features";

const dist = join(__dirname, "..", "..", "kernel-lib", "dist");

describe("Func: named locals", () => {
  it("numbers parameters before locals and refuses a local of another function or a parameter after a local", () => {
    const f = new Func("f"),
      g = new Func("g");
    const a = f.param("a", "i32"),
      v = f.local("v", "v128");
    expect([a.index, v.index]).toEqual([0, 1]);
    expect(() => f.param("late", "i32")).toThrow(/parameter late declared after a local/);
    const other = g.param("x", "i32");
    expect(() => f.localGet(other)).toThrow(/x is not a parameter or local of this function/);
  });
});

describe("a kernel that cannot load", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    resetFallbackWarnings();
  });

  it("is null (the caller keeps its JavaScript path) and warns once, naming the kernel, the reason and how to silence it", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    // A function that leaves a value on the stack: the engine refuses to compile the module.
    const broken = defineKernel({
      name: "broken-test",
      functions: () => [new Func("broken").i32Const(1)],
      exports: (e) => e,
      warm: () => undefined,
    });
    expect(broken.load()).toBeNull();
    expect(broken.load()).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, type] = warn.mock.calls[0] as [string, string];
    expect(type).toBe("NnlabWasmWarning");
    expect(message).toMatch(/the WebAssembly broken-test kernel could not be loaded \(.*Compiling function.*\)/);
    expect(message).toMatch(/plain TypeScript instead/);
    expect(message).toMatch(/NNLAB_KERNELS=plain/);
  });

  it("a kernel that loads does not warn", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const ok = defineKernel({
      name: "ok-test",
      functions: () => [new Func("nothing")],
      exports: (e) => ({ nothing: e.nothing as () => void }),
      warm: (k) => k.nothing(),
    });
    expect(wasmFeatures().simd).toBe(true);
    expect(ok.load()).not.toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("V8 flags", () => {
  // In a fresh process: load every kernel, then ask the engine whether relaxed SIMD validates now.
  const script = `const k = (f) => require(${JSON.stringify(dist)} + "/kernels/" + f);
const relaxed = new Uint8Array(${JSON.stringify([...relaxedProbe()])});
const before = WebAssembly.validate(relaxed);
const nn = require(${JSON.stringify(dist)} + "/index.js");
nn.setBackend("wasm");
nn.matmul(nn.randn([64, 64]), nn.randn([64, 64]));
const f32 = new Float32Array(8192);
k("relu-wasm.js").reluWasm(f32, f32.slice());
k("sgd-wasm.js").sgdStepWasm(f32, f32.slice(), null, 0, 1, -0.1, 0, 0);
console.log(JSON.stringify({ before, after: WebAssembly.validate(relaxed), features: k("wasm-features.js").wasmFeatures(),
  variant: k("gemm-wasm.js").wasmKernelVariant() }));`;
  const run = (env: Record<string, string>) => {
    expect(existsSync(join(dist, "index.js")), "kernel-lib/dist is built by `npm test` (npm run build) before the tests").toBe(true);
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, NNLAB_WASM_V8_FLAGS: "", ...env } });
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout) as { before: boolean; after: boolean; features: { relaxedSimd: boolean; v8Flags: boolean }; variant: string };
  };

  it("are not set unless asked for: loading the kernels leaves relaxed SIMD as the engine had it", () => {
    const out = run({});
    expect(out.features.v8Flags).toBe(false);
    expect(out.after).toBe(out.before);
    expect(out.features.relaxedSimd).toBe(out.before);
    expect(out.variant).toBe(out.before ? "fma" : "mul+add");
  });

  it("NNLAB_WASM_V8_FLAGS=1 asks for them: relaxed SIMD on (Node 20 has it behind a flag) and the fused GEMM kernels", () => {
    const out = run({ NNLAB_WASM_V8_FLAGS: "1" });
    expect(out.features.v8Flags).toBe(true);
    expect(out.features.relaxedSimd).toBe(true);
    expect(out.after).toBe(true);
    expect(out.variant).toBe("fma");
  });
});

/** A module using f64x2.relaxed_madd, written with the emitter. */
function relaxedProbe(): Uint8Array {
  const f = new Func("probe").i32Const(0).v128Zero().v128Zero().v128Zero().f64x2RelaxedMadd().v128Store(0);
  return buildModule([f], { pages: 1 });
}
