// Source of notebooks/07-cnn.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 07 · 人工智能深度学习CNN / 实现卷积神经网络 · Convolutional neural networks
//
// Following the articles *Python人工智能深度学习CNN* (目录: 1.CNN概述 · 2.卷积层 · 3.池化层 · 4.全连层) and
// *Python深度学习之实现卷积神经网络* (1D, 2D and 3D convolutions). The convolution and pooling of Hung-yi
// Lee's 6 × 6 example are computed by hand and with the library's layers side by side; then a small
// CNN learns to read real handwritten digits.

// %%
import { seed, tensor, noGrad, nn, optim, mnist, Sequential, Conv2d, Conv1d, MaxPool2d, ReLU, Flatten, Linear, fit, evaluate, plot, display, verify, verifyTrue } from "nnlab";
seed(0);

// %% [markdown]
// ## 1. CNN概述 · Overview
//
// The idea of a CNN is to down-sample the picture and let each function learn only a small part of
// it, giving fewer but more useful features; a fully connected network then produces the output:
//
// input image → **convolution** (feature maps, also called activation maps) → **ReLU** (drop the
// negative values) → **pooling** (shrink the data, keep the strongest features) → (repeat) →
// **fully connected network** → output.
//
// Three observations make this work on images: a pattern is much smaller than the whole image; the
// same pattern appears in different places (so one detector can be shared); and sub-sampling the
// pixels does not change the object.

// %% [markdown]
// ## 2. 卷积层 · The convolution layer
//
// A convolution kernel (also called a kernel, filter or neuron) is learned. It slides over the
// image; at each position the sum of the element-wise products of the kernel and the patch under it
// is one value of the output, the **feature map**. The step of the slide is the **stride**. With
// several kernels, each gives its own feature map (its own channel).
//
// The lecture's example: a 6 × 6 black-and-white image and two 3 × 3 filters, filter 1 detecting a
// diagonal and filter 2 a vertical line.

// %%
const image = tensor([
  [1, 0, 0, 0, 0, 1],
  [0, 1, 0, 0, 1, 0],
  [0, 0, 1, 1, 0, 0],
  [1, 0, 0, 0, 1, 0],
  [0, 1, 0, 0, 1, 0],
  [0, 0, 1, 0, 1, 0],
]);
const filter1 = tensor([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]]);
const filter2 = tensor([[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]]);

/** Convolution by hand: slide the kernel with the given stride, sum of products at each position. */
function convolve(img: number[][], kernel: number[][], stride: number = 1): number[][] {
  const k = kernel.length;
  const outSize = Math.floor((img.length - k) / stride) + 1;
  const out: number[][] = [];
  for (let i = 0; i < outSize; i++) {
    const row: number[] = [];
    for (let j = 0; j < outSize; j++) {
      let s = 0;
      for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) s += img[i * stride + u][j * stride + v] * kernel[u][v];
      row.push(s);
    }
    out.push(row);
  }
  return out;
}
const img = image.toArray() as number[][];
const byHand1 = convolve(img, filter1.toArray() as number[][]);
const byHand2 = convolve(img, filter2.toArray() as number[][]);
const byHandStride2 = convolve(img, filter1.toArray() as number[][], 2);

// The library's layer with the same two filters as its weights [out channels, in channels, 3, 3].
const conv = new Conv2d(1, 2, 3, { bias: false });
conv.weight.data.set([...filter1.toFlatArray(), ...filter2.toFlatArray()]);
const featureMaps = noGrad(() => conv.forward(image.reshape(1, 1, 6, 6)));
const strided = noGrad(() => nn.conv2d(image.reshape(1, 1, 6, 6), conv.weight.detach(), null, { stride: 2 }));
console.log(`filter 1 by hand:\n${tensor(byHand1)}\nConv2d channel 0:\n${featureMaps.get(0).get(0)}`);
console.log(`filter 2 by hand:\n${tensor(byHand2)}\nConv2d channel 1:\n${featureMaps.get(0).get(1)}`);
console.log(`filter 1, stride 2, by hand:\n${tensor(byHandStride2)}\nconv2d(stride 2):\n${strided.get(0).get(0)}`);
display(plot.heatmapGrid([img, filter1.toArray() as number[][], filter2.toArray() as number[][]], { titles: ["6 × 6 image", "filter 1", "filter 2"], cols: 3, colorscale: "Greys", title: "The image and the two filters" }));
plot.heatmapGrid(featureMaps.get(0), { titles: ["feature map of filter 1", "feature map of filter 2"], cols: 2, colorscale: "RdBu", sharedScale: true, title: "Feature maps (4 × 4): the largest values mark where each pattern is" })

// %% [markdown]
// *Check:* the lecture's feature maps (filter 1: first row 3 −1 −3 −1, last row 3 −2 −2 −1; with
// stride 2: 3 −3 / −3 0) and the library's Conv2d = the convolution by hand.

