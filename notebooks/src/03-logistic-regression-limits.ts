// Source of notebooks/03-logistic-regression-limits.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 03 · 逻辑回归的限制 / 深度学习的引入 · The limits of logistic regression, and why deep learning
//
// Following the article *python人工智能深度学习入门逻辑回归限制* (目录: 1.逻辑回归的限制 · 2.深度学习的引入 ·
// 3.深度学习的计算方式 · 4.神经网络的损失函数). Four points in an XOR layout defeat logistic regression;
// a hand-made feature transform fixes that; cascaded logistic units learn such a transform
// themselves, and that cascade is a neural network trained with the cross-entropy loss.

// %%
import { tensor, seed, randn, sigmoid, type Tensor, noGrad, F, plot, display, verify, verifyTrue } from "nnlab";
seed(0);
// The four points of the lecture: (0,1) and (1,0) are class 1 (label 1), (0,0) and (1,1) class 2 (label 0).
const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = tensor([0, 1, 1, 0]);
const names = ["(0,0)", "(0,1)", "(1,0)", "(1,1)"];

/** Logistic regression: p = σ(w·x + b), trained by gradient descent on the cross-entropy. */
function logisticRegression(inputs: Tensor, targets: Tensor, lr: number, steps: number) {
  const w = tensor([0.5, -0.5], { requiresGrad: true });
  const b = tensor(0, { requiresGrad: true });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = F.binaryCrossEntropy(sigmoid(inputs.matmul(w).add(b)), targets);
    w.zeroGrad(); b.zeroGrad();
    loss.backward();
    noGrad(() => { w.data.set(w.sub(w.grad!.mul(lr)).data); b.data.set(b.sub(b.grad!.mul(lr)).data); });
    losses.push(loss.item());
  }
  const p = (u: number, v: number): number => sigmoid(tensor([u, v]).dot(w).add(b)).item();
  const accuracy = noGrad(() => sigmoid(inputs.matmul(w).add(b)).gt(0.5).eq(targets).mean().item());
  return { w, b, p, losses, accuracy };
}

// %% [markdown]
// ## 1. 逻辑回归的限制 · The limits of logistic regression
//
// Logistic regression feeds a linear function z = w₁x₁ + w₂x₂ + b into the sigmoid and classifies
// by σ(z) ≷ 0.5, i.e. by the side of the straight line z = 0. For the four points below, however the
// line is drawn, it cannot separate the two classes.
//
// First an exhaustive argument: try 100,000 lines (directions and offsets on a fine grid) and count
// how many of the four points each classifies correctly. Then train logistic regression itself.

// %%
let bestCorrect = 0;
for (let i = 0; i < 1000; i++) {
  const angle = (2 * Math.PI * i) / 1000;
  const [w1, w2] = [Math.cos(angle), Math.sin(angle)];
  for (let j = 0; j < 100; j++) {
    const b = -1.5 + (3 * j) / 99;
    const correct = [0, 1, 2, 3].filter((n) => (w1 * X.data[2 * n] + w2 * X.data[2 * n + 1] + b > 0 ? 1 : 0) === y.data[n]).length;
    bestCorrect = Math.max(bestCorrect, correct);
  }
}
console.log(`best of 100,000 lines: ${bestCorrect} of 4 points on the right side`);

// Settings of the logistic regression: try others, the loss will not go below ln 2.
const lrLogistic = 1;
const stepsLogistic = 500;
const plain = logisticRegression(X, y, lrLogistic, stepsLogistic);
console.log(`logistic regression: w = ${plain.w.detach()}, b = ${plain.b.item().toExponential(2)}, loss ${plain.losses.at(-1)!.toFixed(4)} (ln 2 = ${Math.LN2.toFixed(4)})`);
plot.decisionBoundary(plain.p, { x: X, labels: y }, { xRange: [-0.5, 1.5], yRange: [-0.5, 1.5], steps: 60, height: 400, title: "Logistic regression on the XOR points: p ≈ 0.5 everywhere" })

// %% [markdown]
// *Check:* no line gets more than 3 of the 4 points right, and gradient descent ends at the best
// logistic regression can do here, w = 0, b = 0, p = 0.5 for every point, loss ln 2.

// %%
verify("best line: points correct", bestCorrect, 3);
verify("logistic regression: loss → ln 2", plain.losses.at(-1)!, 0.6931);
verify("logistic regression: p at the four points", noGrad(() => sigmoid(X.matmul(plain.w).add(plain.b))), [0.5, 0.5, 0.5, 0.5]);

// %% [markdown]
// **A feature transform.** If the input features are transformed first, perfect classification may
// become possible. Make a new feature x₁′ = the distance to (0, 0) and another x₂′ = the distance to
// (1, 1). The four points then land as in the article's right-hand figure: class 1 both map to
// (1, 1), and a line now separates the classes.

