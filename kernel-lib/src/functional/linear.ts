/**
 * y = x·Wᵀ + b, one fused op (PyTorch's F.linear): x [..., in], W [out, in], b [out] → y [..., out].
 * Fused so that Wᵀ is never materialised: the products go to gemm with the transpose flag.
 *
 * Backward, with G = ∂C/∂y flattened to [N, out]:
 *   ∂C/∂x = G·W,   ∂C/∂W = Gᵀ·x (the article's δ·aᵀ, summed over the batch),   ∂C/∂b = Σ_rows G.
 */
import { allocate, allocateOutput } from "../tensor/dtype";
import { fmtShape, ShapeError } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { result } from "../autograd/graph";
import { asTensor } from "../ops/operands";
import { gemm } from "../kernels/gemm";

export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const x = asTensor("linear", input);
  const w = asTensor("linear", weight);
  if (w.ndim !== 2) throw new ShapeError(`linear: weight must be [out, in], got ${fmtShape(w.shape)}.`);
  const [outF, inF] = w.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new ShapeError(
      `linear: input ${fmtShape(x.shape)} does not fit weight ${fmtShape(w.shape)}: the input's last dimension must be ${inF} (in_features). ` +
        "Flatten images first (nn.Flatten), or check the layer sizes.",
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new ShapeError(`linear: bias must be [${outF}], got ${fmtShape(bias.shape)}.`);
  }
  for (const t of bias ? [w, bias] : [w]) {
    if (t.dtype !== x.dtype) throw new TypeError(`linear: input is ${x.dtype} but a parameter is ${t.dtype}; convert the model or the input.`);
  }
  const n = x.size / inF;
  const out = allocateOutput(x.dtype, n * outF);
  if (bias) {
    // y = b + x·Wᵀ: every row starts as the bias (a memcpy per row) and the product is added in
    // (PyTorch's addmm adds in the same order). An element-wise loop after the product cost a
    // few percent of an MLP batch (bench/NOTES.md).
    const b = bias.data;
    for (let i = 0; i < n; i++) out.set(b, i * outF);
    gemm(false, true, n, outF, inF, x.data, 0, w.data, 0, out, 0, true);
  } else {
    gemm(false, true, n, outF, inF, x.data, 0, w.data, 0, out, 0, false);
  }
  const shape = [...x.shape.slice(0, -1), outF];
  return result("Linear", out, shape, bias ? [x, w, bias] : [x, w], (g) => {
    let gx = null;
    let gw = null;
    let gb = null;
    if (x.requiresGrad) {
      gx = allocateOutput(x.dtype, x.size);
      gemm(false, false, n, inF, outF, g, 0, w.data, 0, gx, 0, false);
    }
    if (w.requiresGrad) {
      gw = allocateOutput(w.dtype, w.size);
      gemm(true, false, outF, inF, n, g, 0, x.data, 0, gw, 0, false);
    }
    if (bias?.requiresGrad) {
      gb = allocate(bias.dtype, outF);
      for (let i = 0, o = 0; i < n; i++) for (let j = 0; j < outF; j++, o++) gb[j] += g[o];
    }
    return bias ? [gx, gw, gb] : [gx, gw];
  });
}
