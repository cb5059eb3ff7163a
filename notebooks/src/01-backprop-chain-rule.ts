// Source of notebooks/01-backprop-chain-rule.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 01 · BackPropagation 链式法则 · Backpropagation and the chain rule
//
// This notebook follows the article *python深度学习人工智能BackPropagation链式法则* section by section
// (目录: 1.链式法则 · 2.前向传播 · 3.后向传播 · 4.计算方式整理 · 5.总结) and computes every quantity it
// describes on the classic 2-2-2-2 sigmoid network of Hung-yi Lee's lecture, whose activations
// the slides print as **(0.98, 0.12) → (0.86, 0.11) → (0.62, 0.83)** for the input (1, −1).
//
// The gradient of every weight is computed four ways that must agree: **by hand** as the article
// does it (forward pass for ∂z/∂w, backward pass for ∂C/∂z), by **autograd** (`backward()`), by
// **finite differences**, and, for one neuron, as a **symbolic derivative** (mathjs).
// The cells marked *check* print `✓` lines and stop the notebook if a number drifts.

// %%
import { tensor, seed, sigmoid, type Tensor, noGrad, nn, plot, display, verify, verifyTrue, } from "nnlab";
import { derivative, parse } from "mathjs";
seed(0);
const σ = (z: number): number => 1 / (1 + Math.exp(-z));
const σPrime = (z: number): number => σ(z) * (1 - σ(z));

// %% [markdown]
// ## 1. 链式法则 · The chain rule
//
// Gradient descent starts from an initial value of each parameter and moves it against the
// gradient until the loss is smallest; the key ingredient is the derivative of the final loss
// *C* with respect to each parameter.
//
// Take one neuron with two inputs x₁, x₂, weights w₁, w₂ and bias b: it forms
// z = w₁x₁ + w₂x₂ + b and outputs a = σ(z). By the chain rule
//
// $$\frac{\partial C}{\partial w} = \frac{\partial z}{\partial w}\cdot\frac{\partial C}{\partial z}$$
//
// The first factor is easy: ∂z/∂w₁ = x₁ and ∂z/∂w₂ = x₂ (the **forward pass** finds it); the second
// one, ∂C/∂z, comes from the **backward pass**.
//
// Below: the first neuron of the network used throughout (w = (1, −2), b = 1, input (1, −1)), with
// the squared error C = ½(a − ŷ)². As in Lee's lecture, **ŷ is the target** (the label) and y or a
// the network's output. The lecture gives no loss for this example: the squared error is our
// choice, stated once and used everywhere. The target here is ŷ = 0 (the neuron should be off):
// with ŷ = 1 the output a = 0.982 is already so close that C = 1.6e−4 and every gradient is below
// 1e−3, too small to read. Its gradient, four ways.

// %%
// One neuron: change these and re-run the section.
const x1 = 1, x2 = -1, target = 0;
const w1 = 1, w2 = -2, b = 1;

const z = w1 * x1 + w2 * x2 + b;
const a = σ(z);
// By hand: ∂z/∂w from the forward pass times ∂C/∂z = σ′(z)·∂C/∂a from the backward pass.
const dCdz = σPrime(z) * (a - target);
const byHand = [x1 * dCdz, x2 * dCdz, 1 * dCdz];

// Autograd.
const w = tensor([w1, w2], { requiresGrad: true });
const bT = tensor(b, { requiresGrad: true });
const xT = tensor([x1, x2]);
const cost = sigmoid(w.dot(xT).add(bT)).sub(target).square().mul(0.5);
cost.backward();
const byAutograd = [...w.grad!.toFlatArray(), bT.grad!.item()];

// Central finite differences of the cost as a plain function of (w1, w2, b).
const C1 = (p: number[]): number => 0.5 * (σ(p[0] * x1 + p[1] * x2 + p[2]) - target) ** 2;
const h = 1e-6;
const byDifferences = [0, 1, 2].map((i) => {
  const up = [w1, w2, b], down = [w1, w2, b];
  up[i] += h; down[i] -= h;
  return (C1(up) - C1(down)) / (2 * h);
});

