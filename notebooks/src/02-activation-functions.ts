// Source of notebooks/02-activation-functions.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 02 · 深度学习中的4种激活函数 · Four activation functions in deep learning
//
// Following the article *python 深度学习中的4种激活函数*: first why a network needs an activation
// function at all (激活函数的作用), then the four it presents, each with its **formula, code and plot**
// (function and derivative): Sigmoid函数, Tanh函数, ReLu函数 and SoftMax函数.
//
// Every derivative plotted here is computed twice, from the closed-form formula and by autograd, and
// a *check* cell confirms they agree.

// %%
import { tensor, linspace, seed, rand, randn, cat, sigmoid, tanh, relu, softmax, type Tensor, noGrad, F, plot, display, verify, verifyTrue } from "nnlab";
seed(0);

// %% [markdown]
// ## 激活函数的作用 · Why activation functions
//
// In picture A of the article two classes of points can be separated by one straight line: a
// **linearly separable** problem. In picture B no line separates them; one has to draw a closed
// curve around one class. Real problems are mostly of the second kind.
//
// A network made only of linear layers is still a linear function: W₂(W₁x + b₁) + b₂ = (W₂W₁)x +
// (W₂b₁ + b₂), however many layers are stacked, so its decision boundary is a straight line. An
// activation function between the layers bends it. Below: data like picture A (two clouds) and
// like picture B (a ring around a disc), a network **without** activation (2 → 16 → 1, both layers
// linear) and the same network **with** tanh after the hidden layer, each trained by gradient
// descent on the binary cross-entropy.

// %%
// Experiment settings: try relu instead of tanh, more hidden units, another learning rate.
const hidden = 16;
const lr = 0.5;
const steps = 400;
const activation = tanh;

/** n points per class. A: two Gaussian clouds; B: a disc (class 0) inside a ring (class 1). */
function makeData(kind: "A" | "B", n: number): { x: Tensor; y: Tensor } {
  if (kind === "A") {
    const c0 = randn([n, 2]).mul(0.6).add(tensor([-1.2, -1]));
    const c1 = randn([n, 2]).mul(0.6).add(tensor([1.2, 1]));
    return { x: cat([c0, c1]), y: cat([tensor(new Array(n).fill(0)), tensor(new Array(n).fill(1))]) };
  }
  const ring = (r0: number, r1: number): Tensor => {
    const r = rand([n]).mul(r1 - r0).add(r0);
    const t = rand([n]).mul(2 * Math.PI);
    return tensor(Array.from({ length: n }, (_, i) => [r.data[i] * Math.cos(t.data[i]), r.data[i] * Math.sin(t.data[i])]));
  };
  return { x: cat([ring(0, 1), ring(1.5, 2.5)]), y: cat([tensor(new Array(n).fill(0)), tensor(new Array(n).fill(1))]) };
}

/** A 2 → hidden → 1 network; `act` null means no activation (a purely linear network). */
function makeNet(act: ((t: Tensor) => Tensor) | null) {
  const W1 = randn([hidden, 2]).mul(0.5).requiresGrad_();
  const b1 = tensor(new Array(hidden).fill(0), { requiresGrad: true });
  const W2 = randn([1, hidden]).mul(0.5).requiresGrad_();
  const b2 = tensor([0], { requiresGrad: true });
  const params = [W1, b1, W2, b2];
  const score = (x: Tensor): Tensor => {
    const h = x.matmul(W1.T).add(b1);
    return (act ? act(h) : h).matmul(W2.T).add(b2).reshape(-1);
  };
  return { params, score };
}

/** Full-batch gradient descent on the binary cross-entropy; returns the loss per step and the accuracy. */
function train(net: ReturnType<typeof makeNet>, data: { x: Tensor; y: Tensor }) {
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = F.bceWithLogits(net.score(data.x), data.y);
    for (const p of net.params) p.zeroGrad();
    loss.backward();
    noGrad(() => { for (const p of net.params) p.data.set(p.sub(p.grad!.mul(lr)).data); });
    losses.push(loss.item());
  }
  const predicted = noGrad(() => net.score(data.x).gt(0));
  const accuracy = predicted.eq(data.y).mean().item();
  return { losses, accuracy };
}

