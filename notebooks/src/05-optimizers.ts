// Source of notebooks/05-optimizers.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 05 · 深度学习算法优化 · Optimisation algorithms for deep learning
//
// Following the article *python人工智能深度学习算法优化* (目录: 1.SGD · 2.SGDM · 3.Adam · 4.Adagrad ·
// 5.RMSProp · 6.NAG). Each section gives the update rule in the article's notation, writes it out in
// a few lines of plain TypeScript, runs nnlab's optimiser of the same name (`optim.SGD`, `optim.Adam`,
// …) and draws its path on the contours of the ill-conditioned quadratic
//
// $$f(x_1, x_2) = 0.1\,x_1^2 + 2\,x_2^2$$
//
// from (−5, −2), as in *Dive into Deep Learning*'s optimisation chapter. At the end all six run on one
// plot, then on the Rosenbrock function, with loss-vs-step curves.
//
// **Each nnlab optimiser equals PyTorch's optimiser of the same name**: its step is PyTorch's
// update, operation for operation (`test/optim` checks every step against fixtures recorded from
// PyTorch). Here the final points are compared with PyTorch's, run with the same settings by
// `notebooks/src/05-optimizers.torch.py`, and with the values printed in *Dive into Deep Learning*.
//
// Notation: θ the parameters (here θ = (x₁, x₂)), g_t = ∇f(θ_t) the gradient at step t, η the
// learning rate.

// %%
import { tensor, seed, Tensor, optim, plot, display, verify, verifyTrue } from "nnlab";
seed(0);

/** f as a tensor expression (autograd gives ∇f) and as a plain function (contours). */
const quadratic = (x: Tensor): Tensor => x.get(0).square().mul(0.1).add(x.get(1).square().mul(2));
const quadraticXY = (x1: number, x2: number): number => 0.1 * x1 * x1 + 2 * x2 * x2;
const gradQ = (x1: number, x2: number): [number, number] => [0.2 * x1, 4 * x2];
const start: [number, number] = [-5, -2];

type Run = { name: string; points: Array<[number, number]>; losses: number[] };
/** Runs an nnlab optimiser on f from `from` for `steps` steps, keeping every point and loss. */
function run(name: string, make: (params: Tensor[]) => { step(): unknown; zeroGrad(): void }, f: (x: Tensor) => Tensor, from: [number, number], steps: number): Run {
  const x = tensor(from, { requiresGrad: true });
  const opt = make([x]);
  const points: Array<[number, number]> = [[from[0], from[1]]];
  const losses: number[] = [];
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    const loss = f(x);
    losses.push(loss.item());
    loss.backward();
    opt.step();
    points.push([x.data[0], x.data[1]]);
  }
  losses.push(f(x).item());
  return { name, points, losses };
}
const contour = (runs: Run[], title: string) => plot.contourPlot(quadraticXY, {
  xRange: [-5.5, 1.5], yRange: [-3, 3], trajectories: runs.map((r) => ({ name: r.name, points: r.points })), logLevels: true, title, height: 420,
});
const fmt = (p: number[]): string => `(${p.map((v) => v.toFixed(6)).join(", ")})`;

/** PyTorch's final (x1, x2, f) for the same settings: output of notebooks/src/05-optimizers.torch.py. */
const pytorchFinals: Record<string, Record<string, number[]>> = {
  variants: {
    "SGD lr 0.6": [-0.38781396819094793, -1673.365108505694, 5600301.587768514],
    "SGDM beta 0.25": [-0.12633963020565014, -0.1866322301151676, 0.0712593488515718],
    "Adagrad lr 2": [-0.0022953294559763383, -1.7347385150641765e-218, 5.268537311472633e-07]
  },
  quadratic: {
    "SGD": [-0.9434666458139824, -7.312316880125974e-05, 0.0890129418703443],
    "SGDM": [0.007187866737294242, 0.002553274754712067, 1.820496676941003e-05],
    "Adam": [0.09247202225280243, 0.2788672232480345, 0.15638896389409046],
    "Adagrad": [-2.3825623944617504, -0.15859054773471837, 0.6179622800119269],
    "RMSProp": [-0.010597977741576104, 1.0362088762112707e-14, 1.1231713221094254e-05],
    "NAG": [-0.34187161958306234, -2.724783752172913e-06, 0.011687620442483504]
  },
  rosenbrock: {
    "SGD": [0.9847816259924598, 0.9697333932648384, 0.00023197661143134737],
    "SGDM": [0.9924630855421699, 0.9849526775204194, 5.689688032423076e-05],
    "Adam": [0.9991885118001845, 0.9983753039682359, 6.590786559140225e-07],
    "Adagrad": [1.2051349072614073, 1.4529048092526546, 0.04211109545374767],
    "RMSProp": [0.8102152612873824, 0.668989029668905, 0.0517440592501555],
    "NAG": [0.9951838869181856, 0.9903716400227242, 2.3232305308745676e-05]
  }
};