// Symbolic: mathjs differentiates the formula, then we evaluate it at the same point.
const costFormula = parse("1/2 * (1 / (1 + exp(-(w1*x1 + w2*x2 + b))) - y)^2");
const scope = { w1, w2, b, x1, x2, y: target };
const symbolic = ["w1", "w2", "b"].map((v) => derivative(costFormula, v));
const bySymbolic = symbolic.map((d) => d.evaluate(scope) as number);
// Written out in w1, x1, … the derivative is a line of nested exp(−(w1·x1 + w2·x2) − b); in z it reads.
const dCdzSymbolic = derivative(parse("1/2 * (1 / (1 + exp(-z)) - y)^2"), "z");
console.log(`z = ${z}, a = σ(z) = ${a.toFixed(6)}, target ŷ = ${target}, C = ${C1([w1, w2, b]).toFixed(6)}`);
console.log(`mathjs: ∂C/∂z = ${dCdzSymbolic.toString()}   (y is the target ŷ)`);
console.log(`        = σ′(z)·(σ(z) − ŷ), since σ = 1/(1 + e^−z) gives σ(1 − σ) = e^−z/(1 + e^−z)² and σ − ŷ = (1 − (1 + e^−z)·ŷ)/(1 + e^−z)`);
console.log(`        ∂C/∂w1 = x1·∂C/∂z, ∂C/∂w2 = x2·∂C/∂z, ∂C/∂b = ∂C/∂z = ${(dCdzSymbolic.evaluate({ z, y: target }) as number).toFixed(6)}`);
console.table(["w1", "w2", "b"].map((name, i) => ({
  parameter: name,
  "∂z/∂· (forward)": [x1, x2, 1][i],
  "by hand": byHand[i],
  autograd: byAutograd[i],
  "finite diff.": byDifferences[i],
  "symbolic (mathjs)": bySymbolic[i],
})));

// %% [markdown]
// *Check:* the four columns agree (finite differences to about 1e-9, the others to rounding), and
// the derivative mathjs takes in z, times x1, is its derivative in w1.

// %%
verify("one neuron: mathjs ∂C/∂z · x1 = mathjs ∂C/∂w1", (dCdzSymbolic.evaluate({ z, y: target }) as number) * x1, bySymbolic[0], { atol: 1e-12 });
verify("one neuron: autograd = by hand", byAutograd, byHand, { atol: 1e-15 });
verify("one neuron: symbolic (mathjs) = by hand", bySymbolic, byHand, { atol: 1e-15 });
verify("one neuron: finite differences = by hand", byDifferences, byHand, { atol: 1e-9 });
// The forward-pass factor on its own: autograd of z alone gives ∂z/∂(w1, w2, b) = (x1, x2, 1).
const wz = tensor([w1, w2], { requiresGrad: true }), bz = tensor(b, { requiresGrad: true });
wz.dot(xT).add(bz).backward();
verify("one neuron: ∂z/∂(w1, w2, b) = (x1, x2, 1)", [...wz.grad!.toFlatArray(), bz.grad!.item()], [x1, x2, 1], { atol: 0 });

// %% [markdown]
// The backward pass multiplies by σ′(z), a number fixed once the forward pass has computed z.
// The sigmoid and its derivative, with this neuron's z marked:

// %%
plot.functionPlot(
  [{ name: "σ(z)", f: σ }, { name: "σ′(z) = σ(z)(1 − σ(z))", f: σPrime }],
  { xRange: [-6, 6], title: `sigmoid and its derivative; this neuron: z = ${z}, σ′(z) = ${σPrime(z).toFixed(4)}`, xLabel: "z" },
).addTrace({ type: "scatter", mode: "markers", name: "this neuron", x: [z, z], y: [a, σPrime(z)], marker: { size: 10, color: "black" } })

