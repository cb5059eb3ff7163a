// The benchmark workloads set up in nnlab, shared by bench/nnlab_peer.mjs (the timed comparison) and
// bench/breakdown.mjs (the phase-by-phase profile), so that both time the same thing.
import { createRequire } from "node:module";
import { workloads } from "./workloads.mjs";

const require = createRequire(import.meta.url);
const nnlab = require("../kernel-lib/dist/index.js");
const optim = require("../kernel-lib/dist/optim/index.js");

/** Rows start…end of a tensor as a view, as a DataLoader over a tensor hands out batches. */
export function rows(t, start, end) {
  const width = t.size / t.shape[0];
  return new nnlab.Tensor(t.data.subarray(start * width, end * width), [end - start, ...t.shape.slice(1)]);
}

/** The article's linear model for the weight-decay loop: data, parameters and plain SGD. */
export function weightDecayProblem(dtype) {
  const w = workloads.wd;
  nnlab.seed(0);
  const X = nnlab.randn([w.samples, w.features], { dtype });
  const y = X.sum(1, true).mul(0.01).add(0.05);
  const weight = nnlab.randn([w.features, 1], { dtype, requiresGrad: true });
  const bias = nnlab.zeros([1], { dtype, requiresGrad: true });
  return { w, X, y, weight, bias, opt: new optim.SGD([weight, bias], { lr: w.lr }) };
}
