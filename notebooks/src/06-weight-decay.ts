// Source of notebooks/06-weight-decay.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 06 · 权重衰减与L2范数正则化 · Weight decay and L2-norm regularisation
//
// Following the article *Python深度学习pyTorch权重衰减与L2范数正则化解析*: a high-dimensional linear
// regression that overfits badly when trained on a handful of samples, then the same training with an
// L2 penalty on the weights (weight decay), which closes the gap between training and test loss.
//
// **Which numbers.** The article's prose says "feature数200, 训练样本和测试样本各20个" (200 features,
// 20 training and 20 test samples), but its code sets `num_train, num_test = 10, 10`. This notebook
// follows the **code** (10 and 10): it is what the article actually ran, and with 10 samples for 201
// parameters the overfitting is even starker. Change `numTrain` / `numTest` below to try 20.
// From the article's code excerpt come only the data's setup: true w = 0.01 for every feature, true
// b = 0.5, features ~ N(0, 1). **Everything else comes from Dive-into-DL-PyTorch** (ShusenTang's
// PyTorch edition of *Dive into Deep Learning*, `docs/chapter03_DL-basics/3.12_weight-decay.md`),
// which the article's code follows but whose rest the excerpt does not show: label noise ~ N(0, 0.01²),
// w initialised ~ N(0, 1), b = 0, squared loss (ŷ − y)²/2, minibatch SGD with batch size 1, learning
// rate 0.003, 100 epochs, the two values λ = 0 and λ = 3, and the penalty λ·‖w‖²/2 on w only (not
// on b).

// %%
import { tensor, zeros, randn, seed, Generator, type Tensor, noGrad, optim, plot, display, verify, verifyTrue } from "nnlab";
seed(0);

// %% [markdown]
// ## 高维线性回归实验 · The high-dimensional linear regression experiment
//
// $$y = 0.5 + \sum_{i=1}^{200} 0.01\,x_i + \epsilon,\qquad \epsilon \sim \mathcal N(0, 0.01^2)$$

// %%
// The article's data (its code: 10 training and 10 test samples).
const numTrain = 10, numTest = 10, numFeatures = 200;
const trueW = tensor(new Array(numFeatures).fill(0.01)).reshape(numFeatures, 1);
const trueB = 0.5;
const samples = randn([numTrain + numTest, numFeatures]);
const labels = samples.matmul(trueW).add(trueB).add(randn([numTrain + numTest, 1]).mul(0.01));
const trainX = samples.slice(0, 0, numTrain), trainY = labels.slice(0, 0, numTrain);
const testX = samples.slice(0, numTrain), testY = labels.slice(0, numTrain);
console.log(`train: X ${JSON.stringify(trainX.shape)}, y ${JSON.stringify(trainY.shape)}; test: X ${JSON.stringify(testX.shape)}, y ${JSON.stringify(testY.shape)}`);
console.log(`first labels: ${trainY.slice(0, 0, 3).reshape(-1)}`);

// %% [markdown]
// ## L2范数惩罚项 · The L2-norm penalty
//
// Add to the loss the squared norm of the weights, scaled by a hyper-parameter λ ≥ 0:
//
// $$\ell(w, b) + \frac{\lambda}{2}\,\|w\|^2$$
//
// Its gradient adds λw to the gradient of the loss, so each minibatch SGD step becomes
// w ← (1 − ηλ)·w − η·∂ℓ/∂w: the weights are first shrunk towards zero, hence the name **weight
// decay**. A model with small weights is a simpler function, less able to fit the noise of ten
// samples. The bias is not penalised.
//
// The functions of Dive-into-DL-PyTorch's from-scratch code (`linreg`, `squared_loss`, `l2_penalty`, `sgd`), in nnlab:

// %%
const linreg = (X: Tensor, w: Tensor, b: Tensor): Tensor => X.matmul(w).add(b);
const squaredLoss = (yHat: Tensor, y: Tensor): Tensor => yHat.sub(y.reshape(yHat.shape)).square().div(2);
const l2Penalty = (w: Tensor): Tensor => w.square().sum().div(2);
/** Minibatch SGD: p ← p − η·grad / batch size (d2l's `sgd`). */
function sgdStep(params: Tensor[], lr: number, batchSize: number): void {
  noGrad(() => { for (const p of params) p.data.set(p.sub(p.grad!.mul(lr / batchSize)).data); });
}

// %% [markdown]
// ## 训练与测试 · Training with and without the penalty
//
// The settings of the experiment sit in the next cell. The shuffling order is drawn once from its own
// seeded generator so that every run (λ = 0, λ = 3, and the two implementations below) sees the
// samples in the same order.

// %%
// Experiment settings: try other λ, learning rates or epoch counts.
const lambdas = [0, 3];
const lr = 0.003;
const numEpochs = 100;
const batchSize = 1;

