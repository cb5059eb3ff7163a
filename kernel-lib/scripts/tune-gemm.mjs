// Times the WebAssembly macro-kernel alone (no copies, no packing) for candidate tile
// shapes and cache blocks: the measurements behind the constants in
// src/kernels/gemm-wasm.ts. Best of many short calls, so a busy machine disturbs it less
// than whole-product timings. Build first (npm run build -w kernel-lib), then:
//   node kernel-lib/scripts/tune-gemm.mjs
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";

const require = createRequire(import.meta.url);
const { gemmFunctions, lanesOf } = require("../dist/kernels/gemm-wasm-module.js");
const { buildModule } = require("../dist/kernels/wasm-emit.js");
// The flags NNLAB_WASM_V8_FLAGS=1 sets while nnlab compiles its kernels (src/kernels/wasm-features.ts).
setFlagsFromString("--no-liftoff --no-wasm-loop-unrolling --experimental-wasm-relaxed-simd");

function macro(shape) {
  const other = { ...shape, dtype: shape.dtype === "f64" ? "f32" : "f64" };
  const bytes = buildModule(shape.dtype === "f64" ? gemmFunctions(shape, other) : gemmFunctions(other, shape), { pages: 16 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  exports.memory.grow(400);
  // Real values everywhere: untouched pages all map to one zero page, which would make
  // every operand look cache-resident.
  // In the kernel's dtype: doubles read as floats would include denormals, which are slow.
  const all = shape.dtype === "f64" ? new Float64Array(exports.memory.buffer) : new Float32Array(exports.memory.buffer);
  for (let i = 0; i < all.length; i++) all[i] = Math.random();
  return exports[`gemm_${shape.dtype}`];
}

/** GFLOP/s of the best call multiplying an mc×kc block by a kc×n block into C (row stride n). */
function rate(shape, n, kc, mc) {
  const kernel = macro(shape);
  const es = shape.dtype === "f64" ? 8 : 4, nr = shape.nrv * lanesOf(shape.dtype);
  const m = Math.floor(mc / shape.mr) * shape.mr, cols = Math.floor(n / nr) * nr;
  const ap = 0, bp = m * kc * es, cp = bp + kc * cols * es;
  let best = Infinity;
  for (let r = 0; r < 200; r++) {
    const t = process.hrtime.bigint();
    kernel(kc, m / shape.mr, cols / nr, ap, bp, cp, cols * es);
    best = Math.min(best, Number(process.hrtime.bigint() - t));
  }
  return (2 * m * cols * kc) / best;
}

console.log("tile shapes (block 96×256·256×96):");
for (const dtype of ["f64", "f32"]) {
  for (const fma of [false, true]) {
    for (const [mr, nrv] of [[4, 2], [3, 3], [2, 4], [6, 2], [4, 3]]) {
      const s = { dtype, mr, nrv, fma };
      console.log(`  ${dtype} ${fma ? "fma    " : "mul+add"} ${mr}×${nrv * lanesOf(dtype)}: ${rate(s, 96, 256, 96).toFixed(1)} GFLOP/s`);
    }
  }
}
console.log("cache blocks for n = 1024 (4-row tiles, fma):");
for (const dtype of ["f64", "f32"]) {
  for (const [kc, mc] of [[256, 128], [256, 64], [256, 32], [128, 64], [128, 128], [128, 256], [512, 64], [64, 256]]) {
    console.log(`  ${dtype} KC=${kc} MC=${mc}: ${rate({ dtype, mr: 4, nrv: 2, fma: true }, 1024, kc, mc).toFixed(1)} GFLOP/s`);
  }
}
