/**
 * Matrix products. matmul follows torch.matmul: 1-D·1-D is a dot product, a 1-D operand is treated
 * as a row (left) or a column (right) vector and that dimension dropped again, and leading (batch)
 * dimensions broadcast. The work goes to `gemm` (the system's BLAS, WebAssembly SIMD or plain TypeScript).
 *
 * Backward, for C = A·B:  ∂C/∂A = G·Bᵀ,  ∂C/∂B = Aᵀ·G  (summed over broadcast batches).
 */
import { type FloatArray, allocate, allocateOutput } from "../tensor/dtype";
import { broadcastIndex } from "../tensor/broadcast";
import { broadcastShapes, fmtShape, ShapeError, sizeOf } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { blasMinWorkNow, gemm } from "../kernels/gemm";
import { activeBlas } from "../kernels/backend";
import { matTVecWasm, matVecWasm } from "../kernels/matvec-wasm";
import { operands } from "./operands";

export function matmul(x: Tensor, y: Tensor): Tensor {
  const [a, b] = operands("matmul", x, y);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `matmul: both operands need at least one dimension, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} (use mul for scalars).`,
    );
  }
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : a.shape;
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : b.shape;
  const m = aShape[aShape.length - 2];
  const k = aShape[aShape.length - 1];
  const k2 = bShape[bShape.length - 2];
  const n = bShape[bShape.length - 1];
  if (k !== k2) {
    throw new ShapeError(
      `matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not fit: the first has ${k} columns, the second ${k2} rows ` +
        `(for A·B the last dimension of A must equal the second-to-last of B; did you mean to transpose one of them?).`,
    );
  }
  if (a.ndim === 2 && b.ndim === 2) return matmul2d(a, b, m, n, k);
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const batch = broadcastShapes("matmul", batchA, batchB);
  const nb = sizeOf(batch);
  const mapA = broadcastIndex(batch, batchA);
  const mapB = broadcastIndex(batch, batchB);
  const out = allocate(a.dtype, nb * m * n);
  for (let i = 0; i < nb; i++) {
    const ia = mapA === null ? i : mapA[i];
    const ib = mapB === null ? i : mapB[i];
    gemm(false, false, m, n, k, a.data, ia * m * k, b.data, ib * k * n, out, i * m * n, false);
  }
  const shape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];
  return result("MatMul", out, shape, [a, b], (g) => {
    let ga = null;
    let gb = null;
    if (a.requiresGrad) {
      ga = allocate(a.dtype, a.size);
      for (let i = 0; i < nb; i++) {
        const ia = mapA === null ? i : mapA[i];
        gemm(false, true, m, k, n, g, i * m * n, b.data, (mapB === null ? i : mapB[i]) * k * n, ga, ia * m * k, true);
      }
    }
    if (b.requiresGrad) {
      gb = allocate(b.dtype, b.size);
      for (let i = 0; i < nb; i++) {
        const ib = mapB === null ? i : mapB[i];
        gemm(true, false, k, n, m, a.data, (mapA === null ? i : mapA[i]) * m * k, g, i * m * n, gb, ib * k * n, true);
      }
    }
    return [ga, gb];
  });
}

/**
 * The common case, two matrices: the same products as below without the batch bookkeeping (shape
 * lists, broadcast maps), which cost as much as the product itself for a [5, 200]·[200, 1].
 */
function matmul2d(a: Tensor, b: Tensor, m: number, n: number, k: number): Tensor {
  const out = allocateOutput(a.dtype, m * n);
  product(false, false, m, n, k, a.data, b.data, out);
  return result("MatMul", out, [m, n], [a, b], (g) => {
    let ga = null;
    let gb = null;
    if (a.requiresGrad) {
      ga = allocateOutput(a.dtype, m * k);
      product(false, true, m, k, n, g, b.data, ga);
    }
    if (b.requiresGrad) {
      gb = allocateOutput(b.dtype, k * n);
      product(true, false, k, n, m, a.data, g, gb);
    }
    return [ga, gb];
  });
}

