// The 2×2 max pool's WebAssembly path must give the plain loops' bits exactly, forward (values
// and which element won) and backward: float32 and float64, ties (the first in row-major order
// wins), NaNs (the first NaN wins), −0 against +0, ±inf, rows whose window count is not a whole
// number of SIMD steps (13 = 3·4 + 1), and odd sizes that must fall back to the loops.
import { describe, expect, it } from "vitest";
import { F, Tensor } from "../../kernel-lib/src/index";
import { maxPool2x2Wasm, setPoolWasm } from "../../kernel-lib/src/kernels/pool-wasm";
import { wasmSimdAvailable } from "../../kernel-lib/src/kernels/wasm-features";

const available = wasmSimdAvailable();
if (!available) console.log("pool-wasm tests skipped: this engine has no WebAssembly SIMD (max pooling keeps its JavaScript loops)");

function bits(a: Float32Array | Float64Array): string[] {
  const u = a instanceof Float32Array ? new Uint32Array(a.buffer, a.byteOffset, a.length) : new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  return Array.from(u, (v) => v.toString(16));
}

describe.each(["float32", "float64"] as const)("%s 2×2 max pool in WebAssembly", (dtype) => {
  const Arr = dtype === "float32" ? Float32Array : Float64Array;
  const special = [NaN, -0, 0, Infinity, -Infinity, 1, 1, -1];
  const make = (shape: number[], seedIn: number) => {
    let seed = seedIn;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const size = shape.reduce((a, b) => a * b, 1);
    // Few distinct values, so that ties are common; some specials.
    const data = new Arr(
      Array.from({ length: size }, (_, i) =>
        i % 5 === 0 ? special[Math.floor(rnd() * special.length)] : Math.floor(rnd() * 4) - 2 + (rnd() < 0.1 ? 0.5 : 0),
      ),
    );
    return data;
  };
  const run = (data: Float32Array | Float64Array, shape: number[], g: Float32Array | Float64Array, wasm: boolean) => {
    setPoolWasm(wasm);
    try {
      const x = new Tensor(data.slice(), shape, true);
      const y = F.maxPool2d(x, 2);
      y.backward(new Tensor(g.slice(), y.shape));
      return { y: bits(y.data as Float32Array), gx: bits(x.grad!.data as Float32Array) };
    } finally {
      setPoolWasm(true);
    }
  };

  for (const shape of [
    [4, 3, 26, 26],
    [16, 8, 8, 8],
    [8, 5, 10, 12],
    [2, 3, 27, 26],
    [2, 3, 26, 25],
  ]) {
    it.skipIf(!available)(`equals the plain loops bit for bit on ${shape.join("×")}`, () => {
      const data = make(shape, 7 + shape[3]);
      const [n, c, h, w] = shape;
      const outs = n * c * Math.floor(h / 2) * Math.floor(w / 2);
      const g = make([outs], 3);
      const wasmRun = run(data, shape, g, true);
      const plainRun = run(data, shape, g, false);
      expect(wasmRun.y).toEqual(plainRun.y);
      expect(wasmRun.gx).toEqual(plainRun.gx);
    });
  }

  it.skipIf(!available)("takes the SIMD path for even sizes and declines odd ones", () => {
    const x = make([64, 26, 26], 5);
    const out = new Arr(64 * 13 * 13);
    const codes = new Int32Array(out.length);
    expect(maxPool2x2Wasm(x, out, codes, 64, 26, 26)).toBe(true);
    // Each code names the window element that equals the output (bitwise, NaN included).
    for (let q = 0; q < out.length; q++) {
      const plane = Math.floor(q / 169),
        i = Math.floor((q % 169) / 13),
        j = q % 13;
      const at = plane * 676 + (2 * i + (codes[q] >> 1)) * 26 + 2 * j + (codes[q] & 1);
      expect(Object.is(x[at], out[q])).toBe(true);
    }
    expect(maxPool2x2Wasm(make([64, 26, 25], 5), new Arr(64 * 13 * 12), new Int32Array(64 * 13 * 12), 64, 26, 25)).toBe(false);
  });
});