// %% [markdown]
// ## 2. 前向传播 · Forward pass
//
// **Computing ∂z/∂w.** The forward pass is simple: the derivative of z with respect to a weight is
// the input that weight multiplies. For the first layer that is the raw input (1 and −1); for every
// other layer it is the output a of the sigmoid in the layer before.
//
// The network: two inputs, three layers of two sigmoid neurons. Row j of W^l holds the weights
// *into* neuron j of layer l:
//
// | layer | neuron 1: w, b | neuron 2: w, b |
// |---|---|---|
// | 1 | (1, −2), 1 | (−1, 1), 0 |
// | 2 | (2, −1), 0 | (−2, −1), 0 |
// | 3 | (3, −1), −2 | (−1, 4), 2 |
//
// and z^l = W^l a^{l−1} + b^l, a^l = σ(z^l), a⁰ = x.

// %%
const W = [
  tensor([[1, -2], [-1, 1]], { requiresGrad: true }),
  tensor([[2, -1], [-2, -1]], { requiresGrad: true }),
  tensor([[3, -1], [-1, 4]], { requiresGrad: true }),
];
const B = [
  tensor([1, 0], { requiresGrad: true }),
  tensor([0, 0], { requiresGrad: true }),
  tensor([-2, 2], { requiresGrad: true }),
];

/** The forward pass, keeping z^l and a^l of every layer (a[0] is the input). */
function forward(x: Tensor): { z: Tensor[]; a: Tensor[] } {
  const zs: Tensor[] = [];
  const as: Tensor[] = [x];
  for (let l = 0; l < W.length; l++) {
    const zl = W[l].matmul(as[l]).add(B[l]);
    zl.retainGrad(); // keep ∂C/∂z^l after backward(): the article's δ
    zs.push(zl);
    as.push(sigmoid(zl));
  }
  return { z: zs, a: as };
}

const x = tensor([1, -1]);
const fwd = forward(x);
fwd.a.slice(1).forEach((al, l) => console.log(`layer ${l + 1}: z = ${fwd.z[l].detach()}  a = ${al.detach()}`));

// %% [markdown]
// *Check:* the slide's values for input (1, −1), and for input (0, 0) (0.73, 0.5) → (0.72, 0.12) → (0.51, 0.85).

// %%
verify("a¹ for x = (1, −1)", fwd.a[1], [0.98, 0.12]);
verify("a² for x = (1, −1)", fwd.a[2], [0.86, 0.11]);
verify("a³ = y for x = (1, −1)", fwd.a[3], [0.62, 0.83]);
const fwd0 = forward(tensor([0, 0]));
verify("a¹ for x = (0, 0)", fwd0.a[1], [0.73, 0.5]);
verify("a² for x = (0, 0)", fwd0.a[2], [0.72, 0.12]);
verify("a³ = y for x = (0, 0)", fwd0.a[3], [0.51, 0.85]);

// %% [markdown]
// **∂z/∂w is the input a.** Differentiate each z of layer 2 alone with autograd: the gradient that
// lands on row j of W² is exactly a¹, the layer's input, whatever j is.

// %%
for (let j = 0; j < 2; j++) {
  const W2 = W[1].detach().requiresGrad_();
  const zj = W2.matmul(fwd.a[1].detach()).add(B[1].detach()).get(j);
  zj.backward();
  console.log(`∂z²_${j + 1}/∂W² =\n${W2.grad}`);
  verify(`∂z²_${j + 1}/∂w²_${j + 1}k = a¹_k`, W2.grad!.get(j), fwd.a[1]!.detach(), { atol: 0 });
}

// %% [markdown]
// The network with the forward pass written on it: each neuron shows z and a = σ(z), each edge its weight.

