// Choosing the matrix back end: the system BLAS when one loads, WebAssembly when forced or when none
// does, and no error either way. CI installs libopenblas0-pthread and sets NNLAB_REQUIRE_BLAS=1, so
// there a BLAS that fails to load is a failure, not a skip.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as nn from "../../kernel-lib/src/index";
import { backendInfo, resetBackendForTests, setBackend } from "../../kernel-lib/src/kernels/backend";
import { blasCallCount, loadBlas } from "../../kernel-lib/src/kernels/blas";
import { gemm, getNumThreads, setNumThreads } from "../../kernel-lib/src/kernels/gemm";
import { blasLoads, blasMissingWhy, reportMissingBlas } from "../helpers/backends";
import { naiveGemm, randomArray } from "./reference";

const repoRoot = join(__dirname, "..", "..");
reportMissingBlas("BLAS back-end tests");

/** Runs `fn` with environment variables set, as a fresh process would see them (the choice re-read). */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetBackendForTests();
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetBackendForTests();
  }
}

/** A product large enough for the BLAS in normal use; returns whether the BLAS multiplied it. */
function bigProduct(): { viaBlas: boolean; ok: boolean } {
  const m = 40,
    n = 30,
    k = 50;
  const a = randomArray(Float64Array, m * k, 1),
    b = randomArray(Float64Array, k * n, 2),
    c = new Float64Array(m * n);
  const before = blasCallCount();
  gemm(false, false, m, n, k, a, 0, b, 0, c, 0, false);
  const { value } = naiveGemm(false, false, m, n, k, a, 0, b, 0);
  return { viaBlas: blasCallCount() > before, ok: c.every((v, i) => Math.abs(v - value[i]) < 1e-12) };
}

afterEach(() => resetBackendForTests());

it("where CI installed OpenBLAS, it loads (NNLAB_REQUIRE_BLAS=1)", () => {
  if (process.env.NNLAB_REQUIRE_BLAS !== "1") {
    console.log("BLAS requirement not checked: NNLAB_REQUIRE_BLAS is not set (.ci/run sets it)");
    return;
  }
  expect(blasMissingWhy).toBe("");
  expect(blasLoads).toBe(true);
});

describe.skipIf(!blasLoads)("with a BLAS present", () => {
  it("automatic choice: the BLAS, named with its file and thread count", () => {
    withEnv({ NNLAB_BACKEND: undefined }, () => {
      const info = backendInfo();
      expect(info.backend).toBe("blas");
      expect(info.requested).toBe("auto");
      expect(info.library).toMatch(/OpenBLAS|BLIS|MKL|Accelerate/);
      expect(existsSync(info.path ?? ""), `loaded from ${info.path}`).toBe(true);
      expect(info.threads).toBe(getNumThreads());
      expect(bigProduct()).toEqual({ viaBlas: true, ok: true });
    });
  });

  it('NNLAB_BACKEND=wasm and setBackend("wasm") keep products off the BLAS, with the same results', () => {
    withEnv({ NNLAB_BACKEND: "wasm" }, () => {
      expect(backendInfo()).toMatchObject({ backend: "wasm", requested: "wasm", library: null });
      expect(bigProduct()).toEqual({ viaBlas: false, ok: true });
    });
    setBackend("wasm");
    expect(bigProduct()).toEqual({ viaBlas: false, ok: true });
    expect(setBackend("blas").backend).toBe("blas");
    expect(bigProduct()).toEqual({ viaBlas: true, ok: true });
  });

  it("setNumThreads sets the library's own thread count for large products, one thread below", () => {
    const before = getNumThreads();
    setBackend("blas");
    try {
      const run = (m: number): void => {
        const a = new Float32Array(m * m).fill(0.5),
          c = new Float32Array(m * m);
        gemm(false, false, m, m, m, a, 0, a, 0, c, 0, false);
        expect(c[m * m - 1]).toBe(0.25 * m);
      };
      setNumThreads(2);
      run(256); // 2²⁴ multiply-adds: BLAS_THREAD_MIN_WORK
      expect(backendInfo().libraryThreads).toBe(2);
      run(32);
      expect(backendInfo().libraryThreads).toBe(1);
      run(256);
      setNumThreads(1);
      expect(backendInfo().libraryThreads).toBe(1);
    } finally {
      setNumThreads(before);
    }
  });

  it("reused tensor buffers stay valid across calls: a layer run twice on reused outputs gives fresh, right answers", () => {
    setBackend("blas");
    nn.seed(3);
    const layer = new nn.Linear(100, 40);
    const outs: number[][] = [];
    for (let r = 0; r < 3; r++) {
      const x = nn.randn([16, 100]);
      const y = layer.forward(x);
      const expected = x.matmul(layer.weight.T).add(layer.bias!); // the reference: one product, one add
      outs.push(Array.from(y.data.subarray(0, 4)));
      for (let i = 0; i < y.size; i++) expect(Math.abs(y.data[i] - expected.data[i])).toBeLessThan(1e-12);
      y.sum().backward();
    }
    expect(outs[0]).not.toEqual(outs[1]);
  });

  it("setBackend rejects unknown names, naming the choices", () => {
    // @ts-expect-error: an invalid name must be refused at run time too
    expect(() => setBackend("gpu")).toThrow(/expected "blas", "wasm" or "auto", got "gpu"/);
  });
});