const results: Record<string, { accuracy: number; losses: number[]; net: ReturnType<typeof makeNet>; data: { x: Tensor; y: Tensor } }> = {};
for (const kind of ["A", "B"] as const) {
  const data = makeData(kind, 100);
  for (const [name, act] of [["linear only", null], ["with activation", activation]] as const) {
    const net = makeNet(act);
    const r = train(net, data);
    results[`${kind}: ${name}`] = { ...r, net, data };
    console.log(`picture ${kind}, ${name.padEnd(15)}: final loss ${r.losses[steps - 1].toFixed(4)}, training accuracy ${(100 * r.accuracy).toFixed(1)} %`);
  }
}

// %%
const boundary = (key: string) => {
  const { net, data } = results[key];
  const p = (u: number, v: number): number => noGrad(() => sigmoid(net.score(tensor([[u, v]]))).item());
  return plot.decisionBoundary(p, { x: data.x, labels: data.y }, {
    xRange: [-3, 3], yRange: [-3, 3], steps: 60, height: 380,
    title: `${key}: accuracy ${(100 * results[key].accuracy).toFixed(0)} %`,
  });
};
for (const key of Object.keys(results)) display(boundary(key));

// %%
plot.linePlot(Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.losses])), {
  title: "Training loss (binary cross-entropy)", xLabel: "step", yLabel: "loss", logY: true,
})

// %% [markdown]
// *Check:* on picture A both networks separate the classes; on picture B the linear-only network
// cannot do better than a straight line allows, while one activation layer fits it.

// %%
verifyTrue("A (linearly separable): linear-only network fits", results["A: linear only"].accuracy >= 0.97, `accuracy ${results["A: linear only"].accuracy}`);
verifyTrue("B (not separable): linear-only network fails", results["B: linear only"].accuracy < 0.75, `accuracy ${results["B: linear only"].accuracy}`);
verifyTrue("B: one activation layer fits", results["B: with activation"].accuracy >= 0.97, `accuracy ${results["B: with activation"].accuracy}`);

// %% [markdown]
// ## Sigmoid函数 · Sigmoid
//
// $$\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)$$
//
// It squashes any real number into (0, 1), so its output reads as a probability; this is the
// neuron of logistic regression. Its derivative is at most ¼ (at z = 0) and vanishes for large
// |z|: a deep stack of sigmoids multiplies many such factors, the reason for the vanishing gradient
// (chapter 04). Code: `sigmoid(t)` (stable for any z: it never computes e^{+z} for large z).

// %%
const z = linspace(-6, 6, 241);
/** f(z) and its derivative by autograd at every point of z (∂/∂z_i of Σ f(z) = f′(z_i)). */
function withDerivative(f: (t: Tensor) => Tensor): { value: number[]; grad: number[] } {
  const zz = z.detach().requiresGrad_();
  const y = f(zz);
  y.sum().backward();
  return { value: y.detach().toFlatArray(), grad: zz.grad!.toFlatArray() };
}
const zs = z.toFlatArray();
const sig = withDerivative(sigmoid);
plot.linePlot([
  { name: "σ(z)", x: zs, y: sig.value },
  { name: "σ′(z) (autograd)", x: zs, y: sig.grad },
], { title: "Sigmoid and its derivative", xLabel: "z" })

// %%
const sigFormula = zs.map((v) => 1 / (1 + Math.exp(-v)));
verify("σ(z) = 1/(1 + e^−z)", sig.value, sigFormula, { atol: 1e-15 });
verify("σ′(z) by autograd = σ(1 − σ)", sig.grad, sigFormula.map((s) => s * (1 - s)), { atol: 1e-15 });
verify("max σ′ = σ′(0)", Math.max(...sig.grad), 0.25, { atol: 1e-15 });
verify("σ(±1000) stays finite", sigmoid(tensor([-1000, 0, 1000])), [0, 0.5, 1], { atol: 0 });

// %% [markdown]
// ## Tanh函数 · Tanh
//
// $$\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\sigma(2z) - 1, \qquad \tanh'(z) = 1 - \tanh^2(z)$$
//
// A rescaled sigmoid with output in (−1, 1), centred on 0 (the next layer's inputs are not all
// positive, which helps gradient descent); its derivative peaks at 1, four times the sigmoid's,
// but it still saturates. Code: `tanh(t)`.

// %%
const th = withDerivative(tanh);
plot.linePlot([
  { name: "tanh(z)", x: zs, y: th.value },
  { name: "tanh′(z) (autograd)", x: zs, y: th.grad },
  { name: "σ′(z), for comparison", x: zs, y: sig.grad },
], { title: "Tanh and its derivative", xLabel: "z" })