// %%
/** Draws the 2-2-2-2 network; `label(l, j)` is the text on neuron j of column l (0 = inputs). */
function networkFigure(title: string, label: (l: number, j: number) => string, edgeLabel: (l: number, j: number, k: number) => string): plot.Figure {
  const fig = new plot.Figure({ layout: {
    title: { text: title }, height: 380, showlegend: false,
    xaxis: { visible: false, range: [-0.5, 3.6] }, yaxis: { visible: false, range: [-0.6, 1.6] },
    margin: { t: 50, l: 10, r: 10, b: 10 },
  } });
  const pos = (l: number, j: number): [number, number] => [l * 1.05, 1 - j];
  for (let l = 1; l <= 3; l++) {
    for (let j = 0; j < 2; j++) {
      for (let k = 0; k < 2; k++) {
        const [xa, ya] = pos(l - 1, k), [xb, yb] = pos(l, j);
        fig.addTrace({ type: "scatter", mode: "lines", x: [xa, xb], y: [ya, yb], line: { color: "#bbb", width: 1 }, hoverinfo: "skip" });
        const t = k === j ? 0.3 : 0.22;
        fig.addTrace({ type: "scatter", mode: "text", x: [xa + (xb - xa) * t], y: [ya + (yb - ya) * t], text: [edgeLabel(l, j, k)], textfont: { size: 11, color: "#555" }, hoverinfo: "skip" });
      }
    }
  }
  const nx: number[] = [], ny: number[] = [], nt: string[] = [];
  for (let l = 0; l <= 3; l++) for (let j = 0; j < 2; j++) { const [px, py] = pos(l, j); nx.push(px); ny.push(py); nt.push(label(l, j)); }
  fig.addTrace({ type: "scatter", mode: "markers+text", x: nx, y: ny, text: nt, textposition: "top center", marker: { size: 26, color: "#d9e8f5", line: { color: "#1f77b4", width: 2 } } });
  return fig;
}
const fmt = (v: number, d: number = 2): string => v.toFixed(d);
networkFigure(
  "Forward pass for x = (1, −1): z and a = σ(z) of every neuron",
  (l, j) => (l === 0 ? `x${j + 1} = ${fwd.a[0].data[j]}` : `z=${fmt(fwd.z[l - 1].data[j])}, a=${fmt(fwd.a[l].data[j])}`),
  (l, j, k) => String(W[l - 1].data[j * 2 + k]),
)

// %% [markdown]
// ## 3. 后向传播 · Backward pass
//
// **Computing ∂C/∂z.** Write a for the sigmoid's output. By the chain rule ∂C/∂z = ∂a/∂z · ∂C/∂a.
// ∂a/∂z is just σ′(z). And a feeds several neurons of the next layer, say two, z′ = a·w₃ + … and
// z″ = a·w₄ + …, so ∂C/∂a is the sum over both: ∂C/∂a = w₃·∂C/∂z′ + w₄·∂C/∂z″. Suppose ∂C/∂z′
// and ∂C/∂z″ were known; then
//
// $$\frac{\partial C}{\partial z} = \sigma'(z)\left[w_3\frac{\partial C}{\partial z'} + w_4\frac{\partial C}{\partial z''}\right]$$
//
// (outside the bracket ∂a/∂z, inside ∂C/∂a). This is a **reverse neuron**: its inputs are ∂C/∂z′
// and ∂C/∂z″, its weights w₃ and w₄, and instead of a sigmoid it multiplies by σ′(z), a constant
// already fixed by the forward pass.
//
// At the output layer ∂C/∂z is direct. With C = ½‖y − ŷ‖² and target ŷ = (1, 0):
// ∂C/∂z³ = σ′(z³) ⊙ (y − ŷ).