// %%
verify("filter 1, stride 1: feature map", byHand1, [[3, -1, -3, -1], [-3, 1, 0, -3], [-3, -3, 0, 1], [3, -2, -2, -1]], { atol: 0 });
verify("filter 2, stride 1: feature map", byHand2, [[-1, -1, -1, -1], [-1, -1, -2, 1], [-1, -1, -2, 1], [-1, 0, -4, 3]], { atol: 0 });
verify("filter 1, stride 2: feature map", byHandStride2, [[3, -3], [-3, 0]], { atol: 0 });
verify("Conv2d = convolution by hand", featureMaps.get(0), [byHand1, byHand2], { atol: 0 });
verify("conv2d(stride 2) = by hand", strided.get(0).get(0), byHandStride2, { atol: 0 });

// %% [markdown]
// ## 3. 池化层 · The pooling layer
//
// Pooling shrinks each feature map: max pooling over 2 × 2 blocks keeps the largest value of every
// block (average pooling their mean). The result is smaller, and still says whether and roughly where
// each pattern occurred.

// %%
function maxPoolByHand(map: number[][], k: number = 2): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + k <= map.length; i += k) {
    const row: number[] = [];
    for (let j = 0; j + k <= map[0].length; j += k) {
      let m = -Infinity;
      for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) m = Math.max(m, map[i + u][j + v]);
      row.push(m);
    }
    out.push(row);
  }
  return out;
}
const pooled = noGrad(() => new MaxPool2d(2).forward(featureMaps));
console.log(`max pooling of the two feature maps:\n${pooled}`);
plot.heatmapGrid(pooled.get(0), { titles: ["pooled, filter 1", "pooled, filter 2"], cols: 2, colorscale: "RdBu", sharedScale: true, title: "After 2 × 2 max pooling: a 2 × 2 image with two channels" })

// %%
verify("max pooling by hand, filter 1", maxPoolByHand(byHand1), [[3, 0], [3, 1]], { atol: 0 });
verify("max pooling by hand, filter 2", maxPoolByHand(byHand2), [[-1, 1], [0, 3]], { atol: 0 });
verify("MaxPool2d = by hand", pooled.get(0), [maxPoolByHand(byHand1), maxPoolByHand(byHand2)], { atol: 0 });

// %% [markdown]
// ## 4. 全连层 · The fully connected layer
//
// After the last pooling the feature maps are **flattened** into one vector and fed to an ordinary
// fully connected network, which gives the output (e.g. one score per class). Here the 2 × 2 × 2
// pooled maps become a vector of 8:

// %%
const flat = new Flatten().forward(pooled);
const fc = new Linear(8, 3);
console.log(`flattened: ${flat}  → Linear(8, 3) → ${noGrad(() => fc.forward(flat))}`);
verify("flatten keeps channel-major order", flat, [[3, 0, 3, 1, -1, 1, 0, 3]], { atol: 0 });

// %% [markdown]
// ## 1D, 2D and 3D convolutions
//
// The types of CNN differ in the shape of the data the kernel slides over:
//
// - **1D CNN**: the kernel slides along one axis: time series, audio, text. Input [batch, channels,
//   length]; `Conv1d`.
// - **2D CNN**: along two axes: images. Input [batch, channels, height, width]; `Conv2d`.
// - **3D CNN**: along three: videos (time × height × width), medical volumes. A 3D convolution is a
//   sum of 2D convolutions over the depth of its kernel, which is how it is computed below (the
//   library has no Conv3d).

// %%
// 1D: a moving difference detects where a signal jumps.
const signal = tensor([0, 0, 0, 1, 1, 1, 1, 0, 0, 0]);
const conv1 = new Conv1d(1, 1, 2, { bias: false });
conv1.weight.data.set([-1, 1]);
const edges = noGrad(() => conv1.forward(signal.reshape(1, 1, 10))).reshape(-1);
const edgesByHand = signal.toFlatArray().slice(0, -1).map((v, i) => -v + signal.data[i + 1]);
console.log(`signal ${signal}\nConv1d with kernel [−1, 1]: ${edges}`);
// 3D: a 2 × 3 × 3 kernel over a 4 × 6 × 6 volume (4 frames of the example image, shifted).
const volume = [0, 1, 2, 3].map((s) => img.map((row) => row.map((_, j) => row[(j + s) % 6])));
const kernel3 = [filter1.toArray() as number[][], filter1.toArray() as number[][]];
const conv3d: number[][][] = [];
for (let d = 0; d + kernel3.length <= volume.length; d++) {
  const maps = kernel3.map((k2, dd) => convolve(volume[d + dd], k2));
  conv3d.push(maps[0].map((row, i) => row.map((v, j) => v + maps[1][i][j])));
}
console.log(`3D convolution of a [4, 6, 6] volume with a [2, 3, 3] kernel: output [${conv3d.length}, ${conv3d[0].length}, ${conv3d[0][0].length}]`);
display(plot.linePlot([{ name: "signal", y: signal.toFlatArray() }, { name: "Conv1d [−1, 1]", y: edges.toFlatArray() }], { title: "1D convolution: a jump detector", xLabel: "time", markers: true }));
plot.heatmapGrid(conv3d, { titles: conv3d.map((_, d) => `3D output, depth ${d}`), cols: 3, colorscale: "RdBu", sharedScale: true, title: "3D convolution: one output map per depth position" })

