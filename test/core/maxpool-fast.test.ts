// maxPool2d's 2×2/stride-2 path picks winners without branches; it must pick the same element as
// a plain running maximum: the first maximum in row-major order, the first NaN if there is one.
import { expect, it } from "vitest";
import { F, tensor } from "../../kernel-lib/src/index";

function naive(x: number[], planes: number, h: number, w: number): { out: number[]; arg: number[] } {
  const out: number[] = [],
    arg: number[] = [];
  for (let p = 0; p < planes; p++)
    for (let i = 0; i + 2 <= h; i += 2)
      for (let j = 0; j + 2 <= w; j += 2) {
        let at = -1;
        for (const [u, v] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ]) {
          const q = p * h * w + (i + u) * w + j + v;
          if (at < 0) at = q;
          else if (Number.isNaN(x[at])) break;
          else if (Number.isNaN(x[q]) || x[q] > x[at]) at = q;
        }
        out.push(x[at]);
        arg.push(at);
      }
  return { out, arg };
}

it.each(["float32", "float64"] as const)(
  "does the %s 2×2 max pool pick the first maximum (ties, NaN, ±inf) and route the gradient there?",
  (dtype) => {
    const [planes, h, w] = [3, 6, 7]; // odd width: the last column is dropped
    const pick = [0, 1, 1, 2, -1, NaN, Infinity, -Infinity, 2];
    const x = Array.from({ length: planes * h * w }, (_, i) => pick[(i * 7 + (i >> 2)) % pick.length]);
    const t = tensor(x, { dtype, requiresGrad: true });
    const y = F.maxPool2d(t.reshape(1, planes, h, w), 2);
    const want = naive(x, planes, h, w);
    expect(Array.from(y.data)).toEqual(want.out);
    y.backward(
      tensor(
        want.out.map((_, i) => i + 1),
        { dtype },
      ).reshape(y.shape),
    );
    const g = new Array<number>(x.length).fill(0);
    want.arg.forEach((a, i) => (g[a] += i + 1));
    expect(Array.from(t.grad!.data)).toEqual(g);
  },
);