// %%
const yHat = tensor([1, 0]);
const zs = fwd.z.map((t) => t.detach().toFlatArray());
const as = fwd.a.map((t) => t.detach().toFlatArray());
const C = 0.5 * as[3].reduce((s, v, j) => s + (v - yHat.data[j]) ** 2, 0);
// Output layer: everything is known after the forward pass.
const δ3 = [0, 1].map((j) => σPrime(zs[2][j]) * (as[3][j] - yHat.data[j]));
console.log(`C = ${C.toFixed(6)};  ∂C/∂z³ = δ³ = (${δ3.map((v) => v.toFixed(6)).join(", ")})`);

// %% [markdown]
// The reverse neuron for neuron 1 of layer 2, built explicitly: w₃ and w₄ are the weights *leaving*
// it (W³ column 1: w₃ = 3 into z′ = z³₁, w₄ = −1 into z″ = z³₂).

// %%
/** The article's reverse neuron: inputs ∂C/∂z′, ∂C/∂z″, weights w3, w4, output multiplied by σ′(z). */
function reverseNeuron(dCdzPrime: number, dCdzDoublePrime: number, w3: number, w4: number, zForward: number): number {
  const dCda = w3 * dCdzPrime + w4 * dCdzDoublePrime; // inside the bracket: ∂C/∂a
  return σPrime(zForward) * dCda;                      // outside: ∂a/∂z = σ′(z), a constant
}
const w3 = W[2].data[0 * 2 + 0], w4 = W[2].data[1 * 2 + 0];
const δ2_1 = reverseNeuron(δ3[0], δ3[1], w3, w4, zs[1][0]);
console.log(`w3 = ${w3}, w4 = ${w4}, z = ${zs[1][0].toFixed(4)}, σ′(z) = ${σPrime(zs[1][0]).toFixed(6)}`);
console.log(`∂C/∂z = σ′(z)·[w3·${δ3[0].toFixed(6)} + w4·${δ3[1].toFixed(6)}] = ${δ2_1.toFixed(6)}`);

// The article's picture of it: the inputs ∂C/∂z′ and ∂C/∂z″ enter from the right, are weighted by
// w3 and w4 and summed, and the sum is multiplied by σ′(z) (the "activation" of a reverse neuron is a
// constant, fixed by the forward pass); the output ∂C/∂z leaves to the left.
function reverseNeuronFigure(): plot.Figure {
  const fig = new plot.Figure({ layout: {
    title: { text: "The reverse neuron of neuron 1 in layer 2 (the article's figure, with this network's numbers)" }, height: 320, showlegend: false,
    xaxis: { visible: false, range: [-0.4, 3.4] }, yaxis: { visible: false, range: [-0.5, 1.5] }, margin: { t: 50, l: 10, r: 10, b: 10 },
  } });
  const node = [1.2, 0.5], inputs: Array<[number, number, string, string]> = [
    [2.8, 1, `∂C/∂z′ = ${δ3[0].toFixed(4)}`, `w3 = ${w3}`],
    [2.8, 0, `∂C/∂z″ = ${δ3[1].toFixed(4)}`, `w4 = ${w4}`],
  ];
  for (const [px, py, , wl] of inputs) {
    fig.addTrace({ type: "scatter", mode: "lines", x: [px, node[0]], y: [py, node[1]], line: { color: "#d62728", width: 2 }, hoverinfo: "skip" });
    fig.addTrace({ type: "scatter", mode: "text", x: [(px + node[0]) / 2 + 0.1], y: [(py + node[1]) / 2 + 0.08], text: [wl], textfont: { size: 13 }, hoverinfo: "skip" });
  }
  fig.addTrace({ type: "scatter", mode: "lines", x: [node[0], 0], y: [node[1], node[1]], line: { color: "#d62728", width: 2 }, hoverinfo: "skip" });
  fig.addTrace({ type: "scatter", mode: "markers+text", x: inputs.map((i) => i[0]), y: inputs.map((i) => i[1]), text: inputs.map((i) => i[2]), textposition: "middle right", marker: { size: 18, color: "#f5dada" } });
  fig.addTrace({ type: "scatter", mode: "markers+text", x: [node[0]], y: [node[1]], text: [`× σ′(z) = ${σPrime(zs[1][0]).toFixed(4)}`], textposition: "bottom center", marker: { size: 34, color: "#f5dada", line: { color: "#d62728", width: 2 } } });
  fig.addTrace({ type: "scatter", mode: "text", x: [0.3], y: [node[1] + 0.12], text: [`∂C/∂z = ${δ2_1.toFixed(4)}`], textfont: { size: 13 }, hoverinfo: "skip" });
  return fig;
}
display(reverseNeuronFigure());