/**
 * Below this many multiply-adds a product runs as the straight loops of `smallProduct`: gemm's
 * argument checks, packing and (for WebAssembly) copies in and out cost several times the
 * arithmetic there: the weight-decay loop's [5, 200]·[200, 1] took five times as long through gemm
 * (bench/NOTES.md).
 */
const SMALL_WORK = 4096;
// With a BLAS loaded, only the matrix-vector loops below stay: they beat a call into cblas_dgemm,
// which beats smallProduct from 8×8·8×8 up (bench/blas-crossover.mjs; figures in bench/NOTES.md).

/**
 * c = op(a)·op(b) for whole, contiguous matrices (c written in full). The shape-specific loops are
 * chosen here, in a function too small to matter where the engine inlines them: dispatched from
 * inside the general loop nest of smallProduct, the [5, 200]·[200, 1] loop ran at half speed.
 */
function product(transA: boolean, transB: boolean, m: number, n: number, k: number, a: FloatArray, b: FloatArray, c: FloatArray): void {
  const work = m * n * k;
  if (work > SMALL_WORK || (n !== 1 && work >= blasMinWorkNow() && activeBlas() !== null)) gemm(transA, transB, m, n, k, a, 0, b, 0, c, 0, false);
  else if (transA && !transB) {
    if (n !== 1) smallProductTransA(m, n, k, a, b, c);
    else if (!matTVecWasm(m, k, a, b, c)) columnTransA(m, k, a, b, c);
  } else if (!transA && n === 1) {
    if (!matVecWasm(m, k, a, b, c)) matrixTimesColumn(m, k, a, b, c);
  } else smallProduct(transA, transB, m, n, k, a, b, c);
}

/**
 * Each element a dot product summed in doubles and stored once (float32 results are rounded once,
 * as gemm's are). Four running sums instead of one: a single sum waits ~4 cycles on each addition
 * before the next can start (the [5, 200]·[200, 1] forward took twice as long); the order of the
 * additions changes within rounding (gemm's WebAssembly path sums in yet another order).
 */
function smallProduct(transA: boolean, transB: boolean, m: number, n: number, k: number, a: FloatArray, b: FloatArray, c: FloatArray): void {
  // Strides of op(a) and op(b) over their stored layouts: a transposed operand is read in place.
  const aRow = transA ? 1 : k;
  const aStep = transA ? m : 1;
  const bCol = transB ? k : 1;
  const bStep = transB ? 1 : n;
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let ai = i * aRow;
      let bj = j * bCol;
      if (aStep === 1 && bStep === 1) {
        // Both read along their rows (X·w for a column w, G·Wᵀ): plain offsets, the fastest loop.
        c[i * n + j] = dotRun(a, ai, b, bj, k);
        continue;
      }
      for (let p = 0; p < k4; p += 4) {
        s0 += a[ai] * b[bj];
        s1 += a[ai + aStep] * b[bj + bStep];
        s2 += a[ai + 2 * aStep] * b[bj + 2 * bStep];
        s3 += a[ai + 3 * aStep] * b[bj + 3 * bStep];
        ai += 4 * aStep;
        bj += 4 * bStep;
      }
      for (let p = k4; p < k; p++) {
        s0 += a[ai] * b[bj];
        ai += aStep;
        bj += bStep;
      }
      c[i * n + j] = s0 + s1 + (s2 + s3);
    }
  }
}

/**
 * c = a·b for a column b (X·w of a one-output layer): four rows at a time, each with its own
 * running sum (four independent chains of additions), every b[p] read once per four rows.
 */
function matrixTimesColumn(m: number, k: number, a: FloatArray, b: FloatArray, c: FloatArray): void {
  const m4 = m - (m % 4);
  let i = 0;
  for (; i < m4; i += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const r0 = i * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    for (let p = 0; p < k; p++) {
      const v = b[p];
      s0 += a[r0 + p] * v;
      s1 += a[r1 + p] * v;
      s2 += a[r2 + p] * v;
      s3 += a[r3 + p] * v;
    }
    c[i] = s0;
    c[i + 1] = s1;
    c[i + 2] = s2;
    c[i + 3] = s3;
  }
  for (; i < m; i++) c[i] = dotRun(a, i * k, b, 0, k);
}

