// Source of notebooks/05-optimizers.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 05 · 深度学习算法优化 · Optimisation algorithms for deep learning
//
// Following the article *python人工智能深度学习算法优化* (目录: 1.SGD · 2.SGDM · 3.Adam · 4.Adagrad ·
// 5.RMSProp · 6.NAG). The article describes each method in words only; its excerpt has no formula.
// The update rules below are the textbook ones as Hung-yi Lee's course slides on optimisers present
// them, each with its original paper where it has one, and next to it the form PyTorch's
// documentation gives for `torch.optim` (ε outside the square root, as PyTorch and nnlab compute it;
// where the two forms differ, both are shown and the text says which one runs). Each section writes
// the rule out in a few lines of plain TypeScript, runs nnlab's optimiser of the same name
// (`optim.SGD`, `optim.Adam`, …) and draws its path on the contours of the ill-conditioned quadratic
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
import { tensor, seed, randn, type Tensor, optim, plot, display, verify, verifyTrue } from "nnlab";
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
// A 40-step grid draws a quadratic's ellipses as smoothly as a finer one, and seven of these
// figures keep the executed notebook under 1 MB.
const contour = (runs: Run[], title: string) => plot.contourPlot(quadraticXY, {
  xRange: [-5.5, 1.5], yRange: [-3, 3], trajectories: runs.map((r) => ({ name: r.name, points: r.points })), logLevels: true, title, height: 420, steps: 40,
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
// sampling) it is plain gradient descent: the one-sample noise is shown after this cell, on data.
// The oscillation shows on the ill-conditioned f: along x₂ (curvature 4) the step must stay below
// 2/4 = 0.5, along x₁ (curvature 0.2) that same step crawls. With η = 0.6 the x₂ coordinate diverges.

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
// **One sample per step.** The article's SGD takes one data sample per update. On a least-squares
// line fit y ≈ w·x + b to 50 noisy points (y = 2x + 1 + noise, the data made here), the gradient
// of one sample's loss ½(w·xᵢ + b − yᵢ)² is, on average over the samples, exactly the gradient of
// the mean loss, but each single one points elsewhere: the path zig-zags and the loss on all the
// data goes up on some steps, while full-batch gradient descent with the same η = 0.05 descends
// smoothly. Both take 200 updates; one SGD update costs 1/50 of a full-batch one.

// %%
// Settings of the one-sample experiment.
const nSamples = 50, lrNoise = 0.05, noiseSteps = 200;
const xs = Array.from(randn([nSamples]).data);
const noise = Array.from(randn([nSamples]).data);
const ys = xs.map((xi, i) => 2 * xi + 1 + 0.5 * noise[i]);
const lineLoss = (w: number, c: number): number => xs.reduce((acc, xi, i) => acc + 0.5 * (w * xi + c - ys[i]) ** 2, 0) / nSamples;
const sampleGrad = (w: number, c: number, i: number): [number, number] => { const r = w * xs[i] + c - ys[i]; return [r * xs[i], r]; };
const fullGrad = (w: number, c: number): [number, number] => {
  const g = xs.map((_, i) => sampleGrad(w, c, i));
  return [g.reduce((acc, gi) => acc + gi[0], 0) / nSamples, g.reduce((acc, gi) => acc + gi[1], 0) / nSamples];
};
const noiseStart: [number, number] = [-1, -1];
const gdPath: Array<[number, number]> = [noiseStart], sgdPath: Array<[number, number]> = [noiseStart];
// One sample per step, in a fresh random order each pass over the data (an epoch), as a shuffling DataLoader does.
let order: number[] = [];
for (let t = 0; t < noiseSteps; t++) {
  const [wg, cg] = gdPath[t], gFull = fullGrad(wg, cg);
  gdPath.push([wg - lrNoise * gFull[0], cg - lrNoise * gFull[1]]);
  if (order.length === 0) order = Array.from(randn([nSamples]).data).map((r, i) => [r, i]).sort((p, q) => p[0] - q[0]).map((p) => p[1]);
  const i = order.pop()!;
  const [ws, cs] = sgdPath[t], gOne = sampleGrad(ws, cs, i);
  sgdPath.push([ws - lrNoise * gOne[0], cs - lrNoise * gOne[1]]);
}
const gdLoss = gdPath.map(([wv, cv]) => lineLoss(wv, cv)), sgdLoss = sgdPath.map(([wv, cv]) => lineLoss(wv, cv));
const rises = (l: number[]): number => l.slice(1).filter((v, t) => v > l[t]).length;
console.log(`full batch: loss ${gdLoss[0].toFixed(3)} → ${gdLoss[noiseSteps].toFixed(4)}, rose on ${rises(gdLoss)} of ${noiseSteps} steps`);
console.log(`one sample: loss ${sgdLoss[0].toFixed(3)} → ${sgdLoss[noiseSteps].toFixed(4)}, rose on ${rises(sgdLoss)} of ${noiseSteps} steps`);
display(plot.contourPlot(lineLoss, {
  xRange: [-1.5, 3], yRange: [-1.5, 2], logLevels: true, height: 420, xLabel: "w", yLabel: "b", steps: 40,
  trajectories: [{ name: "full batch (GD)", points: gdPath }, { name: "one sample per step (SGD)", points: sgdPath }],
  title: `Line fit, η = ${lrNoise}, ${noiseSteps} steps: SGD's one-sample steps zig-zag around GD's smooth path`,
}));
plot.linePlot([{ name: "full batch (GD)", y: gdLoss }, { name: "one sample per step (SGD)", y: sgdLoss }], {
  title: "Loss on all 50 points per step: SGD's goes up and down", xLabel: "step", yLabel: "mean ½(w·x + b − y)²", logY: true,
})

// %% [markdown]
// *Check:* the mean of the 50 one-sample gradients is the full gradient (SGD's step is right on
// average), full-batch descent never raises the loss at this η, one-sample SGD does.

// %%
const meanOfSamples = [0, 1].map((k) => xs.reduce((acc, _, i) => acc + sampleGrad(...noiseStart, i)[k], 0) / nSamples);
verify("SGD: mean of one-sample gradients = full gradient", meanOfSamples, fullGrad(...noiseStart), { atol: 1e-12 });
verifyTrue("full-batch GD: the loss never rises", rises(gdLoss) === 0, `rose on ${rises(gdLoss)} steps`);
verifyTrue("one-sample SGD: the loss rises on some steps", rises(sgdLoss) > 0, `rose on ${rises(sgdLoss)} of ${noiseSteps} steps`);

// %% [markdown]
// ## 2. SGDM · SGD with Momentum · 动量梯度下降
//
// Before updating, SGDM takes an exponentially weighted average of the past gradients and uses it
// in place of the raw gradient (the article's words): the components that keep their sign add up,
// those that flip cancel. Written as that average (the form of Andrew Ng's deep-learning course):
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
// (a moving average v of their squares), both corrected for starting at zero (Kingma & Ba 2015,
// Algorithm 1; PyTorch's `Adam` docs write the same, ε outside the root):
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
// Adagrad (Duchi et al. 2011) divides the learning rate of each coordinate by the root of the sum
// of all its past squared gradients. Lee's slides write it without ε; PyTorch's docs add ε outside
// the root, which is what runs here:
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
// RMSProp (Hinton's Coursera lecture 6e, unpublished otherwise) replaces Adagrad's ever-growing sum
// by an exponentially weighted average, so old gradients are forgotten and the step does not die
// out. ε outside the root, as PyTorch's docs write it and as it runs here:
//
// $$v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2, \qquad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{v_t} + \epsilon}\, g_t$$
//
// (PyTorch calls the decay `alpha`, default 0.99; d2l's γ = 0.9 is used here. d2l writes
// √(v + 1e−6), ε inside; the final points differ by about 1e−6, see the check below.)

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
// point θ_t − ηβ v_{t−1}, and corrects the course before arriving there. The look-ahead form
// (Sutskever et al. 2013, as Lee's slides write it):
//
// $$v_t = \beta\, v_{t-1} + \nabla f(\theta_t - \eta\beta\, v_{t-1}), \qquad \theta_{t+1} = \theta_t - \eta\, v_t \qquad (v_0 = 0)$$
//
// **What runs is PyTorch's form** (`SGD(momentum=β, nesterov=True)`, its docs' pseudocode, and so
// `optim.SGD`): it needs the gradient at the stored point only,
//
// $$b_t = \beta\, b_{t-1} + g_t \;(b_1 = g_1), \qquad \phi_{t+1} = \phi_t - \eta\,(g_t + \beta\, b_t), \qquad g_t = \nabla f(\phi_t)$$
//
// The two are the same algorithm in different variables, but **not the same path**: PyTorch stores
// the look-ahead point, φ_t = θ_t − ηβ v_{t−1}. With η = 0.3 and β = 0.5 the first step from
// (−5, −2) lands at (−4.7, 0.4) under the look-ahead formula and at (−4.55, 1.6) under PyTorch's.
// Both are computed by hand below; the comparison with plain momentum and the checks use PyTorch's.

// %%
// Settings of this section.
const lrNAG = 0.3;
const betaNAG = 0.5;

// PyTorch's form, by hand.
let handN = [...start];
let b = [0, 0];
for (let t = 0; t < steps; t++) {
  const g = gradQ(handN[0], handN[1]);
  b = t === 0 ? g : [betaNAG * b[0] + g[0], betaNAG * b[1] + g[1]];
  handN = [handN[0] - lrNAG * (g[0] + betaNAG * b[0]), handN[1] - lrNAG * (g[1] + betaNAG * b[1])];
}
// The look-ahead form, by hand, keeping θ_t and the look-ahead point θ_t − ηβ·v_{t−1} of every step.
const lookAheadPath: Array<[number, number]> = [[start[0], start[1]]];
const lookAheadPoints: Array<[number, number]> = [];
let θ = [...start], vN = [0, 0];
for (let t = 0; t < steps; t++) {
  const ahead: [number, number] = [θ[0] - lrNAG * betaNAG * vN[0], θ[1] - lrNAG * betaNAG * vN[1]];
  lookAheadPoints.push(ahead);
  const g = gradQ(...ahead);
  vN = [betaNAG * vN[0] + g[0], betaNAG * vN[1] + g[1]];
  θ = [θ[0] - lrNAG * vN[0], θ[1] - lrNAG * vN[1]];
  lookAheadPath.push([θ[0], θ[1]]);
}
const nag = run(`NAG η=${lrNAG} β=${betaNAG}`, (p) => new optim.SGD(p, { lr: lrNAG, momentum: betaNAG, nesterov: true }), quadratic, start, steps);
const sgdmNAG = run(`SGDM η=${lrNAG} β=${betaNAG}`, (p) => new optim.SGD(p, { lr: lrNAG, momentum: betaNAG }), quadratic, start, steps);
console.log(`first step: look-ahead formula ${fmt(lookAheadPath[1])}, PyTorch's form ${fmt(nag.points[1])}`);
console.log(`after ${steps} steps: look-ahead formula θ ${fmt(lookAheadPath[steps])}; PyTorch's form by hand ${fmt(handN)}; optim.SGD(nesterov) ${fmt(nag.points[steps])}`);
const maxX2 = (r: { points: Array<[number, number]> }): number => Math.max(...r.points.map((p) => p[1]));
console.log(`largest x₂ (overshoot past 0): NAG ${maxX2(nag).toFixed(4)}, SGDM ${maxX2(sgdmNAG).toFixed(4)}; final f: NAG ${nag.losses[steps].toFixed(4)}, SGDM ${sgdmNAG.losses[steps].toFixed(4)}`);
contour([nag, sgdmNAG, { name: "NAG, look-ahead formula (θ_t)", points: lookAheadPath, losses: [] }],
  `η = ${lrNAG}, β = ${betaNAG}: NAG overshoots further in x₂ (to ${maxX2(nag).toFixed(2)}, SGDM ${maxX2(sgdmNAG).toFixed(2)}) and ends higher (f ${nag.losses[steps].toFixed(4)} vs ${sgdmNAG.losses[steps].toFixed(4)})`)

// %% [markdown]
// **What the plot shows.** For these settings NAG does *not* overshoot less than plain momentum:
// PyTorch's first NAG step is 1.5 × the gradient step (g + β·b with b = g), so x₂ jumps from −2 to
// +1.6 where SGDM's largest x₂ is +1.12, and after 20 steps NAG's f is 0.0117 against SGDM's 0.0084.
// The look-ahead correction damps the oscillation only once momentum has built up; with β = 0.5 on
// this quadratic the larger first step costs more than it saves. The third path is the look-ahead
// formula's θ_t: it starts with a smaller step, and its look-ahead points are exactly PyTorch's path.

// %%
verify("NAG first step: look-ahead formula", lookAheadPath[1], [-4.7, 0.4], { atol: 1e-12 });
verify("NAG first step: PyTorch's form", nag.points[1], [-4.55, 1.6], { atol: 1e-12 });
verify("NAG: PyTorch's points = the formula's look-ahead points", nag.points.slice(0, steps).flat(), lookAheadPoints.flat(), { atol: 1e-12 });
verify("NAG vs SGDM (η 0.3, β 0.5): largest x₂", [maxX2(nag), maxX2(sgdmNAG)], [1.6, 1.12], { atol: 1e-12 });
verify("NAG vs SGDM (η 0.3, β 0.5): final f", [nag.losses[steps], sgdmNAG.losses[steps]], [0.0117, 0.0084], { atol: 5e-5 });

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
// ## 动手试试 · Try it: the learning rate and the momentum
//
// Move the sliders: SGD with η, SGD with momentum β (SGDM) and NAG with the same η and β run their
// 20 steps from (−5, −2) again and the plot redraws (each change takes a few milliseconds). It
// starts at η = 0.3, β = 0.5, the settings of section 6. Things to try:
//
// - **Raise η.** Along x₂ (curvature 4) each method has its largest stable learning rate, and they
//   leave in this order: NAG above (1 + β) / (2 (1 + 2β)) = 0.375 for β = 0.5 (its look-ahead
//   gradient enlarges the step, section 6), plain SGD above 2/4 = 0.5 (at exactly 0.5 x₂ flips
//   between −2 and +2 for ever, section 1), SGDM last, above (1 + β) / 2 = 0.75.
// - **η = 0.6, β = 0.5:** section 2's run. Plain SGD diverges, momentum converges.
// - **β = 0:** momentum is off: SGDM's path is SGD's (NAG needs β > 0 and is left out).
// - **β towards 0.9:** the momentum paths swing in wide arcs around the minimum before settling.
//
// In a page written by `nnlab run` (or any view without a running kernel) the sliders are a
// picture at their start values; in JupyterLab, VS Code or Notebook 7 they move.

// %%
import { widgets } from "nnlab";
const tryOptimisers = widgets.interact(({ lr, momentum }) => {
  const η = lr.toFixed(2), β = momentum.toFixed(2);
  const runs = [
    run(`SGD η=${η}`, (p) => new optim.SGD(p, { lr: lr }), quadratic, start, steps),
    run(`SGDM η=${η} β=${β}`, (p) => new optim.SGD(p, { lr: lr, momentum: momentum }), quadratic, start, steps),
    ...(momentum > 0 ? [run(`NAG η=${η} β=${β}`, (p) => new optim.SGD(p, { lr: lr, momentum: momentum, nesterov: true }), quadratic, start, steps)] : []),
  ];
  const ends = runs.map((r) => `${r.name.split(" ")[0]} f = ${r.losses[steps].toPrecision(2)}`).join(", ");
  return contour(runs, `η = ${η}, β = ${β}: after ${steps} steps ${ends}`);
}, { lr: [0.05, 0.8, 0.05, 0.3], momentum: [0, 0.95, 0.05, 0.5] });

// %% [markdown]
// *Check:* the start values, and the three thresholds of the text for β = 0.5: 200 steps just below
// each one end near the minimum, just above it |x₂| has grown past its start.

// %%
const x2After = (make: (p: Tensor[]) => { step(): unknown; zeroGrad(): void }): number => Math.abs(run("", make, quadratic, start, 200).points[200][1]);
const thresholds: Array<[string, number, (lr: number) => (p: Tensor[]) => { step(): unknown; zeroGrad(): void }]> = [
  ["NAG", 0.375, (lr) => (p) => new optim.SGD(p, { lr: lr, momentum: 0.5, nesterov: true })],
  ["SGD", 0.5, (lr) => (p) => new optim.SGD(p, { lr: lr })],
  ["SGDM", 0.75, (lr) => (p) => new optim.SGD(p, { lr: lr, momentum: 0.5 })],
];
verify("the sliders start at section 6's settings (η, β)", [tryOptimisers.values.lr, tryOptimisers.values.momentum], [0.3, 0.5], { atol: 0 });
for (const [name, limit, make] of thresholds) {
  const below = x2After(make(limit - 0.01)), above = x2After(make(limit + 0.01));
  verifyTrue(`${name}${name === "SGD" ? "" : ", β = 0.5"}: stable below η = ${limit}, diverges above`, below < 1e-3 && above > 2, `|x₂| after 200 steps: ${below.toExponential(1)} at η = ${(limit - 0.01).toFixed(3)}, ${above.toExponential(1)} at η = ${(limit + 0.01).toFixed(3)}`);
}

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
// Every 5th step is drawn (and the last), as on the contour: the curves look the same and the
// notebook stays small.
const drawnSteps = Array.from({ length: rosenSteps + 1 }, (_, i) => i).filter((i) => i % 5 === 0 || i === rosenSteps);
plot.linePlot(rosenRuns.map((r) => ({ name: r.name, x: drawnSteps, y: drawnSteps.map((i) => r.losses[i]) })), { title: "Rosenbrock: f per step (every 5th drawn)", xLabel: "step", yLabel: "f", logY: true })

// %%
for (const r of rosenRuns) verify(`Rosenbrock ${r.name}: optim = PyTorch (x, y, f)`, [...r.points[rosenSteps], r.losses[rosenSteps]], pytorchFinals.rosenbrock[r.name], { atol: 1e-8 });
verifyTrue("Rosenbrock: Adam ends nearest (1, 1)", rosenRuns.every((r) => r.losses[rosenSteps] >= rosenRuns[2].losses[rosenSteps]), `f = ${rosenRuns[2].losses[rosenSteps].toExponential(2)}`);