// %% [markdown]
// ## 1. SGD · 随机梯度下降 · Stochastic gradient descent
//
// $$\theta_{t+1} = \theta_t - \eta\, g_t$$
//
// What distinguishes SGD from other gradient descents is that it uses **one sample** per update to
// compute the loss and its gradient: each step is cheap, but the descent is slow and noisy and may
// oscillate on both sides of the minimum or stop in a local optimum. On a fixed function (our f, no
// sampling) it is plain gradient descent. The oscillation shows on the ill-conditioned f: along x₂
// (curvature 4) the step must stay below 2/4 = 0.5, along x₁ (curvature 0.2) that same step crawls.
// With η = 0.6 the x₂ coordinate diverges.

// %%
// Settings of this section.
const lrSGD = 0.4;
const lrSGDTooLarge = 0.6;
const steps = 20;

// By hand: twenty lines of arithmetic.
let handSGD = [...start];
for (let t = 0; t < steps; t++) {
  const g = gradQ(handSGD[0], handSGD[1]);
  handSGD = [handSGD[0] - lrSGD * g[0], handSGD[1] - lrSGD * g[1]];
}
const sgd = run(`SGD η=${lrSGD}`, (p) => new optim.SGD(p, { lr: lrSGD }), quadratic, start, steps);
const sgdBig = run(`SGD η=${lrSGDTooLarge}`, (p) => new optim.SGD(p, { lr: lrSGDTooLarge }), quadratic, start, steps);
console.log(`by hand ${fmt(handSGD)}; optim.SGD ${fmt(sgd.points[steps])}; with η = ${lrSGDTooLarge}: ${fmt(sgdBig.points[steps])}`);
display(contour([sgd], `SGD, η = ${lrSGD}: x₂ converges at once, x₁ crawls`));
plot.linePlot([{ name: `x₂, η = ${lrSGD}`, y: sgd.points.map((p) => Math.abs(p[1])) }, { name: `x₂, η = ${lrSGDTooLarge}`, y: sgdBig.points.map((p) => Math.abs(p[1])) }], {
  title: "|x₂| per step: the larger learning rate makes it diverge", xLabel: "step", yLabel: "|x₂|", logY: true,
})

// %% [markdown]
// ## 2. SGDM · SGD with Momentum · 动量梯度下降
//
// Before updating, SGDM takes an exponentially weighted average of the past gradients and uses it
// in place of the raw gradient: the components that keep their sign add up, those that flip cancel.
//
// $$v_t = \beta\, v_{t-1} + (1-\beta)\, g_t, \qquad \theta_{t+1} = \theta_t - \eta\, v_t$$
//
// PyTorch's `SGD(momentum=β)` (and so `optim.SGD`) keeps the *sum* v_t = β v_{t−1} + g_t (no 1 − β
// factor, `dampening = 0`) starting from v₁ = g₁, the form d2l uses too: the same path as the
// average with η / (1 − β). β = 0.5 with η = 0.6, too large for plain SGD, now converges; β = 0.25
// helps less.

// %%
// Settings of this section.
const lrM = 0.6;
const betaM = 0.5;
const betaMSmall = 0.25;

let handM = [...start];
let v = [0, 0];
for (let t = 0; t < steps; t++) {
  const g = gradQ(handM[0], handM[1]);
  v = t === 0 ? g : [betaM * v[0] + g[0], betaM * v[1] + g[1]];
  handM = [handM[0] - lrM * v[0], handM[1] - lrM * v[1]];
}
const sgdm = run(`SGDM η=${lrM} β=${betaM}`, (p) => new optim.SGD(p, { lr: lrM, momentum: betaM }), quadratic, start, steps);
const sgdmSmall = run(`SGDM η=${lrM} β=${betaMSmall}`, (p) => new optim.SGD(p, { lr: lrM, momentum: betaMSmall }), quadratic, start, steps);
console.log(`by hand ${fmt(handM)}; optim.SGD(momentum ${betaM}) ${fmt(sgdm.points[steps])}; β = ${betaMSmall}: ${fmt(sgdmSmall.points[steps])}`);
contour([sgdm, sgdmSmall], "SGD with momentum")

