// TensorFlow.js's side of the benchmarks: `node bench/tfjs_peer.mjs <case> <cpu|wasm>` prints one
// JSON line. Float32 only (TensorFlow.js has no float64 tensors). The wasm back end loads its
// .wasm files from node_modules (offline), with SIMD, on one thread.
import { createRequire } from "node:module";
import path from "node:path";
import { cases, measure, workloads } from "./workloads.mjs";

const require = createRequire(import.meta.url);
const [name, backend = "cpu"] = process.argv.slice(2);
const c = cases[name];
if (!c || !["cpu", "wasm"].includes(backend)) {
  console.error(`tfjs_peer: usage: tfjs_peer.mjs <${Object.keys(cases).join("|")}> <cpu|wasm>`);
  process.exit(2);
}
if (c.dtype !== "float32") {
  console.log(JSON.stringify({ peer: `tfjs-${backend}`, case: name, skipped: "TensorFlow.js has no float64" }));
  process.exit(0);
}

const tf = require("@tensorflow/tfjs");
if (backend === "wasm") {
  const wasm = require("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep);
}
if (!(await tf.setBackend(backend))) throw new Error(`tfjs_peer: the ${backend} back end did not initialise`);
await tf.ready();

function classifier(w, model, inputShape) {
  const X = tf.randomUniform([w.samples, ...inputShape], 0, 1, "float32", 0);
  const labels = Int32Array.from({ length: w.samples }, (_, i) => (i * 7 + (i >> 3)) % w.classes);
  const Y = tf.oneHot(tf.tensor1d(labels, "int32"), w.classes).toFloat();
  const opt = tf.train.momentum(w.lr, w.momentum);
  const batch = (i) => {
    const n = Math.min(w.batch, w.samples - i);
    const cost = opt.minimize(() => {
      const xb = X.slice([i], [n]);
      const yb = Y.slice([i], [n]);
      return tf.losses.softmaxCrossEntropy(yb, model.apply(xb));
    }, true);
    const v = cost.dataSync()[0]; // wait for the step, as loss.item() does in the other peers
    cost.dispose();
    return v;
  };
  return {
    warmup: () => {
      for (let k = 0; k < 20; k++) batch(k * w.batch);
    },
    once: () => {
      let last = NaN;
      for (let i = 0; i < w.samples; i += w.batch) last = batch(i);
      return { lastLoss: last, tensors: tf.memory().numTensors };
    },
  };
}

function mlp() {
  const w = workloads.mlp;
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [w.inputs], units: w.hidden, activation: "relu" }), tf.layers.dense({ units: w.classes })],
  });
  return classifier(w, model, [w.inputs]);
}

function cnn() {
  const w = workloads.cnn;
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [w.side, w.side, 1], filters: w.channels, kernelSize: w.kernel, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: w.pool }),
      tf.layers.flatten(),
      tf.layers.dense({ units: w.classes }),
    ],
  });
  return classifier(w, model, [w.side, w.side, 1]);
}

function weightDecay() {
  const w = workloads.wd;
  const X = tf.randomNormal([w.samples, w.features], 0, 1, "float32", 0);
  const y = X.sum(1, true).mul(0.01).add(0.05);
  const weight = tf.variable(tf.randomNormal([w.features, 1], 0, 1, "float32", 1));
  const bias = tf.variable(tf.zeros([1]));
  const opt = tf.train.sgd(w.lr);
  let step = 0;
  const one = () => {
    const i = (step++ * w.batch) % w.samples;
    const cost = opt.minimize(() => {
      const r = X.slice([i], [w.batch])
        .matMul(weight)
        .add(bias)
        .sub(y.slice([i], [w.batch]));
      return r
        .square()
        .mean()
        .mul(0.5)
        .add(
          weight
            .square()
            .sum()
            .mul(w.lambda / 2),
        );
    }, true);
    const v = cost.dataSync()[0];
    cost.dispose();
    return v;
  };
  return {
    warmup: () => {
      for (let k = 0; k < 50; k++) one();
    },
    once: () => {
      let last = NaN;
      for (let k = 0; k < w.steps; k++) last = one();
      return { lastLoss: last, wNorm: weight.norm().dataSync()[0] };
    },
  };
}

const { warmup, once } = { mlp, cnn, wd: weightDecay }[c.workload]();
try {
  const result = await measure(warmup, once);
  console.log(JSON.stringify({ peer: `tfjs-${backend}`, case: name, tfjs: tf.version.tfjs, ...result }));
} catch (e) {
  // A missing kernel is a fact about the peer, not a failure of the benchmark: the wasm back end
  // of tfjs 4.22 has no Conv2DBackpropFilter, so it cannot train a convolution at all.
  if (!/not registered for backend/.test(String(e?.message))) throw e;
  console.log(JSON.stringify({ peer: `tfjs-${backend}`, case: name, tfjs: tf.version.tfjs, skipped: e.message }));
}