// %%
verify("tanh(z) = 2σ(2z) − 1", th.value, zs.map((v) => 2 / (1 + Math.exp(-2 * v)) - 1), { atol: 1e-14 });
verify("tanh′(z) by autograd = 1 − tanh²", th.grad, th.value.map((t) => 1 - t * t), { atol: 1e-15 });
verify("max tanh′ = tanh′(0)", Math.max(...th.grad), 1, { atol: 1e-15 });

// %% [markdown]
// ## ReLu函数 · ReLU (Rectified Linear Unit)
//
// $$\mathrm{ReLU}(z) = \max(0, z), \qquad \mathrm{ReLU}'(z) = \begin{cases}0 & z < 0\\ 1 & z > 0\end{cases}$$
//
// For z < 0 the output is 0 and for z > 0 it is z itself. It is cheap, and where it is active its
// derivative is exactly 1, so gradients pass through many layers undiminished; neurons with z < 0
// output 0 and drop out of the computation, making the network effectively thinner. At z = 0 the
// derivative is taken as 0, as PyTorch does. Code: `relu(t)`.

// %%
const re = withDerivative(relu);
plot.linePlot([
  { name: "ReLU(z)", x: zs, y: re.value },
  { name: "ReLU′(z) (autograd)", x: zs, y: re.grad },
], { title: "ReLU and its derivative", xLabel: "z" })

// %%
verify("ReLU(z) = max(0, z)", re.value, zs.map((v) => Math.max(0, v)), { atol: 0 });
verify("ReLU′(z) = 1 for z > 0, else 0 (0 at z = 0, as PyTorch)", re.grad, zs.map((v) => (v > 0 ? 1 : 0)), { atol: 0 });

// %% [markdown]
// ## 动手试试 · Try it: each activation and its derivative at a point
//
// Pick an activation and move z₀: the plot shows the function, its derivative (by autograd, the
// curves above), the tangent line at z₀, whose slope is f′(z₀), and the title gives both values.
// It starts at sigmoid, z₀ = 2. Things to try:
//
// - **sigmoid, z₀ = 0 → ±6:** σ′ is largest at 0 (¼) and falls below 0.01 once |z₀| > 4.6: a
//   saturated sigmoid passes almost no gradient back, the vanishing gradient of chapter 04.
// - **tanh at z₀ = 0:** the slope is 1, four times the sigmoid's; it saturates sooner, since
//   tanh′(z) = 4σ′(2z): below 0.01 once |z₀| > 3.0, against 4.6 for the sigmoid.
// - **ReLU, z₀ < 0:** the derivative is 0, the neuron passes no gradient at all (a "dead" ReLU if
//   it stays there for every input); for z₀ > 0 the derivative is exactly 1 however large z₀ is.
//
// In a page written by `nnlab run` the controls are a picture at their start values.

// %%
import { widgets } from "nnlab";
const curves: Record<string, { f: (t: Tensor) => Tensor; value: number[]; grad: number[] }> = {
  sigmoid: { f: sigmoid, ...sig },
  tanh: { f: tanh, ...th },
  ReLU: { f: relu, ...re },
};
const tryActivation = widgets.interact(({ activation, z0 }) => {
  const c = curves[activation];
  // f(z₀) and f′(z₀) by autograd at the one point.
  const at = tensor([z0], { requiresGrad: true });
  const fz = c.f(at);
  fz.sum().backward();
  const [f0, d0] = [fz.item(), at.grad!.item()];
  const near = zs.filter((v) => Math.abs(v - z0) <= 1.5);
  const fig = plot.linePlot([
    { name: `${activation}(z)`, x: zs, y: c.value },
    { name: `${activation}′(z)`, x: zs, y: c.grad },
    { name: `tangent at z₀, slope ${d0.toPrecision(3)}`, x: near, y: near.map((v) => f0 + d0 * (v - z0)) },
  ], { title: `${activation}(${z0.toFixed(1)}) = ${f0.toPrecision(3)}, ${activation}′(${z0.toFixed(1)}) = ${d0.toPrecision(3)}`, xLabel: "z", height: 380 });
  return fig.addTrace({ type: "scatter", mode: "markers", name: "f(z₀) and f′(z₀)", x: [z0, z0], y: [f0, d0], marker: { size: 10, color: "black" } });
}, { activation: ["sigmoid", "tanh", "ReLU"], z0: [-6, 6, 0.1, 2] });

