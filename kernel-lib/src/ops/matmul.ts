/**
 * Matrix products. matmul follows torch.matmul: 1-D·1-D is a dot product, a 1-D operand is treated
 * as a row (left) or a column (right) vector and that dimension dropped again, and leading (batch)
 * dimensions broadcast. The work goes to `gemm` (WebAssembly SIMD or plain TypeScript).
 *
 * Backward, for C = A·B:  ∂C/∂A = G·Bᵀ,  ∂C/∂B = Aᵀ·G  (summed over broadcast batches).
 */
import { allocate } from "../tensor/dtype";
import { broadcastIndex } from "../tensor/broadcast";
import { broadcastShapes, fmtShape, ShapeError, sizeOf } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { gemm } from "../kernels/gemm";
import { operands } from "./operands";

export function matmul(x: Tensor, y: Tensor): Tensor {
  const [a, b] = operands("matmul", x, y);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both operands need at least one dimension, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} (use mul for scalars).`);
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
  const out = allocate(a.dtype, m * n);
  gemm(false, false, m, n, k, a.data, 0, b.data, 0, out, 0, false);
  return result("MatMul", out, [m, n], [a, b], (g) => {
    let ga = null;
    let gb = null;
    if (a.requiresGrad) {
      ga = allocate(a.dtype, m * k);
      gemm(false, true, m, k, n, g, 0, b.data, 0, ga, 0, false);
    }
    if (b.requiresGrad) {
      gb = allocate(b.dtype, k * n);
      gemm(true, false, k, n, m, a.data, 0, g, 0, gb, 0, false);
    }
    return [ga, gb];
  });
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