const shuffler = new Generator(42);
const orders = Array.from({ length: numEpochs }, () => Array.from(shuffler.permutation(numTrain)));
const initGenerator = (): Generator => new Generator(7);

type Result = { lambda: number; train: number[]; test: number[]; norms: number[]; w: Tensor; b: Tensor };
const meanLoss = (X: Tensor, y: Tensor, w: Tensor, b: Tensor): number => noGrad(() => squaredLoss(linreg(X, w, b), y).mean().item());

/** Dive-into-DL-PyTorch's from-scratch training: explicit penalty λ·‖w‖²/2 in the loss, hand-written SGD. */
function fitAndPlot(lambda: number): Result {
  const w = randn([numFeatures, 1], { generator: initGenerator() }).requiresGrad_();
  const b = zeros([1]).requiresGrad_();
  const r: Result = { lambda, train: [], test: [], norms: [], w, b };
  for (let epoch = 0; epoch < numEpochs; epoch++) {
    for (let i = 0; i < numTrain; i += batchSize) {
      const idx = orders[epoch].slice(i, i + batchSize);
      const X = trainX.indexSelect(0, idx), y = trainY.indexSelect(0, idx);
      const l = squaredLoss(linreg(X, w, b), y).sum().add(l2Penalty(w).mul(lambda * idx.length));
      w.zeroGrad(); b.zeroGrad();
      l.backward();
      sgdStep([w, b], lr, idx.length);
    }
    r.train.push(meanLoss(trainX, trainY, w, b));
    r.test.push(meanLoss(testX, testY, w, b));
    r.norms.push(w.norm().item());
  }
  return r;
}

const results = lambdas.map(fitAndPlot);
for (const r of results) {
  console.log(`λ = ${r.lambda}: train loss ${r.train.at(-1)!.toExponential(3)}, test loss ${r.test.at(-1)!.toExponential(3)}, L2 norm of w ${r.norms.at(-1)!.toFixed(4)}`);
}

// %%
for (const r of results) {
  display(plot.linePlot([
    { name: "train", x: r.train.map((_, i) => i + 1), y: r.train },
    { name: "test", x: r.test.map((_, i) => i + 1), y: r.test },
  ], { title: `λ = ${r.lambda}: ${r.lambda === 0 ? "train loss falls, test loss stays high (overfitting)" : "the gap between train and test closes"}`, xLabel: "epochs", yLabel: "loss", logY: true, height: 360 }));
}
plot.linePlot(results.map((r) => ({ name: `‖w‖, λ = ${r.lambda}`, x: r.norms.map((_, i) => i + 1), y: r.norms })), {
  title: "The L2 norm of w per epoch (true w: ‖w‖ = 0.01·√200 ≈ 0.14)", xLabel: "epochs", yLabel: "‖w‖", logY: true, height: 360,
})

// %% [markdown]
// *Check:* without the penalty the training loss falls by orders of magnitude while the test loss
// stays high and ‖w‖ stays near its initial size (≈ √200 ≈ 14); with λ = 3 the test loss falls far
// below, and ‖w‖ shrinks by a factor of about 300, to 0.047: **below** the true weights' 0.14. The
// penalty pulls w towards zero, not towards the true w, and ten samples for 200 weights cannot hold
// the true weights up against it.

// %%
const [r0, r3] = results;
verifyTrue("λ = 0: train loss falls below 1e-3", r0.train.at(-1)! < 1e-3, `train ${r0.train.at(-1)!.toExponential(2)}`);
verifyTrue("λ = 0: test loss ≫ train loss (overfitting)", r0.test.at(-1)! > 1000 * r0.train.at(-1)!, `test ${r0.test.at(-1)!.toExponential(2)} vs train ${r0.train.at(-1)!.toExponential(2)}`);
verifyTrue("λ = 0: ‖w‖ stays large", r0.norms.at(-1)! > 10, `‖w‖ = ${r0.norms.at(-1)!.toFixed(3)}`);
verifyTrue("λ = 3: test loss far below λ = 0's", r3.test.at(-1)! < r0.test.at(-1)! / 10, `${r3.test.at(-1)!.toExponential(2)} vs ${r0.test.at(-1)!.toExponential(2)}`);
verifyTrue("λ = 3: ‖w‖ shrinks below 1", r3.norms.at(-1)! < 1, `‖w‖ = ${r3.norms.at(-1)!.toFixed(4)}`);
verifyTrue("λ = 3: ‖w‖ ends below the true weights' 0.01·√200", r3.norms.at(-1)! < 0.01 * Math.sqrt(200), `‖w‖ = ${r3.norms.at(-1)!.toFixed(4)} < ${(0.01 * Math.sqrt(200)).toFixed(4)}`);
const gap = (r: Result): number => r.test.at(-1)! - r.train.at(-1)!;
verifyTrue("λ = 3: the train/test gap closes", gap(r3) < gap(r0) / 100, `test − train: ${gap(r3).toExponential(2)} vs ${gap(r0).toExponential(2)}`);

