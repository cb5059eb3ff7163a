// The WebAssembly momentum update must equal sgdStep's JavaScript loop bit for bit (float32 and
// float64, the first step that starts the buffer and the steps after it).
import { describe, expect, it } from "vitest";
import { sgdStep } from "../../kernel-lib/src/optim/sgd";
import { SGD_WASM_CHUNK, SGD_WASM_MIN, setSgdWasm, sgdMomentumWasm, sgdStepWasm } from "../../kernel-lib/src/kernels/sgd-wasm";
import { wasmSimdAvailable } from "../../kernel-lib/src/kernels/wasm-features";

const available = wasmSimdAvailable();
if (!available) console.log("sgd-wasm tests skipped: this engine has no WebAssembly SIMD (sgdStep keeps its JavaScript loop)");

describe.each([
  ["float32", Float32Array],
  ["float64", Float64Array],
] as const)("%s SGD momentum in WebAssembly", (_, C) => {
  it.skipIf(!available)("gives the JavaScript loop's parameters and buffer exactly, over three steps", () => {
    const n = SGD_WASM_MIN + 3;
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const p0 = new C(Array.from({ length: n }, () => rnd() * 3));
    const grads = [0, 1, 2].map(() => new C(Array.from({ length: n }, () => rnd() * 1e-3)));
    const h = { lr: 0.05, momentum: 0.9, dampening: 0.25, weightDecay: 0, nesterov: false, maximize: false };
    const run = (wasm: boolean) => {
      setSgdWasm(wasm);
      const p = p0.slice();
      const state = { momentumBuffer: null };
      for (const g of grads) sgdStep(p, g, state, h);
      return { p: Array.from(p), b: Array.from(state.momentumBuffer! as ArrayLike<number>) };
    };
    try {
      // The WebAssembly update must really run (NNLAB_KERNELS=plain would otherwise compare plain with plain).
      setSgdWasm(true);
      expect(sgdMomentumWasm(p0.slice(), grads[0].slice(), new C(n), 0.9, 0.75, -0.05, true)).toBe(true);
      const fast = run(true);
      const plain = run(false);
      expect(fast.p).toEqual(plain.p);
      expect(fast.b).toEqual(plain.b);
      expect(fast.p).not.toEqual(Array.from(p0));
    } finally {
      setSgdWasm(true);
    }
  });

  // Without dampening float32 takes the f32x4 buffer loop, whose exactness rests on a rounding
  // argument; the other options take the widening pair loop. Here values across the whole exponent
  // range (subnormals, ±0, ±Infinity), lengths that end mid-chunk and mid-SIMD-group, first steps
  // against later ones, and every option.
  it.skipIf(!available)("is exact for every option, extreme values and every tail length", () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const wild = (): number => {
      const r = rnd();
      if (r < 0.02) return [0, -0, Infinity, -Infinity, 1e-45, -1.4e-45, 3e-39][Math.floor(rnd() * 7)];
      const sign = rnd() < 0.5 ? -1 : 1;
      const exp = C === Float32Array ? rnd() * 80 - 45 : rnd() * 600 - 310;
      return sign * (1 + rnd()) * 10 ** exp;
    };
    for (const n of [SGD_WASM_MIN, SGD_WASM_MIN + 1, SGD_WASM_MIN + 2, 2 * SGD_WASM_CHUNK + 3, 3 * SGD_WASM_CHUNK - 2]) {
      const base = { lr: 0.01, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
      for (const h of [
        base,
        { ...base, lr: 3.7, momentum: 0.3 },
        { ...base, dampening: 0.25 },
        { ...base, weightDecay: 1e-3 },
        { ...base, nesterov: true },
        { ...base, maximize: true },
        { ...base, momentum: 0 },
        { ...base, momentum: 0, weightDecay: 0.3, maximize: true },
        { lr: 0.2, momentum: 0.8, dampening: 0, weightDecay: 5e-4, nesterov: true, maximize: true },
      ]) {
        const p0 = new C(Array.from({ length: n }, wild));
        const grads = [0, 1, 2].map(() => new C(Array.from({ length: n }, wild)));
        const run = (wasm: boolean) => {
          setSgdWasm(wasm);
          const p = p0.slice();
          const state = { momentumBuffer: null };
          for (const g of grads) sgdStep(p, g, state, h);
          return { p, b: (state.momentumBuffer ?? new C(n)) as ArrayLike<number> };
        };
        try {
          const fast = run(true);
          const plain = run(false);
          for (let i = 0; i < n; i++) {
            if (!Object.is(fast.p[i], plain.p[i]) || !Object.is(fast.b[i], plain.b[i])) {
              expect({ n, i, p: fast.p[i], b: fast.b[i] }).toEqual({ n, i, p: plain.p[i], b: plain.b[i] });
            }
          }
        } finally {
          setSgdWasm(true);
        }
      }
    }
  });

  it("declines small or mixed-dtype arrays, leaving them to the caller's loop", () => {
    const small = new C(10);
    expect(sgdMomentumWasm(small, new C(10), new C(10), 0.9, 1, -0.1, false)).toBe(false);
    const other = C === Float32Array ? Float64Array : Float32Array;
    const n = SGD_WASM_MIN;
    expect(sgdMomentumWasm(new C(n), new other(n), new C(n), 0.9, 1, -0.1, false)).toBe(false);
  });
});

// Plain float32 SGD (no momentum, decay or maximize) of up to 1,024 weights runs in a JavaScript
// loop (optim/sgd.ts's plainStep, shared with float64): it must give the WebAssembly loop's weights bit
// for bit, since both round θ + η·g, computed in a double, once to float32.
describe("plain float32 SGD in JavaScript", () => {
  it.skipIf(!available)("equals the WebAssembly update exactly, extreme values and tails included", () => {
    let seed = 5;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const wild = (): number => {
      if (rnd() < 0.02) return [0, -0, Infinity, -Infinity, 1e-45, -1.4e-45, 3e-39][Math.floor(rnd() * 7)];
      return (rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 10 ** (rnd() * 80 - 45);
    };
    for (const n of [1, 3, 200, 1021, 1024]) {
      for (const lr of [0.003, 3.7, 1e-30]) {
        const p0 = Float32Array.from({ length: n }, wild);
        const g = Float32Array.from({ length: n }, wild);
        const js = p0.slice();
        sgdStep(js, g, { momentumBuffer: null }, { lr, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
        const wasm = p0.slice();
        // The pair loop with no flags: θ ← θ + (−η)·g, with −η cast to float32 as sgdStep casts it.
        const ran = n >= SGD_WASM_MIN && sgdStepWasm(wasm, g, null, 0, 1, Math.fround(-lr), 0, 0);
        const want = ran ? wasm : Float32Array.from(p0, (x, i) => x + Math.fround(-lr) * g[i]);
        for (let i = 0; i < n; i++) {
          if (!Object.is(js[i], want[i])) expect({ n, lr, i, js: js[i] }).toEqual({ n, lr, i, js: want[i] });
        }
        if (n >= SGD_WASM_MIN) expect(ran).toBe(true);
        // With hundreds of weights some step is never below every weight's rounding.
        if (n >= 200) expect(Array.from(js)).not.toEqual(Array.from(p0));
      }
    }
  });
});