// %%
const transform = (u: number, v: number): [number, number] => [Math.hypot(u, v), Math.hypot(u - 1, v - 1)];
const Xt = tensor([0, 1, 2, 3].map((n) => transform(X.data[2 * n], X.data[2 * n + 1])));
console.log(`(x1′, x2′) of ${names.join(", ")}:\n${Xt}`);
const onT = logisticRegression(Xt, y, 1, 2000);
console.log(`logistic regression on (x1′, x2′): accuracy ${onT.accuracy * 100} %, loss ${onT.losses.at(-1)!.toFixed(4)}`);
display(plot.decisionBoundary(onT.p, { x: Xt, labels: y }, { xRange: [-0.3, 1.7], yRange: [-0.3, 1.7], steps: 60, height: 400, title: "In the transformed space (x1′, x2′) one line separates the classes" }));
plot.decisionBoundary((u, v) => onT.p(...transform(u, v)), { x: X, labels: y }, { xRange: [-0.5, 1.5], yRange: [-0.5, 1.5], steps: 60, height: 400, title: "The same classifier drawn over the original (x1, x2): a curved boundary" })

// %%
verify("x′ of (0,0)", Xt.get(0), [0, 1.414]);
verify("x′ of (0,1)", Xt.get(1), [1, 1]);
verify("x′ of (1,0)", Xt.get(2), [1, 1]);
verify("x′ of (1,1)", Xt.get(3), [1.414, 0]);
verify("logistic regression on x′: accuracy", onT.accuracy, 1);

// %% [markdown]
// ## 2. 深度学习的引入 · Introducing deep learning
//
// Finding a good transform by hand is hard. Instead, let logistic units do it: one unit computes
// x₁′ = σ(w·x + b), another x₂′, and a third logistic regression classifies (x₁′, x₂′). With the
// weights below (consistent with the lecture slide's 0.73 / 0.27 / 0.05; the slide's exact weights
// are not in the article, so these are a reconstruction), the first two units map the points to
// (0.73, 0.05), (0.27, 0.27), (0.27, 0.27), (0.05, 0.73), and the classes become separable:

// %%
const W1hand = tensor([[-2, -2], [2, 2]]);
const b1hand = tensor([1, -3]);
const hiddenHand = sigmoid(X.matmul(W1hand.T).add(b1hand));
console.log(`(x1′, x2′) = σ(W₁x + b₁) for ${names.join(", ")}:\n${hiddenHand}`);
// A third logistic unit on (x1′, x2′): class 1 sits near the origin of that space.
const W2hand = tensor([[-20, -20]]);
const b2hand = tensor([13.2]);
const cascadeHand = (inputs: Tensor): Tensor => sigmoid(sigmoid(inputs.matmul(W1hand.T).add(b1hand)).matmul(W2hand.T).add(b2hand)).reshape(-1);
console.log(`cascade output p(class 1) = ${cascadeHand(X)}`);

// %%
verify("x′ of (0,0) by logistic units", hiddenHand.get(0), [0.73, 0.05]);
verify("x′ of (0,1) by logistic units", hiddenHand.get(1), [0.27, 0.27]);
verify("x′ of (1,0) by logistic units", hiddenHand.get(2), [0.27, 0.27]);
verify("x′ of (1,1) by logistic units", hiddenHand.get(3), [0.05, 0.73]);
verify("hand-set cascade: predictions", cascadeHand(X).gt(0.5), [0, 1, 1, 0]);

// %% [markdown]
// Now let gradient descent find all nine parameters of the cascade (2 + 1 logistic units) itself,
// from random weights. Each logistic unit is a **neuron**, the cascade a **neural network**, and
// stacking more such layers is **deep learning**.

//
// With only two hidden units, gradient descent from random weights gets stuck in a local minimum for
// about a third of the seeds (measured: 6 of 20), leaving one point misclassified; with three hidden
// units it found a solution for all 20 seeds tried. Set `hiddenUnits = 2` to see it happen.

// %%
// Settings of the learned cascade.
const hiddenUnits = 3;
const lr = 2;
const steps = 3000;

const W1 = randn([hiddenUnits, 2]).requiresGrad_();
const b1 = randn([hiddenUnits]).requiresGrad_();
const W2 = randn([1, hiddenUnits]).requiresGrad_();
const b2 = randn([1]).requiresGrad_();
const params = [W1, b1, W2, b2];
const hiddenOf = (inputs: Tensor): Tensor => sigmoid(inputs.matmul(W1.T).add(b1));
const net = (inputs: Tensor): Tensor => sigmoid(hiddenOf(inputs).matmul(W2.T).add(b2)).reshape(-1);
const pOf = (u: number, v: number): number => noGrad(() => net(tensor([[u, v]])).item());
const before = plot.decisionBoundary(pOf, { x: X, labels: y }, { xRange: [-0.5, 1.5], yRange: [-0.5, 1.5], steps: 60, height: 380, title: "Cascade before training (random weights)" });
const lossBefore = noGrad(() => F.binaryCrossEntropy(net(X), y).item());
const losses: number[] = [];
for (let s = 0; s < steps; s++) {
  const loss = F.binaryCrossEntropy(net(X), y);
  for (const p of params) p.zeroGrad();
  loss.backward();
  noGrad(() => { for (const p of params) p.data.set(p.sub(p.grad!.mul(lr)).data); });
  losses.push(loss.item());
}
const pLearned = noGrad(() => net(X));
console.log(`loss ${lossBefore.toFixed(4)} → ${losses.at(-1)!.toFixed(4)}; p(class 1) = ${pLearned}`);
console.log(`learned hidden features (x1′, x2′, x3′), one row per point:\n${noGrad(() => hiddenOf(X))}`);
display(before);
plot.decisionBoundary(pOf, { x: X, labels: y }, { xRange: [-0.5, 1.5], yRange: [-0.5, 1.5], steps: 60, height: 380, title: "Cascade after training: the boundary bends around class 1" })