// %% [markdown]
// *Check:* the start values and the numbers the text quotes.

// %%
verifyTrue("the controls start at sigmoid, z₀ = 2", tryActivation.values.activation === "sigmoid" && tryActivation.values.z0 === 2, JSON.stringify(tryActivation.values));
const sigGradAt = (v: number): number => { const t = tensor([v], { requiresGrad: true }); sigmoid(t).sum().backward(); return t.grad!.item(); };
verifyTrue("σ′ < 0.01 once |z| > 4.6", sigGradAt(4.6) < 0.01 && sigGradAt(-4.6) < 0.01 && sigGradAt(4.5) > 0.01, `σ′(4.5) = ${sigGradAt(4.5).toFixed(4)}, σ′(4.6) = ${sigGradAt(4.6).toFixed(4)}`);
verify("tanh′(0) = 4 σ′(0)", th.grad[120], 4 * sig.grad[120], { atol: 1e-15 });
const tanhGradAt = (v: number): number => { const t = tensor([v], { requiresGrad: true }); t.tanh().sum().backward(); return t.grad!.item(); };
verifyTrue("tanh′ < 0.01 once |z| > 3.0", tanhGradAt(3.0) < 0.01 && tanhGradAt(-3.0) < 0.01 && tanhGradAt(2.9) > 0.01, `tanh′(2.9) = ${tanhGradAt(2.9).toFixed(4)}, tanh′(3.0) = ${tanhGradAt(3.0).toFixed(4)}`);

// %% [markdown]
// ## SoftMax函数 · Softmax
//
// $$\mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$$
//
// It turns a vector of scores (logits) into probabilities: all positive, summing to 1, largest
// where the score is largest, used as the output of a multi-class classifier. Its derivative is a
// matrix, ∂s_i/∂z_j = s_i(δ_ij − s_j). With two classes, softmax(z, 0)₀ = σ(z): the sigmoid is its
// special case.
//
// Computed literally, e^{1000} overflows to Infinity and Infinity/Infinity is NaN. The library
// subtracts the largest score first (softmax(z) = softmax(z − max z), the same value), so large
// logits stay finite. Code: `softmax(t, dim)`.

// %%
const logits = tensor([1, 2, 3]);
console.log(`softmax(${logits}) = ${softmax(logits)}`);
const big = tensor([1000, 1000, 0]);
const naive = big.toFlatArray().map((v, _, all) => Math.exp(v) / all.reduce((s, u) => s + Math.exp(u), 0));
console.log(`softmax([1000, 1000, 0]) = ${softmax(big)}`);
console.log(`the literal formula gives [${naive.join(", ")}]`);
// The Jacobian by autograd: row i = ∂s_i/∂z.
const zj = logits.detach().requiresGrad_();
const jacobian = [0, 1, 2].map((i) => {
  zj.zeroGrad();
  softmax(zj).get(i).backward();
  return zj.grad!.toFlatArray();
});
const s = softmax(logits).toFlatArray();
console.log("Jacobian ∂s_i/∂z_j by autograd:\n" + tensor(jacobian));

// %%
display(plot.barPlot({ labels: ["z₁", "z₂", "z₃"], values: { "logits z": logits.toFlatArray(), "softmax(z)": s } }, { title: "Softmax turns scores into probabilities" }));
const sm2 = zs.map((v) => softmax(tensor([v, 0])).data[0]);
plot.linePlot([
  { name: "softmax(z, 0)₀", x: zs, y: sm2 },
  { name: "σ(z)", x: zs, y: sigFormula },
], { title: "Two classes: softmax(z, 0)₀ is the sigmoid", xLabel: "z" })

// %%
verify("softmax([1, 2, 3])", softmax(logits), [0.0900, 0.2447, 0.6652]);
verify("softmax sums to 1", softmax(logits).sum().item(), 1, { atol: 1e-15 });
verify("softmax([1000, 1000, 0]) stays finite", softmax(big), [0.5, 0.5, 0], { atol: 1e-15 });
verifyTrue("the literal formula overflows", naive.some(Number.isNaN), `[${naive.join(", ")}]`);
verify("Jacobian = s_i(δ_ij − s_j)", jacobian, [0, 1, 2].map((i) => [0, 1, 2].map((j) => s[i] * ((i === j ? 1 : 0) - s[j]))), { atol: 1e-15 });
verify("softmax(z, 0)₀ = σ(z)", sm2, sigFormula, { atol: 1e-15 });