// %% [markdown]
// **The same training in PyTorch, on this notebook's data.** `notebooks/src/06-weight-decay.data.mjs`
// draws the data, the initial w and the sample order exactly as above and
// `06-weight-decay.torch.py` trains on them with PyTorch (float64, Dive-into-DL-PyTorch's from-scratch code);
// its final train loss, test loss and ‖w‖ (pasted below) must equal ours.

// %%
/** PyTorch 1.13's [train loss, test loss, ‖w‖] after 100 epochs, per λ (output of 06-weight-decay.torch.py). */
const pytorchFinal: Record<string, number[]> = {
  "0": [5.124822544816659e-30, 29.57826039212743, 13.311814491659563],
  "3": [0.0002537095825059494, 0.0418981935882763, 0.04696471482125684],
};
for (const r of results) {
  if (!(String(r.lambda) in pytorchFinal)) {
    console.log(`no PyTorch value for λ = ${r.lambda}: run the two scripts named above to get one`);
    continue;
  }
  const [train, test, norm] = pytorchFinal[String(r.lambda)];
  verify(`λ = ${r.lambda}: test loss = PyTorch's`, r.test.at(-1)!, test, { rtol: 1e-9 });
  verify(`λ = ${r.lambda}: ‖w‖ = PyTorch's`, r.norms.at(-1)!, norm, { rtol: 1e-9 });
  // λ = 0 fits the 10 samples exactly: the training loss is rounding noise (~1e-30) in both.
  verify(`λ = ${r.lambda}: train loss = PyTorch's`, r.train.at(-1)!, train, r.lambda === 0 ? { atol: 1e-20 } : { rtol: 1e-9 });
}

// %% [markdown]
// ## 动手试试 · Try it: λ
//
// The slider sets λ on a log scale, in half powers of 3 from 3⁻⁶ ≈ 0.0014 to 3⁶ = 729 (it starts at
// λ = 3, the value taken above from Dive-into-DL-PyTorch, which a slider in quarter powers of 10
// from 10⁻³ misses: a front end puts the handle on the nearest step and shows 3.16 instead); each
// change retrains `fitAndPlot(λ)` (1,000 SGD steps, a few hundredths of a second) and redraws the
// train and test loss per epoch with ‖w‖ on the right-hand axis. Things to try:
//
// - **λ ≤ 0.1:** the penalty is too weak for 10 samples: the training loss still falls below 1e−5
//   and the test loss stays above 10; ‖w‖ stays above 9 (it starts near 14).
// - **λ from 0.1 to 3:** the gap closes; between 0.3 and 1 the test loss falls by more than an order
//   of magnitude.
// - **λ = 10 to 600:** the test loss keeps falling, towards ≈ 0.011. The true weights are tiny
//   (0.01 each), so w ≈ 0 is nearly right here: what is left is the loss of predicting by b alone
//   (the variance of Σ 0.01·xᵢ is 200 · 0.01² = 0.02, half of it 0.01, plus the label noise).
// - **λ above 2/η ≈ 667:** each step multiplies w by 1 − ηλ < −1 before the data's gradient acts:
//   w flips sign and grows, and training diverges (the curves end where they reach infinity).
//
// In a page written by `nnlab run` the slider is a picture at λ = 3.

// %%
import { widgets } from "nnlab";
const tryLambda = widgets.interact(({ lambda }) => {
  const r = fitAndPlot(lambda);
  const epochs = r.train.map((_, i) => i + 1);
  const last = (v: number[]): string => (Number.isFinite(v.at(-1)!) ? v.at(-1)!.toExponential(2) : "diverged");
  const fig = plot.linePlot([
    { name: "train loss", x: epochs, y: r.train },
    { name: "test loss", x: epochs, y: r.test },
    { name: "‖w‖ (right axis)", x: epochs, y: r.norms },
  ], { title: `λ = ${lambda.toPrecision(3)}: train ${last(r.train)}, test ${last(r.test)}, ‖w‖ ${last(r.norms)}`, xLabel: "epochs", yLabel: "loss", logY: true, height: 380 });
  Object.assign(fig.data[2], { yaxis: "y2", line: { dash: "dot" } });
  return fig.update({ yaxis2: { title: { text: "‖w‖" }, type: "log", dtick: 1, overlaying: "y", side: "right", showgrid: false }, legend: { x: 1.08 } });
}, { lambda: new widgets.FloatLogSlider({ value: 3, base: 3, min: -6, max: 6, step: 0.5, description: "λ" }) });

// %% [markdown]
// *Check:* the start value, and the numbers the text quotes, from the same `fitAndPlot`.