// %% [markdown]
// Every hidden neuron is such a reverse neuron, so the backward pass is a network running from the
// output to the input: δ^l = σ′(z^l) ⊙ (W^{l+1})ᵀ δ^{l+1}. Row j of (W^{l+1})ᵀ holds the weights
// leaving neuron j.

// %%
const δ: number[][] = [[], [], δ3];
for (let l = 1; l >= 0; l--) {
  δ[l] = [0, 1].map((j) => reverseNeuron(δ[l + 1][0], δ[l + 1][1], W[l + 1].data[0 * 2 + j], W[l + 1].data[1 * 2 + j], zs[l][j]));
}
δ.forEach((d, l) => console.log(`δ${l + 1} = ∂C/∂z${l + 1} = (${d.map((v) => v.toFixed(6)).join(", ")})`));

// %% [markdown]
// *Check:* the cost and the δ of every layer (reference values computed from the same formulas,
// `notes/anchors.md` §5), and the explicit reverse neuron equals δ²₁.

// %%
verify("C = ½‖y − ŷ‖²", C, 0.416798);
verify("δ³ = ∂C/∂z³", δ[2], [-0.090277, 0.117468]);
verify("δ² = ∂C/∂z²", δ[1], [-0.045763, 0.055161]);
verify("δ¹ = ∂C/∂z¹", δ[0], [-0.003565, -0.000987]);
verify("reverse neuron (w3, w4, σ′(z)) = δ²₁", δ2_1, δ[1][0], { atol: 0 });

// %%
networkFigure(
  "Backward pass: the reverse network carries δ = ∂C/∂z from the output to the input",
  (l, j) => (l === 0 ? `x${j + 1}` : `δ=${δ[l - 1][j].toFixed(4)}`),
  (l, j, k) => (l === 1 ? "" : `${W[l - 1].data[j * 2 + k]}`),
)

// %% [markdown]
// ## 4. 计算方式整理 · How the computation is organised
//
// - **Output layer:** after the forward pass the output, hence C, and z′, z″ are all known, so
//   ∂C/∂z′ and ∂C/∂z″ are computed directly.
// - **Hidden layer:** ∂C/∂z needs the ∂C/∂z of the next layer, which needs the one after, … up to
//   the output layer; from there the values are pushed back, recursively filling in every pending
//   term.
//
// Autograd does exactly this: `backward()` on C walks the graph from the output. With `retainGrad()`
// on each z (see `forward`), `z.grad` is the article's δ. As a third opinion, ∂C/∂b^l = δ^l (the bias
// enters z with weight 1), so finite differences on the biases measure δ directly.

