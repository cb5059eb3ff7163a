/** Metrics: functions of a batch's output and target that return a number (averaged over samples by fit/evaluate). */
import type { Tensor } from "../tensor/tensor";
import { fmtShape, ShapeError } from "../tensor/shape";

export type MetricFn = (output: Tensor, target: Tensor) => number;

/**
 * Fraction of correct predictions.
 * - Output [N, C] with C > 1: the class is the argmax of each row; the target is class indices [N]
 *   or one-hot / probability rows [N, C] (their argmax).
 * - Output [N] or [N, 1]: binary; predicted class 1 when output > threshold. The default 0.5 suits
 *   probabilities (after a sigmoid); pass 0 for raw scores (logits).
 */
export function accuracy(output: Tensor, target: Tensor, threshold: number = 0.5): number {
  const o = output.data;
  const t = target.data;
  if (output.ndim === 2 && output.shape[1] > 1) {
    const [n, c] = output.shape;
    const oneHot = target.ndim === 2 && target.shape[1] === c;
    if (!oneHot && target.size !== n) {
      throw new ShapeError(
        `accuracy: output ${fmtShape(output.shape)} needs ${n} class indices or [${n}, ${c}] rows as target, got ${fmtShape(target.shape)}.`,
      );
    }
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const pred = argmaxRow(o, i * c, c);
      const truth = oneHot ? argmaxRow(t, i * c, c) : t[i];
      if (pred === truth) correct++;
    }
    return n === 0 ? 0 : correct / n;
  }
  if (output.size !== target.size) {
    throw new ShapeError(
      `accuracy: binary output ${fmtShape(output.shape)} and target ${fmtShape(target.shape)} must have the same number of elements.`,
    );
  }
  let correct = 0;
  for (let i = 0; i < o.length; i++) if ((o[i] > threshold ? 1 : 0) === (t[i] > 0.5 ? 1 : 0)) correct++;
  return o.length === 0 ? 0 : correct / o.length;
}

function argmaxRow(d: ArrayLike<number>, base: number, c: number): number {
  let best = 0;
  for (let j = 1; j < c; j++) if (d[base + j] > d[base + best]) best = j;
  return best;
}

/** Metric names fit() and evaluate() understand. */
export const metricsByName: Record<string, MetricFn> = {
  accuracy: (o, t) => accuracy(o, t),
  acc: (o, t) => accuracy(o, t),
};

export function resolveMetrics(metrics: Record<string, MetricFn> | string[] | undefined): [string, MetricFn][] {
  if (!metrics) return [];
  if (Array.isArray(metrics)) {
    return metrics.map((name) => {
      const f = metricsByName[name];
      if (!f)
        throw new Error(
          `metric "${name}" is unknown; use ${Object.keys(metricsByName)
            .map((k) => `"${k}"`)
            .join(", ")} or pass {name: (output, target) => number}.`,
        );
      return [name, f];
    });
  }
  return Object.entries(metrics);
}