// %%
const H = noGrad(() => hiddenOf(X)).toArray() as number[][];
const hiddenTrace = (label: string, idx: number[]) => ({
  type: "scatter3d", mode: "markers+text", name: label, marker: { size: 6 },
  x: idx.map((i) => H[i][0]), y: idx.map((i) => H[i][1]), z: idx.map((i) => H[i][2] ?? 0), text: idx.map((i) => names[i]),
});
new plot.Figure({
  data: [hiddenTrace("class 2 (label 0)", [0, 3]), hiddenTrace("class 1 (label 1)", [1, 2])],
  layout: { title: { text: "The four points in the learned feature space (one axis per hidden unit)" }, height: 450,
    scene: { xaxis: { title: { text: "x1′" } }, yaxis: { title: { text: "x2′" } }, zaxis: { title: { text: "x3′" } } } },
})

// %%
verify("learned cascade: predictions", pLearned.gt(0.5), [0, 1, 1, 0]);
verifyTrue("learned cascade: loss near 0", losses.at(-1)! < 0.05, `final loss ${losses.at(-1)!.toFixed(4)}`);

// %% [markdown]
// ## 3. 深度学习的计算方式 · How a deep network computes
//
// Each layer is a matrix operation followed by the activation: a¹ = σ(W¹x + b¹), a² = σ(W²a¹ + b²),
// …, y = σ(W^L a^{L−1} + b^L). Putting the samples in the rows of a matrix X computes all of them at
// once, which is what GPUs (and here typed arrays) are good at: A¹ = σ(X W¹ᵀ + b¹), the bias
// broadcast over the rows.

// %%
console.log(`X ${JSON.stringify(X.shape)}  W¹ ${JSON.stringify(W1.shape)}  b¹ ${JSON.stringify(b1.shape)}`);
const A1 = noGrad(() => sigmoid(X.matmul(W1.T).add(b1)));
const A2 = noGrad(() => sigmoid(A1.matmul(W2.T).add(b2)));
console.log(`A¹ = σ(X W¹ᵀ + b¹), shape ${JSON.stringify(A1.shape)}:\n${A1}`);
console.log(`y = σ(A¹ W²ᵀ + b²), shape ${JSON.stringify(A2.shape)}:\n${A2}`);
// One sample at a time gives the same numbers.
const oneByOne = [0, 1, 2, 3].map((n) => noGrad(() => sigmoid(W2.matmul(sigmoid(W1.matmul(X.get(n)).add(b1))).add(b2)).item()));
verify("batch (matrix) form = one sample at a time", A2.reshape(-1), oneByOne, { atol: 1e-15 });

// %% [markdown]
// ## 4. 神经网络的损失函数 · The loss of a neural network
//
// For a binary output y (the network's probability of class 1) and the label ŷ ∈ {0, 1}, the loss of
// one sample is the **cross-entropy** C = −[ŷ ln y + (1 − ŷ) ln(1 − y)]; the total loss sums (or
// averages) it over the samples, L = Σₙ Cⁿ, and gradient descent lowers L. With more classes the
// output is a softmax and C = −Σ_c ŷ_c ln y_c, i.e. −ln of the probability given to the right class.

// %%
const yv = pLearned.toFlatArray();
const byHand = -yv.reduce((s, p, n) => s + (y.data[n] * Math.log(p) + (1 - y.data[n]) * Math.log(1 - p)), 0) / 4;
const byLibrary = F.binaryCrossEntropy(pLearned, y).item();
console.log(`mean cross-entropy by hand ${byHand.toFixed(6)}, F.binaryCrossEntropy ${byLibrary.toFixed(6)}`);
// Multi-class: logits of 3 classes for 2 samples.
const logits = tensor([[2, 1, 0.1], [0.5, 2.5, 0.3]]);
const targets = [0, 1];
const ceHand = -targets.reduce((s, c, n) => s + Math.log(logits.get(n).softmax().data[c]), 0) / 2;
const ceLibrary = F.crossEntropy(logits, targets).item();
console.log(`softmax cross-entropy by hand ${ceHand.toFixed(6)}, F.crossEntropy ${ceLibrary.toFixed(6)}`);
plot.linePlot({ "cross-entropy (mean over the 4 points)": losses }, { title: "Training the cascade: loss per step", xLabel: "step", yLabel: "loss", logY: true })

// %%
verify("binary cross-entropy: library = formula", byLibrary, byHand, { atol: 1e-15 });
verify("softmax cross-entropy: library = formula", ceLibrary, ceHand, { atol: 1e-15 });
verify("softmax cross-entropy of the example", ceLibrary, 0.3185);
