import { type FloatArray, allocate } from "./dtype";
import { sizeOf, stridesOf } from "./shape";

/**
 * For each flat index of `outShape`, the flat index of the element of an operand of `inShape` that
 * broadcasting reads there. Null when no broadcasting happens (same size means same layout: an
 * operand can only be expanded by repeating it, which changes its size). Read-only: the map of a
 * one-element operand is shared.
 */
export function broadcastIndex(outShape: readonly number[], inShape: readonly number[]): Int32Array | null {
  const n = sizeOf(outShape);
  const size = sizeOf(inShape);
  if (size === n) return null;
  if (size === 1) return zeroMap(n);
  const nd = outShape.length;
  const inStrides = stridesOf(inShape);
  // Stride of each output dimension in the operand: 0 where the operand is repeated.
  const st = new Array<number>(nd).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const od = nd - inShape.length + i;
    st[od] = inShape[i] === 1 ? 0 : inStrides[i];
  }
  const map = new Int32Array(n);
  if (n === 0) return map;
  const counter = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const lastSize = outShape[last];
  const lastStride = st[last];
  let base = 0;
  for (let i = 0; i < n; i += lastSize) {
    for (let j = 0; j < lastSize; j++) map[i + j] = base + j * lastStride;
    // Advance the odometer over every dimension but the last.
    for (let d = last - 1; d >= 0; d--) {
      counter[d]++;
      base += st[d];
      if (counter[d] < outShape[d]) break;
      base -= st[d] * counter[d];
      counter[d] = 0;
    }
  }
  return map;
}

let zeros = new Int32Array(1024);

/**
 * The map of a one-element operand (a scalar, a bias of one): all zeros. Shared by every caller,
 * so building it costs nothing per op; the maps are read-only by contract.
 */
function zeroMap(n: number): Int32Array {
  if (zeros.length < n) zeros = new Int32Array(Math.max(n, 2 * zeros.length));
  return zeros.subarray(0, n);
}

/** Sum a gradient of the broadcast (output) shape back down to an operand's shape. */
export function sumToShape(g: FloatArray, outShape: readonly number[], inShape: readonly number[]): FloatArray {
  const map = broadcastIndex(outShape, inShape);
  if (map === null) return g;
  // From the free list (zero-filled): the driver releases it once added in, so the next step reuses it.
  const res = allocate(g instanceof Float32Array ? "float32" : "float64", sizeOf(inShape));
  for (let i = 0; i < g.length; i++) res[map[i]] += g[i];
  return res;
}
