// Where a training step's time goes, phase by phase, for the benchmark workloads (nnlab only):
//   node bench/breakdown.mjs [wd|mlp|cnn] [float32|float64]
// Times each phase (forward op by op, backward, optimiser step) with performance.now() over a few
// epochs after a warm-up and prints ms per epoch (µs per step for wd) and shares. Use it to find
// the next thing to speed up; bench/run.mjs is the comparison with PyTorch. Needs kernel-lib/dist.
import { createRequire } from "node:module";
import { workloads } from "./workloads.mjs";
import { rows, weightDecayProblem } from "./nnlab-problems.mjs";

const require = createRequire(import.meta.url);
const nnlab = require("../kernel-lib/dist/index.js");
const nn = require("../kernel-lib/dist/nn/index.js");
const optim = require("../kernel-lib/dist/optim/index.js");
const { F } = nnlab;
const which = process.argv[2] ?? "cnn";
const dtype = process.argv[3] ?? "float32";

const T = {};
const tick = (name, t0) => {
  const t = performance.now();
  T[name] = (T[name] ?? 0) + t - t0;
  return t;
};

function classifier(w, layers, forward) {
  nnlab.seed(0);
  const X = nnlab.rand(w.inputs ? [w.samples, w.inputs] : [w.samples, 1, w.side, w.side], { dtype });
  const y = Float64Array.from({ length: w.samples }, (_, i) => (i * 7 + (i >> 3)) % w.classes);
  const opt = new optim.SGD(
    layers.flatMap((l) => l.parameters()),
    { lr: w.lr, momentum: w.momentum },
  );
  return () => {
    for (let i = 0; i < w.samples; i += w.batch) {
      const e = Math.min(i + w.batch, w.samples);
      let t = performance.now();
      opt.zeroGrad();
      const out = forward(rows(X, i, e), (name, t0) => tick(name, t0), t);
      t = performance.now();
      const loss = F.crossEntropy(out, y.subarray(i, e));
      t = tick("crossEntropy", t);
      loss.backward();
      t = tick("backward", t);
      opt.step();
      tick("step", t);
    }
    return Math.ceil(w.samples / w.batch);
  };
}

const runs = {
  mlp() {
    const w = workloads.mlp;
    const l1 = new nn.Linear(w.inputs, w.hidden, { dtype }),
      l2 = new nn.Linear(w.hidden, w.classes, { dtype });
    return classifier(w, [l1, l2], (x, mark, t) => {
      const h = l1.forward(x);
      t = mark("linear 1", t);
      const r = F.relu(h);
      t = mark("relu", t);
      const o = l2.forward(r);
      mark("linear 2", t);
      return o;
    });
  },
  cnn() {
    const w = workloads.cnn;
    const side = Math.floor((w.side - w.kernel + 1) / w.pool);
    const conv = new nn.Conv2d(1, w.channels, w.kernel, { dtype }),
      lin = new nn.Linear(w.channels * side * side, w.classes, { dtype });
    // As bench/nnlab_peer.mjs's Sequential runs it: conv → ReLU → pool as one fused op where it applies.
    const block = new nn.Sequential(conv, new nn.ReLU(), new nn.MaxPool2d(w.pool));
    return classifier(w, [conv, lin], (x, mark, t) => {
      const p = block.forward(x);
      t = mark("conv2d·relu·maxPool2d", t);
      const o = lin.forward(p.flatten(1));
      mark("linear", t);
      return o;
    });
  },
  wd() {
    const { w, X, y, weight, bias, opt } = weightDecayProblem(dtype);
    let step = 0;
    return () => {
      for (let k = 0; k < w.steps; k++) {
        const i = (step++ * w.batch) % w.samples;
        let t = performance.now();
        opt.zeroGrad();
        const m = rows(X, i, i + w.batch).matmul(weight);
        t = tick("matmul", t);
        const r = m.add(bias).sub(rows(y, i, i + w.batch));
        const loss = r
          .square()
          .mean()
          .mul(0.5)
          .add(
            weight
              .square()
              .sum()
              .mul(w.lambda / 2),
          );
        t = tick("other forward ops", t);
        loss.backward();
        t = tick("backward", t);
        opt.step();
        tick("step", t);
      }
      return w.steps;
    };
  },
};

if (!runs[which]) {
  console.error(`breakdown: unknown workload "${which}"; use wd, mlp or cnn`);
  process.exit(2);
}
const epoch = runs[which]();
epoch();
epoch();
for (const k of Object.keys(T)) T[k] = 0;
const epochs = 3;
let steps = 0;
for (let e = 0; e < epochs; e++) steps += epoch();
const total = Object.values(T).reduce((a, b) => a + b, 0);
console.log(
  `${which} ${dtype}: ${which === "wd" ? `${((total / steps) * 1000).toFixed(1)} µs a step` : `${(total / epochs).toFixed(1)} ms an epoch`}`,
);
for (const [k, v] of Object.entries(T)) {
  const per = which === "wd" ? `${((v / steps) * 1000).toFixed(2)} µs/step` : `${(v / epochs).toFixed(1)} ms/epoch`;
  console.log(`  ${k.padEnd(18)} ${per.padStart(16)}  ${((v / total) * 100).toFixed(1).padStart(5)}%`);
}