// %%
verify("the slider starts at λ = 3 (Dive-into-DL-PyTorch's value)", tryLambda.values.lambda, 3, { atol: 0 });
const sweep = Object.fromEntries([0.1, 0.3, 1, 30, 600, 700].map((l) => [l, fitAndPlot(l)]));
verifyTrue("λ = 0.1: the gap stays (train < 1e−5, test > 10, ‖w‖ > 9)", sweep[0.1].train.at(-1)! < 1e-5 && sweep[0.1].test.at(-1)! > 10 && sweep[0.1].norms.at(-1)! > 9,
  `train ${sweep[0.1].train.at(-1)!.toExponential(2)}, test ${sweep[0.1].test.at(-1)!.toExponential(2)}, ‖w‖ ${sweep[0.1].norms.at(-1)!.toFixed(2)}`);
verifyTrue("λ from 0.3 to 1: test loss falls more than 10×", sweep[0.3].test.at(-1)! > 10 * sweep[1].test.at(-1)!, `${sweep[0.3].test.at(-1)!.toExponential(2)} → ${sweep[1].test.at(-1)!.toExponential(2)}`);
verifyTrue("λ = 30: test loss below λ = 3's", sweep[30].test.at(-1)! < results[1].test.at(-1)!, `${sweep[30].test.at(-1)!.toExponential(2)} vs ${results[1].test.at(-1)!.toExponential(2)}`);
verify("λ = 600: test loss near the loss of w = 0", sweep[600].test.at(-1)!, 0.011, { atol: 0.002 });
verifyTrue("λ = 700 > 2/η: training diverges", !(sweep[700].norms.at(-1)! < 1e6), `‖w‖ = ${sweep[700].norms.at(-1)}`);

// %% [markdown]
// ## 简洁实现 · The same with the optimiser's weight decay
//
// PyTorch's `torch.optim.SGD(..., weight_decay=λ)` adds λ·w to each gradient, the gradient of
// λ/2·‖w‖², so the penalty can be left out of the loss. Dive-into-DL-PyTorch's concise version
// decays only the weight (one optimiser for `net.weight` with `weight_decay=wd`, another for the
// bias); here that is two parameter groups: `[{params: [w], weightDecay: λ}, {params: [b]}]`.
// nnlab's `optim.SGD` does the same; trained with the same initial weights and sample order, it must
// follow the explicit-penalty run to rounding error.

// %%
function fitWithWeightDecay(lambda: number): Result {
  const w = randn([numFeatures, 1], { generator: initGenerator() }).requiresGrad_();
  const b = zeros([1]).requiresGrad_();
  const opt = new optim.SGD([{ params: [w], weightDecay: lambda }, { params: [b] }], { lr: lr }); // not `{ lr }`: tslab does not rewrite a shorthand property naming an earlier cell's variable
  const r: Result = { lambda, train: [], test: [], norms: [], w, b };
  for (let epoch = 0; epoch < numEpochs; epoch++) {
    for (let i = 0; i < numTrain; i += batchSize) {
      const idx = orders[epoch].slice(i, i + batchSize);
      const X = trainX.indexSelect(0, idx), y = trainY.indexSelect(0, idx);
      const l = squaredLoss(linreg(X, w, b), y).mean();
      opt.zeroGrad();
      l.backward();
      opt.step();
    }
    r.train.push(meanLoss(trainX, trainY, w, b));
    r.test.push(meanLoss(testX, testY, w, b));
    r.norms.push(w.norm().item());
  }
  return r;
}
const concise = lambdas.map(fitWithWeightDecay);
for (const [i, r] of concise.entries()) {
  const maxDiff = Math.max(...r.w.toFlatArray().map((v, j) => Math.abs(v - results[i].w.data[j])));
  console.log(`λ = ${r.lambda}: weightDecay run: test loss ${r.test.at(-1)!.toExponential(3)}, ‖w‖ ${r.norms.at(-1)!.toFixed(4)}; largest |w difference| from the explicit penalty: ${maxDiff.toExponential(2)}`);
}
plot.linePlot([
  ...results.map((r) => ({ name: `explicit penalty, λ = ${r.lambda}`, y: r.test })),
  ...concise.map((r) => ({ name: `optim.SGD weightDecay = ${r.lambda}`, y: r.test })),
], { title: "Test loss: explicit penalty and weight decay give the same curves", xLabel: "epoch", yLabel: "test loss", logY: true, height: 360 })

// %%
for (const [i, r] of concise.entries()) {
  verify(`λ = ${r.lambda}: weightDecay w = explicit-penalty w`, r.w, results[i].w, { atol: 1e-12 });
  verify(`λ = ${r.lambda}: weightDecay test loss = explicit penalty's`, r.test, results[i].test, { rtol: 1e-9 });
}
