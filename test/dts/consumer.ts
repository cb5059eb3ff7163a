// Compiled by test/dts/declarations.test.ts with tslab's own TypeScript (5.0.4) against
// kernel-lib/dist/*.d.ts, the way a notebook cell sees the library.
import * as nnlab from "nnlab";
import { tensor, F, type Tensor, seed, gradcheck } from "nnlab";
import * as plot from "nnlab/plot";
import * as grading from "nnlab/grading";

seed(0);
const x: Tensor = tensor(
  [
    [1, 2],
    [3, 4],
  ],
  { requiresGrad: true },
);
const y: Tensor = F.sigmoid(x.matmul(x.T)).sum();
y.backward();
const g: Float64Array | Float32Array = x.grad!.data;
const n: number = g[0] + nnlab.randn([2]).item.length;
const r: boolean = gradcheck((a) => a.square().sum(), [tensor([1.5])]).ok;
const modules: object[] = [plot, grading];
export { n, r, modules };
