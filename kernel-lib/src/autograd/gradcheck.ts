/**
 * Finite-difference gradient check: compares autograd's gradient of a scalar function with central
 * differences (f(x + h) − f(x − h)) / 2h, element by element, in float64. Used by the tests for
 * every differentiable op, and by the chapter 01 notebook to show the two agree.
 */
import type { Tensor } from "../tensor/tensor";
import { fmtShape } from "../tensor/shape";
import { noGrad } from "./mode";

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on mismatch (default) or just report. */
  raise?: boolean;
}

export interface GradcheckReport {
  ok: boolean;
  maxAbsError: number;
  /** One entry per input: analytic and numeric gradients as flat arrays. */
  inputs: { analytic: number[]; numeric: number[] }[];
  message: string;
}

export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  for (const [i, t] of inputs.entries()) {
    if (t.dtype !== "float64") throw new TypeError(`gradcheck: input ${i} is ${t.dtype}; finite differences need float64 (x.to("float64")).`);
  }
  const scalar = (out: Tensor): number => {
    if (out.size !== 1) throw new Error(`gradcheck: fn must return a scalar, got shape ${fmtShape(out.shape)} (reduce it, e.g. .sum()).`);
    return out.data[0];
  };
  // The inputs are the caller's: they need a gradient for the check, and get back their own
  // requiresGrad and grad afterwards (as torch.autograd.gradcheck leaves its inputs alone).
  const saved = inputs.map((t) => ({ requiresGrad: t.requiresGrad, grad: t.grad }));
  try {
    for (const t of inputs) t.grad = null;
    return check(
      fn,
      inputs.map((t) => t.requiresGrad_(true)),
      eps,
      atol,
      rtol,
      scalar,
      options.raise ?? true,
    );
  } finally {
    inputs.forEach((t, i) => {
      t.requiresGrad = saved[i]!.requiresGrad;
      t.grad = saved[i]!.grad;
    });
  }
}

function check(
  fn: (...inputs: Tensor[]) => Tensor,
  leaves: Tensor[],
  eps: number,
  atol: number,
  rtol: number,
  scalar: (out: Tensor) => number,
  raise: boolean,
): GradcheckReport {
  const out = fn(...leaves);
  scalar(out);
  out.backward();
  const report: GradcheckReport = { ok: true, maxAbsError: 0, inputs: [], message: "" };
  const problems: string[] = [];
  for (const [k, t] of leaves.entries()) {
    const analytic = t.grad ? Array.from(t.grad.data) : new Array<number>(t.size).fill(0);
    const numeric = new Array<number>(t.size);
    for (let i = 0; i < t.size; i++) {
      const orig = t.data[i];
      t.data[i] = orig + eps;
      const fp = noGrad(() => scalar(fn(...leaves)));
      t.data[i] = orig - eps;
      const fm = noGrad(() => scalar(fn(...leaves)));
      t.data[i] = orig;
      numeric[i] = (fp - fm) / (2 * eps);
      const err = Math.abs(numeric[i] - analytic[i]);
      report.maxAbsError = Math.max(report.maxAbsError, err);
      if (!(err <= atol + rtol * Math.abs(numeric[i]))) {
        report.ok = false;
        if (problems.length < 5) problems.push(`input ${k} element ${i}: autograd ${analytic[i]}, finite differences ${numeric[i]}`);
      }
    }
    report.inputs.push({ analytic, numeric });
  }
  report.message = report.ok
    ? `gradcheck passed: max |autograd − finite difference| = ${report.maxAbsError.toExponential(2)}`
    : `gradcheck failed (atol ${atol}, rtol ${rtol}):\n  ${problems.join("\n  ")}`;
  if (!report.ok && raise) throw new Error(report.message);
  return report;
}