// %%
const out = fwd.a[3];
const Cgraph = out.sub(yHat).square().sum().mul(0.5);
Cgraph.backward();
const costOf = (): number => noGrad(() => {
  const f = forward(x);
  return f.a[3].sub(yHat).square().sum().mul(0.5).item();
});
/** Central difference of C with respect to one entry of a parameter tensor. */
function numericGrad(p: Tensor, i: number, step: number = 1e-6): number {
  const keep = p.data[i];
  p.data[i] = keep + step; const up = costOf();
  p.data[i] = keep - step; const down = costOf();
  p.data[i] = keep;
  return (up - down) / (2 * step);
}
// Symbolic, for the output layer: d/dz of ½(σ(z) − ŷ)².
const dOut = derivative(parse("1/2 * (1 / (1 + exp(-z)) - y)^2"), "z");
const rows = [];
for (let l = 0; l < 3; l++) {
  for (let j = 0; j < 2; j++) {
    rows.push({
      δ: `δ${l + 1}_${j + 1}`,
      "by hand (reverse neurons)": δ[l][j],
      "autograd z.grad": fwd.z[l].grad!.data[j],
      "finite diff. ∂C/∂b": numericGrad(B[l], j),
      "symbolic (output layer)": l === 2 ? (dOut.evaluate({ z: zs[2][j], y: yHat.data[j] }) as number) : "",
    });
  }
}
console.table(rows);

// %% [markdown]
// **The gradient of every weight is a · δ:** the input a the weight multiplies (forward pass) times
// the δ of the neuron it feeds (backward pass): ∂C/∂w^l_jk = a^{l−1}_k · δ^l_j, i.e. ∂C/∂W^l = δ^l (a^{l−1})ᵀ.

// %%
const table = [];
let worstAutograd = 0, worstNumeric = 0;
for (let l = 0; l < 3; l++) {
  for (let j = 0; j < 2; j++) {
    for (let k = 0; k < 2; k++) {
      const aδ = as[l][k] * δ[l][j];
      const auto = W[l].grad!.data[j * 2 + k];
      const num = numericGrad(W[l], j * 2 + k);
      worstAutograd = Math.max(worstAutograd, Math.abs(aδ - auto));
      worstNumeric = Math.max(worstNumeric, Math.abs(aδ - num));
      table.push({ weight: `w${l + 1}_${j + 1}${k + 1}`, value: W[l].data[j * 2 + k], "a (input)": as[l][k], "δ": δ[l][j], "a·δ": aδ, autograd: auto, "finite diff.": num });
    }
  }
}
console.table(table);

// %% [markdown]
// *Check:* manual δ = autograd = finite differences = symbolic, and a·δ = autograd = finite
// differences for all 12 weights (the W³ gradient against the reference values).

// %%
for (let l = 0; l < 3; l++) {
  verify(`δ${l + 1}: autograd z.grad = by hand`, fwd.z[l].grad!, δ[l], { atol: 1e-15 });
  verify(`δ${l + 1}: finite differences on b${l + 1} = by hand`, [numericGrad(B[l], 0), numericGrad(B[l], 1)], δ[l], { atol: 1e-9 });
}
verify("δ³: symbolic (mathjs) = by hand", [0, 1].map((j) => dOut.evaluate({ z: zs[2][j], y: yHat.data[j] }) as number), δ[2], { atol: 1e-15 });
verifyTrue("every weight: a·δ = autograd", worstAutograd < 1e-15, `largest difference ${worstAutograd.toExponential(2)}`);
verifyTrue("every weight: a·δ = finite differences", worstNumeric < 1e-9, `largest difference ${worstNumeric.toExponential(2)}`);
verify("∂C/∂W³ = δ³ (a²)ᵀ", W[2].grad!, [[-0.077956, -0.009997], [0.101436, 0.013008]]);
verify("∂C/∂W² = δ² (a¹)ᵀ", W[1].grad!, [[-0.04494, -0.005455], [0.054168, 0.006575]]);
verify("∂C/∂W¹ = δ¹ xᵀ", W[0].grad!, [[-0.003565, 0.003565], [-0.000987, 0.000987]]);

// %% [markdown]
// The library packs this layer-by-layer computation as `nn.forwardPass` (keeps every z and a) and
// `nn.backwardPass` (δ of every layer from ∂C/∂y, and ∂C/∂W = δ aᵀ), computed without autograd:

