// PyTorch parity for every core op: forward values and vector-Jacobian products, float64,
// against test/fixtures/torch/core_ops.json (made by make_core_fixtures.py with torch 1.13).
import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as nn from "../../kernel-lib/src/index";
import { type Tensor, F } from "../../kernel-lib/src/index";
import { describeEachBackend } from "../helpers/backends";

interface Enc {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  op: string; // biome-ignore lint/suspicious/noExplicitAny: each op reads its own kwargs from the PyTorch fixture
  kwargs: Record<string, any>;
  inputs: (Enc & { requiresGrad: boolean })[];
  output: Enc;
  cotangent?: Enc;
  grads?: (Enc | null)[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, "../fixtures/torch/core_ops.json"), "utf8")) as { cases: Case[] };

// biome-ignore lint/suspicious/noExplicitAny: see Case.kwargs
type Op = (xs: Tensor[], kw: Record<string, any>) => Tensor;
const ops: Record<string, Op> = {
  add: ([a, b]) => nn.add(a, b),
  sub: ([a, b]) => nn.sub(a, b),
  mul: ([a, b]) => nn.mul(a, b),
  div: ([a, b]) => nn.div(a, b),
  maximum: ([a, b]) => nn.maximum(a, b),
  minimum: ([a, b]) => nn.minimum(a, b),
  pow: ([a, b]) => nn.pow(a, b),
  powScalar: ([a], kw) => a.pow(kw.exponent),
  neg: ([a]) => a.neg(),
  exp: ([a]) => a.exp(),
  log: ([a]) => a.log(),
  sqrt: ([a]) => a.sqrt(),
  abs: ([a]) => a.abs(),
  square: ([a]) => a.square(),
  sigmoid: ([a]) => F.sigmoid(a),
  tanh: ([a]) => F.tanh(a),
  relu: ([a]) => F.relu(a),
  softplus: ([a]) => F.softplus(a),
  leakyRelu: ([a], kw) => F.leakyRelu(a, kw.slope),
  clamp: ([a], kw) => a.clamp(kw.min, kw.max),
  softmax: ([a], kw) => F.softmax(a, kw.dim),
  logSoftmax: ([a], kw) => F.logSoftmax(a, kw.dim),
  sum: ([a], kw) => a.sum(kw.dim, kw.keepdim),
  mean: ([a], kw) => a.mean(kw.dim, kw.keepdim),
  max: ([a], kw) => a.max(kw.dim, kw.keepdim),
  min: ([a], kw) => a.min(kw.dim, kw.keepdim),
  argmax: ([a], kw) => a.argmax(kw.dim, kw.keepdim),
  norm: ([a]) => a.norm(),
  matmul: ([a, b]) => a.matmul(b),
  outer: ([a, b]) => a.outer(b),
  reshape: ([a], kw) => a.reshape(kw.shape),
  transpose: ([a], kw) => a.transpose(kw.dim0, kw.dim1),
  permute: ([a], kw) => a.permute(kw.dims),
  unsqueeze: ([a], kw) => a.unsqueeze(kw.dim),
  flatten: ([a], kw) => a.flatten(kw.start, kw.end),
  select: ([a], kw) => a.select(kw.dim, kw.index),
  slice: ([a], kw) => a.slice(kw.dim, kw.start, kw.end, kw.step),
  indexSelect: ([a], kw) => a.indexSelect(kw.dim, kw.indices),
  cat: (xs, kw) => nn.cat(xs, kw.dim),
  stack: (xs, kw) => nn.stack(xs, kw.dim),
  mseLoss: ([a, b], kw) => F.mseLoss(a, b, kw),
  binaryCrossEntropy: ([a, b], kw) => F.binaryCrossEntropy(a, b, kw),
  bceWithLogits: ([a, b], kw) => F.bceWithLogits(a, b, { reduction: kw.reduction, posWeight: kw.posWeight ? nn.tensor(kw.posWeight) : undefined }),
  crossEntropy: ([a], kw) => F.crossEntropy(a, kw.target, { ...kw, weight: kw.weight ? nn.tensor(kw.weight) : undefined }),
  crossEntropyProbs: ([a, b]) => F.crossEntropy(a, b),
  nllLoss: ([a], kw) => F.nllLoss(a, kw.target),
};

/** ≤ 1e-9 relative, with an absolute floor for values that should be (near) zero. */
function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i],
      e = expected[i];
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${what}[${i}] should be NaN`).toBe(true);
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      continue;
    }
    const tol = 1e-9 * Math.max(1, Math.abs(e));
    if (!(Math.abs(a - e) <= tol)) throw new Error(`${what}[${i}]: nnlab ${a}, PyTorch ${e} (|diff| ${Math.abs(a - e)} > ${tol})`);
  }
}

describeEachBackend("PyTorch parity of the core ops (float64)", () => {
  it("covers every op in the fixture", () => {
    const missing = [...new Set(fixture.cases.map((c) => c.op))].filter((op) => !(op in ops));
    expect(missing).toEqual([]);
    expect(fixture.cases.length).toBeGreaterThan(100);
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const xs = c.inputs.map((i) => nn.fromArray(i.data, i.shape, { requiresGrad: i.requiresGrad }));
      const out = ops[c.op](xs, c.kwargs);
      expect(out.shape).toEqual(c.output.shape);
      expectClose(out.data, c.output.data, `${c.name} forward`);
      if (c.grads && c.cotangent) {
        out.mul(nn.fromArray(c.cotangent.data, c.cotangent.shape)).sum().backward();
        c.grads.forEach((g, k) => {
          if (g === null) return;
          expect(xs[k].grad, `${c.name}: input ${k} got no gradient`).not.toBeNull();
          expect(xs[k].grad!.shape).toEqual(g.shape);
          expectClose(xs[k].grad!.data, g.data, `${c.name} grad of input ${k}`);
        });
      }
    });
  }
});
