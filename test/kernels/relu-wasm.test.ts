// ReLU's WebAssembly path must give the plain loops' bits exactly: forward and gradient, float32
// and float64, NaNs of either sign, −0, ±inf, subnormals, and a length that is not a whole
// number of 16-byte vectors.
import { describe, expect, it } from "vitest";
import { F, tensor } from "../../kernel-lib/src/index";
import { RELU_WASM_MIN, reluGradWasm, reluWasm, setReluWasm } from "../../kernel-lib/src/kernels/relu-wasm";
import { wasmSimdAvailable } from "../../kernel-lib/src/kernels/wasm-features";

const available = wasmSimdAvailable();
if (!available) console.log("relu-wasm tests skipped: this engine has no WebAssembly SIMD (relu keeps its JavaScript loops)");

describe.each(["float32", "float64"] as const)("%s relu in WebAssembly", (dtype) => {
  it.skipIf(!available)("equals the plain loops bit for bit, forward and backward", () => {
    const n = RELU_WASM_MIN + 3;
    const special = [NaN, -0, 0, Infinity, -Infinity, 1e-40, -1e-40, 5e-324, -5e-324];
    let seed = 11;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const z = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? special[(i / 7) % special.length] : rnd()));
    const up = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? special[(i / 11) % special.length] : rnd()));
    const run = (wasm: boolean) => {
      setReluWasm(wasm);
      const x = tensor(z, { dtype, requiresGrad: true });
      // a NaN with the sign bit set, as the CPU makes them
      const words = new Int32Array(x.data.buffer, x.data.byteOffset, x.data.length * (x.data.BYTES_PER_ELEMENT / 4));
      words[dtype === "float32" ? 3 : 7] = dtype === "float32" ? 0xffc00000 | 0 : 0xfff80000 | 0;
      const y = F.relu(x);
      y.backward(tensor(up, { dtype }));
      const bits = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; length: number; BYTES_PER_ELEMENT: number }) =>
        Array.from(new Int32Array(a.buffer, a.byteOffset, a.length * (a.BYTES_PER_ELEMENT / 4)));
      return { y: bits(y.data), g: bits(x.grad!.data) };
    };
    try {
      // The WebAssembly path must really run (NNLAB_KERNELS=plain would otherwise compare plain with plain).
      const probe = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
      expect(reluWasm(probe, probe.slice())).toBe(true);
      expect(reluGradWasm(probe, probe.slice(), probe.slice())).toBe(true);
      const fast = run(true);
      const plain = run(false);
      expect(fast.y).toEqual(plain.y);
      expect(fast.g).toEqual(plain.g);
    } finally {
      setReluWasm(true);
    }
  });
});
