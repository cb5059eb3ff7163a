/**
 * maxPool2d(relu(conv2d(x, W, b)), 2) as one op, for nn.Sequential's Conv2d → ReLU → MaxPool2d(2)
 * (kernels/conv-block-wasm.ts says why and proves the values equal). It applies only where each
 * layer would take its own SIMD path anyway (stride 1, no padding, a few taps, even output sizes)
 * and where x needs no gradient (a first layer: the block computes the weight and bias gradients
 * only); elsewhere it returns null and the layers run one by one.
 */
import type { Tensor } from "../tensor/tensor";
import { allocateOutput, allocate, type FloatArray } from "../tensor/dtype";
import { result, needsGrad } from "../autograd/graph";
import { convBlockApplies, convReluPoolGradWasm, convReluPoolWasm } from "../kernels/conv-block-wasm";

export function convReluMaxPool2d(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor | null {
  if (x.ndim !== 4 || weight.ndim !== 4 || needsGrad(x)) return null;
  if (weight.dtype !== x.dtype || (bias !== null && (bias.dtype !== x.dtype || bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]))) return null;
  const [n, c, h, w] = x.shape;
  const [o, cw, kh, kw] = weight.shape;
  const oh = h - kh + 1,
    ow = w - kw + 1;
  if (cw !== c || oh < 2 || ow < 2 || oh % 2 !== 0 || ow % 2 !== 0) return null;
  const s = { n, c, h, w, o, kh, kw };
  if (!convBlockApplies(s, x.data)) return null;
  const p = allocateOutput(x.dtype, n * o * (oh / 2) * (ow / 2));
  const codes = new Int32Array(p.length);
  if (!convReluPoolWasm(s, x.data.subarray(0, x.size), weight.data, bias ? bias.data : null, p, codes)) return null;
  return result("Conv2dReluMaxPool2d", p, [n, o, oh / 2, ow / 2], bias ? [x, weight, bias] : [x, weight], (g) => {
    const gw: FloatArray | null = weight.requiresGrad ? allocate(weight.dtype, weight.size) : null;
    const gb: FloatArray | null = bias?.requiresGrad ? allocate(bias.dtype, bias.size) : null;
    if ((gw || gb) && !convReluPoolGradWasm(s, x.data.subarray(0, x.size), p, codes, g, gw, gb)) {
      // Only if WebAssembly memory could not grow since the forward: say so rather than guess.
      throw new Error(
        `Conv2d → ReLU → MaxPool2d backward: WebAssembly memory could not grow for an input of shape ${JSON.stringify(x.shape)}; ` +
          "use smaller batches, or call the layers one by one (conv.forward(x), then F.relu, then F.maxPool2d) instead of through a Sequential.",
      );
    }
    return bias ? [null, gw, gb] : [null, gw];
  });
}
