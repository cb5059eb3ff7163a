import type { FloatArray } from "./pack";

function dtypeOf(x: FloatArray): string {
  return x instanceof Float32Array ? "float32" : x instanceof Float64Array ? "float64" : "unsupported";
}

/**
 * Throws an error naming the op, the shapes and the offending operand when a GEMM call
 * would read or write outside its arrays or mixes dtypes. Out-of-range typed-array
 * reads return undefined (NaN in sums) instead of failing, so this check is what turns
 * a wrong stride in a caller into a message instead of silently wrong numbers.
 */
export function checkGemmArgs(
  op: string, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOffset: number, b: FloatArray, bOffset: number,
  c: FloatArray, cOffset: number,
): void {
  const shape = `${op}(transA=${transA}, transB=${transB}, m=${m}, n=${n}, k=${k})`;
  for (const [name, v] of [["m", m], ["n", n], ["k", k], ["aOffset", aOffset], ["bOffset", bOffset], ["cOffset", cOffset]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${shape}: ${name} must be a non-negative integer, got ${v}`);
  }
  const da = dtypeOf(a), db = dtypeOf(b), dc = dtypeOf(c);
  if (da === "unsupported" || da !== db || da !== dc) {
    throw new TypeError(`${shape}: A, B and C must all be Float32Array or all Float64Array, got ${da}, ${db}, ${dc}; convert the tensors to one dtype first`);
  }
  const need = (name: string, arr: FloatArray, off: number, len: number, stored: string): void => {
    if (off + len > arr.length) {
      throw new RangeError(`${shape}: ${name} stored ${stored} needs ${len} elements from offset ${off}, but the array has length ${arr.length}`);
    }
  };
  need("A", a, aOffset, m * k, transA ? `${k}×${m}` : `${m}×${k}`);
  need("B", b, bOffset, k * n, transB ? `${n}×${k}` : `${k}×${n}`);
  need("C", c, cOffset, m * n, `${m}×${n}`);
}