// %% [markdown]
// ## 3. Adam
//
// Adam combines momentum (a moving average m of the gradients) with RMSProp's per-coordinate scale
// (a moving average v of their squares), both corrected for starting at zero:
//
// $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\quad
// \hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t},\quad
// \theta_{t+1} = \theta_t - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}$$
//
// Defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8. Each coordinate moves about η per step at first, whatever
// the size of its gradient, so x₁ is no longer slow; the momentum then overshoots and swings back.

// %%
// Settings of this section.
const lrAdam = 0.3;
const [beta1, beta2, epsAdam] = [0.9, 0.999, 1e-8];

let handA = [...start];
let m = [0, 0], s = [0, 0];
for (let t = 1; t <= steps; t++) {
  const g = gradQ(handA[0], handA[1]);
  m = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
  s = s.map((si, i) => beta2 * si + (1 - beta2) * g[i] * g[i]);
  handA = handA.map((xi, i) => xi - lrAdam * (m[i] / (1 - beta1 ** t)) / (Math.sqrt(s[i] / (1 - beta2 ** t)) + epsAdam));
}
const adam = run(`Adam η=${lrAdam}`, (p) => new optim.Adam(p, { lr: lrAdam, betas: [beta1, beta2], eps: epsAdam }), quadratic, start, steps);
console.log(`by hand ${fmt(handA)}; optim.Adam ${fmt(adam.points[steps])}`);
contour([adam], `Adam, η = ${lrAdam}`)

// %% [markdown]
// ## 4. Adagrad
//
// Adagrad divides the learning rate of each coordinate by the root of the sum of all its past
// squared gradients:
//
// $$G_t = G_{t-1} + g_t^2, \qquad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{G_t} + \epsilon}\, g_t$$
//
// Steep coordinates get small steps and flat ones large steps, but G only grows, so the step keeps
// shrinking: with η = 0.4 x₁ stalls far from the minimum; η = 2 gets there. (PyTorch adds ε = 1e−10
// outside the root; d2l writes √(G + 1e−6): the finals differ by less than 1e−6.)

// %%
// Settings of this section.
const lrAdagrad = 0.4;
const lrAdagradLarge = 2;

let handG = [...start];
let G = [0, 0];
for (let t = 0; t < steps; t++) {
  const g = gradQ(handG[0], handG[1]);
  G = G.map((Gi, i) => Gi + g[i] * g[i]);
  handG = handG.map((xi, i) => xi - (lrAdagrad / (Math.sqrt(G[i]) + 1e-10)) * g[i]);
}
const adagrad = run(`Adagrad η=${lrAdagrad}`, (p) => new optim.Adagrad(p, { lr: lrAdagrad }), quadratic, start, steps);
const adagradLarge = run(`Adagrad η=${lrAdagradLarge}`, (p) => new optim.Adagrad(p, { lr: lrAdagradLarge }), quadratic, start, steps);
console.log(`by hand ${fmt(handG)}; optim.Adagrad ${fmt(adagrad.points[steps])}; η = ${lrAdagradLarge}: ${fmt(adagradLarge.points[steps])}`);
contour([adagrad, adagradLarge], "Adagrad: the step shrinks as G grows")

// %% [markdown]
// ## 5. RMSProp
//
// RMSProp replaces Adagrad's ever-growing sum by an exponentially weighted average, so old
// gradients are forgotten and the step does not die out:
//
// $$v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2, \qquad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{v_t} + \epsilon}\, g_t$$
//
// (PyTorch calls the decay `alpha`, default 0.99; d2l's γ = 0.9 is used here.)

// %%
// Settings of this section.
const lrRMS = 0.4;
const alphaRMS = 0.9;