// %%
verify("Conv1d = by hand", edges, edgesByHand, { atol: 0 });
verifyTrue("3D output shape [3, 4, 4]", conv3d.length === 3 && conv3d[0].length === 4 && conv3d[0][0].length === 4, `[${conv3d.length}, ${conv3d[0].length}, ${conv3d[0][0].length}]`);

// %% [markdown]
// ## A CNN on real handwritten digits · 手写数字识别
//
// Two convolution + ReLU + max-pooling blocks and a fully connected layer, trained with Adam on
// 8,000 MNIST digits and tested on 2,000 others (a fixed split). Float32 tensors, as PyTorch uses by
// default, for speed. The settings sit in the next cell; the live output shows the loss while it trains.

// %%
// Settings: epochs, learning rate, batch size, number of kernels.
const epochs = 3;
const lr = 3e-3;
const batchSize = 32;
const channels = [8, 16];

const digits = mnist({ train: 8000, test: 2000, dtype: "float32" });
const cnn = new Sequential(
  new Conv2d(1, channels[0], 3), new ReLU(), new MaxPool2d(2),             // 28 → 26 → 13
  new Conv2d(channels[0], channels[1], 3), new ReLU(), new MaxPool2d(2),   // 13 → 11 → 5
  new Flatten(), new Linear(channels[1] * 5 * 5, 10),
).float();
console.log(String(cnn));
console.log(`${cnn.numParameters()} parameters`);
const t0 = Date.now();
const history = await fit(cnn, {
  train: [digits.xTrain, digits.yTrain], val: [digits.xTest, digits.yTest], loss: "crossEntropy",
  optimizer: new optim.Adam(cnn.parameters(), { lr: lr }), epochs: epochs, batchSize: batchSize, metrics: ["accuracy"],
});
const seconds = (Date.now() - t0) / 1000;
const testAccuracy = evaluate(cnn, [digits.xTest, digits.yTest], { metrics: ["accuracy"] }).accuracy;
console.log(`test accuracy ${(100 * testAccuracy).toFixed(2)} % after ${epochs} epochs (${seconds.toFixed(1)} s)`);

// %%
display(history.plot({ title: "CNN on MNIST: training and test loss per epoch", logY: true }));
plot.linePlot({ "training loss per step": history.stepLoss }, { title: "Training loss per step", xLabel: "step", yLabel: "cross-entropy", logY: true })

// %% [markdown]
// What the trained network sees: one test digit, the 8 learned 3 × 3 kernels of the first layer,
// their feature maps (after ReLU) and the pooled maps.

// %%
const digit = digits.xTest.slice(0, 0, 1);
const layers = cnn.layers();
const maps1 = noGrad(() => layers[1].forward(layers[0].forward(digit)));
const pooled1 = noGrad(() => layers[2].forward(maps1));
const channelTitles = Array.from({ length: channels[0] }, (_, i) => `channel ${i}`);
display(plot.heatmap(digit.reshape(28, 28), { title: `a test digit (label ${digits.yTest.data[0]})`, colorscale: "Greys", square: true, height: 320, width: 340 }));
display(plot.heatmapGrid((layers[0] as Conv2d).weight.detach().reshape(channels[0], 3, 3), { cols: 8, colorscale: "RdBu", title: "learned first-layer kernels", rowHeight: 120 }));
display(plot.heatmapGrid(maps1.get(0), { cols: 4, colorscale: "Viridis", title: "feature maps after conv 1 + ReLU (26 × 26)", titles: channelTitles }));
plot.heatmapGrid(pooled1.get(0), { cols: 4, colorscale: "Viridis", title: "after 2 × 2 max pooling (13 × 13)", titles: channelTitles })

// %% [markdown]
// *Check:* the accuracy this notebook states. With the settings above it reaches about 96 % on the
// 2,000 test digits (seeded; a few tenths of a percent may differ across machines, since float32
// matrix products are summed in a different order by the WebAssembly and plain kernels).

// %%
verify("CNN test accuracy", testAccuracy, 0.96, { atol: 0.02 });
verifyTrue("the loss fell during training", history.loss.at(-1)! < history.loss[0] / 2, `${history.loss[0].toFixed(3)} → ${history.loss.at(-1)!.toFixed(3)}`);
