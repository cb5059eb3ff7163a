// The benchmark workloads, shared by every peer so that nnlab, PyTorch and TensorFlow.js run the
// same sizes (torch_peer.py repeats these numbers: keep them in step).
export const workloads = {
  mlp: { samples: 10_000, inputs: 784, hidden: 128, classes: 10, batch: 64, lr: 0.01, momentum: 0.9 },
  cnn: { samples: 2_000, side: 28, channels: 8, kernel: 3, pool: 2, classes: 10, batch: 32, lr: 0.01, momentum: 0.9 },
  // d2l's weight-decay experiment: 20 samples of 200 features, batches of 5, lr 0.003, λ = 3.
  wd: { samples: 20, features: 200, batch: 5, steps: 2_000, lr: 0.003, lambda: 3 },
};

// name → what is timed; `unit` is what one measurement covers.
export const cases = {
  "mlp-f32": { workload: "mlp", dtype: "float32", unit: "epoch", title: "MLP 784-128-10 f32 epoch" },
  "mlp-f64": { workload: "mlp", dtype: "float64", unit: "epoch", title: "MLP 784-128-10 f64 epoch" },
  "cnn-f32": { workload: "cnn", dtype: "float32", unit: "epoch", title: "CNN conv8·pool·dense f32 epoch" },
  "cnn-f64": { workload: "cnn", dtype: "float64", unit: "epoch", title: "CNN conv8·pool·dense f64 epoch" },
  "wd-f32": { workload: "wd", dtype: "float32", unit: "2,000 steps", title: "weight-decay loop f32 (2,000 steps)" },
  "wd-f64": { workload: "wd", dtype: "float64", unit: "2,000 steps", title: "weight-decay loop f64 (2,000 steps)" },
};

/**
 * The timing protocol every peer follows: a warm-up (JIT, allocator, caches), then the timed unit
 * once, and twice more if it took under `repeatBelow` seconds. The best run counts: on a shared
 * machine other processes only ever add time, so the minimum is the least disturbed measurement.
 * The warm-up repeats until it has taken `warmupSeconds`: one unit of the weight-decay loop is
 * ~7 ms in nnlab, and after one unit of warm-up its timed runs still took 32, 16 and 7 ms against
 * ~6.2 ms from the fifth unit on (the JIT was still compiling), so the best of three measured
 * the compiler, not the step (bench/NOTES.md).
 */
export const protocol = { repeatBelow: 3, repeats: 3, warmupSeconds: 0.5 };

export async function measure(warmup, once) {
  const w0 = performance.now();
  do await warmup();
  while (performance.now() - w0 < protocol.warmupSeconds * 1000);
  const runs = [];
  for (let r = 0; r < protocol.repeats; r++) {
    const t0 = performance.now();
    const check = await once();
    runs.push({ seconds: (performance.now() - t0) / 1000, check });
    if (runs[0].seconds >= protocol.repeatBelow) break;
  }
  const sorted = runs.map((r) => r.seconds).sort((a, b) => a - b);
  return {
    seconds: sorted[0],
    median: sorted[Math.floor((sorted.length - 1) / 2)],
    runs: runs.map((r) => r.seconds),
    check: runs[runs.length - 1].check,
  };
}