let handR = [...start];
let V = [0, 0];
for (let t = 0; t < steps; t++) {
  const g = gradQ(handR[0], handR[1]);
  V = V.map((Vi, i) => alphaRMS * Vi + (1 - alphaRMS) * g[i] * g[i]);
  handR = handR.map((xi, i) => xi - (lrRMS / (Math.sqrt(V[i]) + 1e-8)) * g[i]);
}
const rmsprop = run(`RMSProp η=${lrRMS} α=${alphaRMS}`, (p) => new optim.RMSprop(p, { lr: lrRMS, alpha: alphaRMS }), quadratic, start, steps);
console.log(`by hand ${fmt(handR)}; optim.RMSprop ${fmt(rmsprop.points[steps])}`);
contour([rmsprop, adagrad], "RMSProp keeps moving where Adagrad stalls")

// %% [markdown]
// ## 6. NAG · Nesterov accelerated gradient
//
// NAG evaluates the gradient where momentum is about to carry the parameters, at the look-ahead
// point θ_t − ηβ v_{t−1}, and corrects the course before arriving there:
//
// $$v_t = \beta\, v_{t-1} + \nabla f(\theta_t - \eta\beta\, v_{t-1}), \qquad \theta_{t+1} = \theta_t - \eta\, v_t$$
//
// PyTorch's `SGD(momentum=β, nesterov=True)` computes the same path from the gradient at θ_t only:
// b_t = β b_{t−1} + g_t, θ_{t+1} = θ_t − η (g_t + β b_t).

// %%
// Settings of this section.
const lrNAG = 0.3;
const betaNAG = 0.5;

let handN = [...start];
let b = [0, 0];
for (let t = 0; t < steps; t++) {
  const g = gradQ(handN[0], handN[1]);
  b = t === 0 ? g : [betaNAG * b[0] + g[0], betaNAG * b[1] + g[1]];
  handN = [handN[0] - lrNAG * (g[0] + betaNAG * b[0]), handN[1] - lrNAG * (g[1] + betaNAG * b[1])];
}
const nag = run(`NAG η=${lrNAG} β=${betaNAG}`, (p) => new optim.SGD(p, { lr: lrNAG, momentum: betaNAG, nesterov: true }), quadratic, start, steps);
console.log(`by hand ${fmt(handN)}; optim.SGD(nesterov) ${fmt(nag.points[steps])}`);
contour([nag, run(`SGDM η=${lrNAG} β=${betaNAG}`, (p) => new optim.SGD(p, { lr: lrNAG, momentum: betaNAG }), quadratic, start, steps)], "NAG looks ahead: less overshoot than plain momentum")

// %% [markdown]
// *Check:* for each optimiser the rule written by hand, nnlab's optimiser and PyTorch's optimiser
// reach the same point after 20 steps (to 1e−9), and the points match those printed in *Dive into
// Deep Learning* (`epoch 20, x1: …, x2: …`, six decimals) where the settings are the same.

// %%
const six: Record<string, [Run, number[]]> = { SGD: [sgd, handSGD], SGDM: [sgdm, handM], Adam: [adam, handA], Adagrad: [adagrad, handG], RMSProp: [rmsprop, handR], NAG: [nag, handN] };
for (const [name, [r, hand]] of Object.entries(six)) {
  verify(`${name}: optim = by hand`, r.points[steps], hand, { atol: 1e-12 });
  verify(`${name}: optim = PyTorch (x1, x2, f)`, [...r.points[steps], r.losses[steps]], pytorchFinals.quadratic[name], { atol: 1e-9 });
}
verify("SGD η=0.6: optim = PyTorch", sgdBig.points[steps], pytorchFinals.variants["SGD lr 0.6"].slice(0, 2), { rtol: 1e-12 });
verify("SGDM β=0.25: optim = PyTorch", sgdmSmall.points[steps], pytorchFinals.variants["SGDM beta 0.25"].slice(0, 2), { atol: 1e-9 });
verify("Adagrad η=2: optim = PyTorch", adagradLarge.points[steps], pytorchFinals.variants["Adagrad lr 2"].slice(0, 2), { atol: 1e-9 });
// d2l's printed finals (chapter_optimization: gd/momentum/adagrad/rmsprop.md).
verify("d2l GD η=0.4", sgd.points[steps], [-0.943467, -0.000073]);
verify("d2l GD η=0.6 (diverges)", sgdBig.points[steps], [-0.387814, -1673.365109]);
verify("d2l momentum η=0.6 β=0.5", sgdm.points[steps], [0.007188, 0.002553]);
verify("d2l momentum η=0.6 β=0.25", sgdmSmall.points[steps], [-0.12634, -0.186632]);
verify("d2l Adagrad η=0.4 (ε inside the root there)", adagrad.points[steps], [-2.382563, -0.158591], { atol: 1e-6 });
verify("d2l Adagrad η=2", adagradLarge.points[steps], [-0.002295, 0]);
verify("d2l RMSProp η=0.4 γ=0.9 (ε inside the root there)", rmsprop.points[steps], [-0.010599, 0], { atol: 2e-6 });