// %%
const dense = W.map((Wl, l) => ({ weight: Wl, bias: B[l], activation: "sigmoid" as const }));
const libForward = nn.forwardPass(dense, x);
const libBackward = nn.backwardPass(libForward, libForward.output.sub(yHat));
libBackward.delta.forEach((d, l) => console.log(`nn.backwardPass: δ${l + 1} = ${d}`));
for (let l = 0; l < 3; l++) {
  verify(`nn.backwardPass δ${l + 1} = by hand`, libBackward.delta[l], δ[l], { atol: 1e-15 });
  verify(`nn.backwardPass ∂C/∂W${l + 1} = autograd`, libBackward.gradWeight[l], W[l].grad!, { atol: 1e-15 });
}

// %% [markdown]
// The weight gradients per layer as heat maps (one colour scale): the gradients shrink towards the
// input, because every reverse neuron multiplies by σ′(z) ≤ ¼.

// %%
plot.heatmapGrid(W.map((Wl) => Wl.grad!), {
  titles: ["∂C/∂W¹", "∂C/∂W²", "∂C/∂W³"], cols: 3, sharedScale: true, colorscale: "RdBu", title: "∂C/∂W^l = δ^l (a^{l−1})ᵀ",
})

// %% [markdown]
// ## 5. 总结 · Summary
//
// Since the backward pass needs the output layer as its input, do the forward pass first and then
// simply start from the end: compute ∂C/∂z of every neuron, layer by layer, backwards. That gives,
// for every neuron, the forward-pass ∂z/∂w (the sigmoid output a feeding the weight) and the
// backward-pass ∂C/∂z; their product is the gradient of each parameter.
//
// With all gradients in hand, gradient descent can train the network. Below, plain gradient
// descent on this one example, with gradients from the a·δ rule above (no autograd).

// %%
// Try another learning rate or number of steps.
const lr = 2;
const steps = 60;

const Wt = W.map((Wl) => Wl.detach().toArray() as number[][]);
const Bt = B.map((Bl) => Bl.detach().toFlatArray());
const history: number[] = [];
for (let step = 0; step <= steps; step++) {
  // Forward pass: keep z and a.
  const zz: number[][] = [], aa: number[][] = [[1, -1]];
  for (let l = 0; l < 3; l++) {
    zz.push([0, 1].map((j) => Wt[l][j][0] * aa[l][0] + Wt[l][j][1] * aa[l][1] + Bt[l][j]));
    aa.push(zz[l].map(σ));
  }
  history.push(0.5 * ((aa[3][0] - 1) ** 2 + (aa[3][1] - 0) ** 2));
  if (step === steps) break;
  // Backward pass: reverse neurons from the output.
  const dd: number[][] = [[], [], [0, 1].map((j) => σPrime(zz[2][j]) * (aa[3][j] - [1, 0][j]))];
  for (let l = 1; l >= 0; l--) dd[l] = [0, 1].map((j) => σPrime(zz[l][j]) * (Wt[l + 1][0][j] * dd[l + 1][0] + Wt[l + 1][1][j] * dd[l + 1][1]));
  // Gradient of each weight = a · δ; step against it.
  for (let l = 0; l < 3; l++) for (let j = 0; j < 2; j++) {
    for (let k = 0; k < 2; k++) Wt[l][j][k] -= lr * aa[l][k] * dd[l][j];
    Bt[l][j] -= lr * dd[l][j];
  }
}
console.log(`C: ${history[0].toFixed(6)} → ${history[steps].toFixed(6)} after ${steps} steps of lr ${lr}`);
plot.linePlot({ C: history }, { title: "Gradient descent with backpropagated gradients", xLabel: "step", yLabel: "C = ½‖y − ŷ‖²", logY: true })

// %% [markdown]
// *Check:* the first value is the cost computed above, and gradient descent lowers it.

// %%
verify("C before training", history[0], 0.416798);
verifyTrue("gradient descent lowers C", history[steps] < history[0] / 10, `${history[0].toFixed(4)} → ${history[steps].toFixed(4)}`);
