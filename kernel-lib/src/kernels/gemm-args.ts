import type { FloatArray } from "../tensor/dtype";

function isCount(v: number): boolean {
  return Number.isInteger(v) && v >= 0;
}

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
  op: string,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  b: FloatArray,
  bOffset: number,
  c: FloatArray,
  cOffset: number,
): void {
  const fine =
    isCount(m) &&
    isCount(n) &&
    isCount(k) &&
    isCount(aOffset) &&
    isCount(bOffset) &&
    isCount(cOffset) &&
    ((a instanceof Float64Array && b instanceof Float64Array && c instanceof Float64Array) ||
      (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) &&
    aOffset + m * k <= a.length &&
    bOffset + k * n <= b.length &&
    cOffset + m * n <= c.length;
  // Small products are called in tight loops: build the message only when something is wrong.
  if (fine) return;
  const shape = `${op}(transA=${transA}, transB=${transB}, m=${m}, n=${n}, k=${k})`;
  for (const [name, v] of [
    ["m", m],
    ["n", n],
    ["k", k],
    ["aOffset", aOffset],
    ["bOffset", bOffset],
    ["cOffset", cOffset],
  ] as const) {
    if (!isCount(v)) throw new RangeError(`${shape}: ${name} must be a non-negative integer, got ${v}`);
  }
  const da = dtypeOf(a),
    db = dtypeOf(b),
    dc = dtypeOf(c);
  if (da === "unsupported" || da !== db || da !== dc) {
    throw new TypeError(
      `${shape}: A, B and C must all be Float32Array or all Float64Array, got ${da}, ${db}, ${dc}; convert the tensors to one dtype first`,
    );
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