// %% [markdown]
// ## All six on one plot · 六种算法对比
//
// The same runs together. The slider replays them step by step (drag it, or read the end points
// marked ★). Then the loss f(θ_t) per step on a log scale.

// %%
const all = [sgd, sgdm, adam, adagrad, rmsprop, nag];
const together = contour(all, "f = 0.1·x₁² + 2·x₂² from (−5, −2): six optimisers, 20 steps");
// A slider that shows the first k steps of every path (plotly "restyle" on the six path traces).
const pathTraces = all.map((_, i) => i + 1);
together.update({
  height: 600, margin: { b: 170 },
  sliders: [{
    active: steps, currentvalue: { prefix: "step " }, y: -0.3, pad: { t: 10 },
    steps: Array.from({ length: steps + 1 }, (_, k) => ({
      label: String(k), method: "restyle",
      args: [{ x: all.map((r) => r.points.slice(0, k + 1).map((p) => p[0])), y: all.map((r) => r.points.slice(0, k + 1).map((p) => p[1])) }, pathTraces],
    })),
  }],
});
display(together);
plot.linePlot(all.map((r) => ({ name: r.name, y: r.losses })), { title: "f(θ_t) per step", xLabel: "step", yLabel: "f", logY: true })

// %% [markdown]
// ## Rosenbrock · 香蕉函数
//
// f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1) at the bottom of a long curved valley,
// from (−1.5, 2), 1000 steps. The learning rates differ per optimiser (what suits Adam's normalised
// steps would make SGD diverge here); change them in the next cell.

// %%
// Settings of the Rosenbrock run.
const rosenSteps = 1000;
const rosenStart: [number, number] = [-1.5, 2];
const rosenSettings: Record<string, (p: Tensor[]) => { step(): unknown; zeroGrad(): void }> = {
  SGD: (p) => new optim.SGD(p, { lr: 0.002 }),
  SGDM: (p) => new optim.SGD(p, { lr: 0.001, momentum: 0.9 }),
  Adam: (p) => new optim.Adam(p, { lr: 0.1 }),
  Adagrad: (p) => new optim.Adagrad(p, { lr: 2 }),
  RMSProp: (p) => new optim.RMSprop(p, { lr: 0.01, alpha: 0.9 }),
  NAG: (p) => new optim.SGD(p, { lr: 0.001, momentum: 0.9, nesterov: true }),
};
const rosenbrock = (x: Tensor): Tensor => x.get(0).neg().add(1).square().add(x.get(1).sub(x.get(0).square()).square().mul(100));
const rosenRuns = Object.entries(rosenSettings).map(([name, make]) => run(name, make, rosenbrock, rosenStart, rosenSteps));
for (const r of rosenRuns) console.log(`${r.name.padEnd(8)} → ${fmt(r.points[rosenSteps])}, f = ${r.losses[rosenSteps].toExponential(3)}`);
display(plot.contourPlot((x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, {
  xRange: [-2, 2], yRange: [-1, 3], logLevels: true, levels: 30, height: 520, title: `Rosenbrock from (−1.5, 2), ${rosenSteps} steps`,
  trajectories: rosenRuns.map((r) => ({ name: r.name, points: r.points.filter((_, i) => i % 5 === 0 || i === rosenSteps) })),
}));
plot.linePlot(rosenRuns.map((r) => ({ name: r.name, y: r.losses })), { title: "Rosenbrock: f per step", xLabel: "step", yLabel: "f", logY: true })

// %%
for (const r of rosenRuns) verify(`Rosenbrock ${r.name}: optim = PyTorch (x, y, f)`, [...r.points[rosenSteps], r.losses[rosenSteps]], pytorchFinals.rosenbrock[r.name], { atol: 1e-8 });
verifyTrue("Rosenbrock: Adam ends nearest (1, 1)", rosenRuns.every((r) => r.losses[rosenSteps] >= rosenRuns[2].losses[rosenSteps]), `f = ${rosenRuns[2].losses[rosenSteps].toExponential(2)}`);