describe("without a BLAS: back to WebAssembly, no error", () => {
  it("NNLAB_BLAS_LIB pointing nowhere: WebAssembly, the reason says what was tried", () => {
    withEnv({ NNLAB_BLAS_LIB: "/nonexistent/libnothing.so.0", NNLAB_BACKEND: undefined }, () => {
      const info = backendInfo();
      expect(info.backend).toBe("wasm");
      expect(info.reason).toMatch(/\/nonexistent\/libnothing\.so\.0/);
      expect(info.reason).toMatch(/NNLAB_BLAS_LIB/);
      expect(bigProduct()).toEqual({ viaBlas: false, ok: true });
      expect(() => setBackend("blas")).toThrow(/setBackend\("blas"\): no BLAS library loaded.*setBackend\("wasm"\)/);
    });
  });

  it("a library without cblas_dgemm does not count as a BLAS", () => {
    const r = loadBlas(process.platform === "linux" ? "libm.so.6" : "/nonexistent");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toMatch(/no BLAS library loaded/);
  });

  it("NNLAB_BACKEND=blas with no BLAS warns once and multiplies in WebAssembly", async () => {
    const warnings: string[] = [];
    const listener = (w: Error): void => void warnings.push(w.message);
    process.on("warning", listener);
    try {
      withEnv({ NNLAB_BLAS_LIB: "/nonexistent/libnothing.so.0", NNLAB_BACKEND: "blas" }, () => {
        expect(bigProduct()).toEqual({ viaBlas: false, ok: true });
        expect(bigProduct()).toEqual({ viaBlas: false, ok: true });
        expect(backendInfo()).toMatchObject({ backend: "wasm", requested: "blas" });
      });
      // process warnings are delivered on a later tick
      await new Promise((done) => setTimeout(done, 20));
    } finally {
      process.off("warning", listener);
    }
    expect(warnings.filter((w) => /NNLAB_BACKEND=blas, but no BLAS library loaded/.test(w))).toHaveLength(1);
  });

  it("NNLAB_BACKEND with a misspelt value: chosen automatically, and backendInfo says so", () => {
    withEnv({ NNLAB_BACKEND: "openblas" }, () => {
      expect(backendInfo().requested).toBe("auto");
      expect(backendInfo().reason).toMatch(/NNLAB_BACKEND="openblas" is not blas, wasm or auto/);
    });
  });

  const deno = join(repoRoot, "node_modules", ".bin", "deno");
  if (!existsSync(deno)) console.log("Deno fallback test skipped: node_modules/.bin/deno missing (npm install)");
  it.skipIf(!existsSync(deno))("Deno without --allow-ffi: WebAssembly, the reason names the missing permission", () => {
    const dist = join(repoRoot, "kernel-lib", "dist", "index.js");
    const script = `import { createRequire } from "node:module";
const nn = createRequire(${JSON.stringify(repoRoot + "/")})(${JSON.stringify(dist)});
const y = nn.matmul(nn.randn([64, 100]), nn.randn([100, 50]));
const i = nn.backendInfo();
console.log(JSON.stringify({ shape: y.shape, backend: i.backend, reason: i.reason }));`;
    const dir = join(repoRoot, "test", ".tmp", "blas");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "deno-no-ffi.mjs");
    writeFileSync(file, script);
    const r = spawnSync(deno, ["run", "--no-prompt", "--allow-read", "--allow-env", file], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", DENO_NO_PROMPT: "1", NNLAB_BACKEND: "" },
      timeout: 60_000,
    });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout.trim()) as { shape: number[]; backend: string; reason: string };
    expect(out).toMatchObject({ shape: [64, 50], backend: "wasm" });
    expect(out.reason).toMatch(/koffi package did not load.*allow-ffi/);
  });

  it.skipIf(process.platform !== "linux")("under the grading kernels' address-space limit (ulimit -v 4000000) both back ends multiply", () => {
    const dist = join(repoRoot, "kernel-lib", "dist", "index.js");
    const script = `const nn = require(${JSON.stringify(dist)});
const a = nn.randn([300, 200]), b = nn.randn([200, 100]);
const y = nn.matmul(a, b);
let worst = 0;
for (let i = 0; i < 300; i++) for (let j = 0; j < 100; j++) {
  let s = 0; for (let p = 0; p < 200; p++) s += a.data[i * 200 + p] * b.data[p * 100 + j];
  worst = Math.max(worst, Math.abs(s - y.data[i * 100 + j]));
}
console.log(JSON.stringify({ backend: nn.backendInfo().backend, worst }));`;
    // As the grading kernels start Node (kernelspec.ts): with --disable-wasm-trap-handler the
    // WebAssembly memory fits under the limit. Without it, the kernels cannot load, and say so once.
    const trapFlag = process.allowedNodeEnvironmentFlags.has("--disable-wasm-trap-handler") ? ["--disable-wasm-trap-handler"] : [];
    const runs: [string, string[]][] = [
      ...(blasLoads ? [["blas", trapFlag]] : []),
      ...(trapFlag.length ? [["wasm", trapFlag]] : []),
      ["wasm", []],
    ] as [string, string[]][];
    for (const [backend, flags] of runs) {
      const node = [process.execPath, ...flags].map((a) => `"${a}"`).join(" ");
      const r = spawnSync("sh", ["-c", `ulimit -v 4000000 && exec ${node} -e '${script.replace(/'/g, "'\\''")}'`], {
        encoding: "utf8",
        env: { ...process.env, NNLAB_BACKEND: backend },
      });
      const label = `${backend} ${flags.join(" ")}`;
      if (backend === "wasm" && flags.length === 0) {
        const warning = /NnlabWasmWarning: nnlab: the WebAssembly gemm kernel could not be loaded \(.*Wasm memory.*\); .*plain TypeScript/;
        expect(r.stderr, label).toMatch(warning);
        expect(r.stderr.match(/the WebAssembly gemm kernel/g), "once").toHaveLength(1);
      } else {
        expect(r.stderr, label).toBe("");
      }
      const out = JSON.parse(r.stdout.trim()) as { backend: string; worst: number };
      expect(out.backend).toBe(backend);
      expect(out.worst).toBeLessThan(1e-10);
    }
  });

  it("koffi missing (simulated in a fresh process): the built library trains on WebAssembly without an error", () => {
    const dist = join(repoRoot, "kernel-lib", "dist", "index.js");
    expect(existsSync(dist), "kernel-lib/dist is built by `npm test` (npm run build) before the tests").toBe(true);
    const dir = join(repoRoot, "test", ".tmp", "blas");
    mkdirSync(dir, { recursive: true });
    const hook = join(dir, "no-koffi.cjs");
    // Make require("koffi") fail as it does where the optional dependency did not install.
    writeFileSync(
      hook,
      `const M = require("node:module"); const load = M._load;
M._load = function (request, ...rest) { if (request === "koffi") throw new Error("Cannot find module 'koffi' (simulated)"); return load.call(this, request, ...rest); };\n`,
    );
    const script = `const nn = require(${JSON.stringify(dist)});
const x = nn.randn([64, 100]), w = nn.randn([50, 100], { requiresGrad: true });
const y = nn.F.linear(x, w); y.sum().backward();
const i = nn.backendInfo();
console.log(JSON.stringify({ backend: i.backend, reason: i.reason, grad: w.grad.shape }));`;
    const r = spawnSync(process.execPath, ["-r", hook, "-e", script], { encoding: "utf8", env: { ...process.env, NNLAB_BACKEND: "" } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { backend: string; reason: string; grad: number[] };
    expect(out.backend).toBe("wasm");
    expect(out.reason).toMatch(/koffi package did not load.*simulated/);
    expect(out.grad).toEqual([50, 100]);
  });
});