/** Σ a[ai + p]·b[bj + p] for p < k, in four running sums. */
function dotRun(a: FloatArray, ai: number, b: FloatArray, bj: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = ai + k - (k % 4);
  const shift = bj - ai;
  let p = ai;
  for (; p < end; p += 4) {
    s0 += a[p] * b[p + shift];
    s1 += a[p + 1] * b[p + 1 + shift];
    s2 += a[p + 2] * b[p + 2 + shift];
    s3 += a[p + 3] * b[p + 3 + shift];
  }
  for (; p < ai + k; p++) s0 += a[p] * b[p + shift];
  return s0 + s1 + (s2 + s3);
}

let scratch = new Float64Array(SMALL_WORK);

/**
 * c = aᵀ·b (a weight's gradient, Xᵀ·G) with a stored k×m: as dot products it would read a down its
 * columns and, for the usual short k (the batch), spend more on starting 200 sums than on adding.
 * Instead each row of a (contiguous) times the matching row of b is added into all of c, which keeps
 * the sum over p in order. Float32 results are summed in a float64 scratch and rounded once.
 */
function smallProductTransA(m: number, n: number, k: number, a: FloatArray, b: FloatArray, c: FloatArray): void {
  const size = m * n;
  if (scratch.length < size) scratch = new Float64Array(size);
  const acc = c instanceof Float64Array ? c : scratch;
  acc.fill(0, 0, size);
  for (let p = 0; p < k; p++) {
    const aRow = p * m;
    const bRow = p * n;
    for (let r = 0; r < m; r++) {
      const v = a[aRow + r];
      const cRow = r * n;
      for (let j = 0; j < n; j++) acc[cRow + j] += v * b[bRow + j];
    }
  }
  if (acc !== c) for (let i = 0; i < size; i++) c[i] = acc[i];
}

/**
 * c = aᵀ·b for a column b (the gradient of a one-output layer): eight neighbouring outputs summed
 * at once in registers, reading eight adjacent elements of each row of a and each b[p] once. For
 * the usual short k (a batch of 5) the loop over p is a few iterations: the wider block pays its
 * setup over twice the outputs of a block of four (faster for [200, 5]ᵀ·[5, 1]: bench/NOTES.md); each output
 * is still one sum over p in order.
 */
function columnTransA(m: number, k: number, a: FloatArray, b: FloatArray, c: FloatArray): void {
  const m8 = m - (m % 8);
  let r = 0;
  for (; r < m8; r += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let p = 0, at = r; p < k; p++, at += m) {
      const v = b[p];
      s0 += a[at] * v;
      s1 += a[at + 1] * v;
      s2 += a[at + 2] * v;
      s3 += a[at + 3] * v;
      s4 += a[at + 4] * v;
      s5 += a[at + 5] * v;
      s6 += a[at + 6] * v;
      s7 += a[at + 7] * v;
    }
    c[r] = s0;
    c[r + 1] = s1;
    c[r + 2] = s2;
    c[r + 3] = s3;
    c[r + 4] = s4;
    c[r + 5] = s5;
    c[r + 6] = s6;
    c[r + 7] = s7;
  }
  for (; r < m; r++) {
    let s = 0;
    for (let p = 0, at = r; p < k; p++, at += m) s += a[at] * b[p];
    c[r] = s;
  }
}

/** Σ aᵢbᵢ of two 1-D tensors of equal length. */
export function dot(x: Tensor, y: Tensor): Tensor {
  const [a, b] = operands("dot", x, y);
  if (a.ndim !== 1 || b.ndim !== 1 || a.size !== b.size) {
    throw new ShapeError(`dot: needs two 1-D tensors of the same length, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  }
  return matmul(a, b);
}

/** aᵢbⱼ: the [m, n] outer product of 1-D tensors of lengths m and n. */
export function outer(x: Tensor, y: Tensor): Tensor {
  const [a, b] = operands("outer", x, y);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(`outer: needs two 1-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  }
  return matmul(a.reshape(a.size, 1), b.reshape(1, b.size));
}
