// Source of notebooks/08-tensors.ipynb (percent format; build with `node scripts/notebooks.mjs`).

// %% [markdown]
// # 08 · Pytorch初步使用 · First steps with tensors
//
// Following the article *Python深度学习之Pytorch初步使用* (一、Tensor · 二、Pytorch如何创建张量 ·
// 2.1 创建张量 · 2.2 tensor与ndarray的关系), with nnlab's tensors in place of PyTorch's. nnlab follows
// PyTorch's names and prints tensors the way PyTorch does, so every example below is printed and
// compared with **what PyTorch 1.13 prints for the same tensor** (the strings in the next cell come
// from `notebooks/src/08-tensors.torch.py`, run with Debian's python3-torch).
//
// One difference to know: nnlab's default dtype is float64 and PyTorch's is float32; each prints its
// own default without a dtype suffix, so the printed forms agree.

// %%
import { tensor, zeros, ones, full, eye, arange, linspace, rand, randn, randint, zerosLike, fromArray, seed, type Tensor, cat, stack, plot, verify, verifyTrue } from "nnlab";
seed(0);

/** What PyTorch prints (repr) for the same examples: output of notebooks/src/08-tensors.torch.py. */
const pytorchPrints: Record<string, string> = {
  t0: "tensor(3.1400)",
  t1: "tensor([1., 2., 3.])",
  t2: "tensor([[1., 2.],\n        [3., 4.]])",
  t3: "tensor([[[ 0.,  1.,  2.,  3.],\n         [ 4.,  5.,  6.,  7.],\n         [ 8.,  9., 10., 11.]],\n\n        [[12., 13., 14., 15.],\n         [16., 17., 18., 19.],\n         [20., 21., 22., 23.]]])",
  zeros: "tensor([[0., 0., 0.],\n        [0., 0., 0.]])",
  full: "tensor([[7., 7., 7.],\n        [7., 7., 7.]])",
  eye: "tensor([[1., 0., 0.],\n        [0., 1., 0.],\n        [0., 0., 1.]])",
  arange: "tensor([0., 2., 4., 6., 8.])",
  linspace: "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])",
  reshape: "tensor([[0., 1., 2.],\n        [3., 4., 5.]])",
  view: "tensor([[0., 1.],\n        [2., 3.],\n        [4., 5.]])",
  T: "tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])",
  unsqueeze: "tensor([[0., 1., 2., 3., 4., 5.]])",
  sliced: "tensor([[13., 14.],\n        [17., 18.],\n        [21., 22.]])",
  bcast: "tensor([[ 1.,  2.,  3.,  4.],\n        [11., 12., 13., 14.],\n        [21., 22., 23., 24.]])",
  scaled: "tensor([[10.5000, 20.5000],\n        [30.5000, 40.5000]])",
  mixed: "tensor([1.0000e-05, 1.0000e+00, 1.0000e+03])",
  neg: "tensor([-1.5000,  0.0000,  2.2500])",
  sum0: "tensor([5., 7., 9.])",
  sum1: "tensor([ 6., 15.])",
  mean: "tensor(3.5000)",
  max1: "tensor([3., 6.])",
  matmul: "tensor([[14., 32.],\n        [32., 77.]])",
  bcast_error: "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1"
};

let compared = 0;
/** Prints the tensor as nnlab does and checks it is character for character PyTorch's repr. */
function show(key: string, t: Tensor): void {
  console.log(String(t));
  const expected = pytorchPrints[key];
  if (String(t) !== expected) throw new Error(`${key}: nnlab prints\n${t}\nbut PyTorch prints\n${expected}`);
  compared++;
}

// %% [markdown]
// ## 一、Tensor · 0-D, 1-D and 2-D tensors
//
// *Tensor* (张量) is the general name for arrays of numbers of any number of dimensions:
// a 0-D tensor is a scalar (标量, a constant), a 1-D tensor a vector (向量), a 2-D tensor a matrix
// (矩阵), and so on. `ndim` counts the dimensions and `shape` lists their sizes.

// %%
const t0 = tensor(3.14);
const t1 = tensor([1, 2, 3]);
const t2 = tensor([[1, 2], [3, 4]]);
const t3 = arange(24).reshape(2, 3, 4);
for (const [name, t] of [["t0", t0], ["t1", t1], ["t2", t2], ["t3", t3]] as const) {
  console.log(`${name}: ndim ${t.ndim}, shape [${t.shape.join(", ")}], ${t.size} element${t.size === 1 ? "" : "s"}`);
  show(name, t);
}

// %%
verify("ndim of t0, t1, t2, t3", [t0.ndim, t1.ndim, t2.ndim, t3.ndim], [0, 1, 2, 3]);
verifyTrue("shapes", JSON.stringify([t0.shape, t1.shape, t2.shape, t3.shape]) === "[[],[3],[2,2],[2,3,4]]", JSON.stringify([t0.shape, t1.shape, t2.shape, t3.shape]));
verify("t0.item()", t0.item(), 3.14, { atol: 0 });

// %% [markdown]
// ## 二、Pytorch如何创建张量 · Creating tensors
//
// ### 2.1 创建张量 · From values, filled, ranges, random
//
// The article creates `torch.Tensor([1, 2, 3])`; nnlab's `tensor([1, 2, 3])` is the same. Besides
// nested arrays there are the usual factories: `zeros`, `ones`, `full`, `eye`, `arange`, `linspace`,
// and random ones (`rand` uniform on [0, 1), `randn` standard normal, `randint`), all drawn from the
// generator that `seed(n)` resets (PyTorch's generator gives other numbers for the same seed).

// %%
show("zeros", zeros([2, 3]));
show("full", full([2, 3], 7));
show("eye", eye(3));
show("arange", arange(0, 10, 2));
show("linspace", linspace(0, 1, 5));
show("mixed", tensor([1e-5, 1, 1000]));
show("neg", tensor([-1.5, 0, 2.25]));
const u = rand([2, 3]);
const g = randn([2, 3]);
const k = randint(0, 10, [2, 3]);
console.log(`rand:\n${u}\nrandn:\n${g}\nrandint(0, 10):\n${k}\nzerosLike(u):\n${zerosLike(u)}`);

// %% [markdown]
// A histogram of 10,000 draws of `randn` against the standard normal density: the random factories
// draw what they say.

// %%
const draws = randn([10000]).toFlatArray();
const edges = Array.from({ length: 41 }, (_, i) => -4 + i * 0.2);
const counts = edges.slice(0, -1).map((lo) => draws.filter((v) => v >= lo && v < lo + 0.2).length / (10000 * 0.2));
const centres = edges.slice(0, -1).map((lo) => lo + 0.1);
new plot.Figure({
  data: [
    { type: "bar", name: "randn, 10,000 draws (density)", x: centres, y: counts, marker: { color: "#9ecae1" } },
    { type: "scatter", mode: "lines", name: "N(0, 1) density", x: centres, y: centres.map((x) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)) },
  ],
  layout: { title: { text: "randn draws a standard normal" }, xaxis: { title: { text: "value" } }, yaxis: { title: { text: "density" } }, bargap: 0 },
})

// %%
const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
verify("randn mean", mean, 0, { atol: 0.05 });
verify("randn variance", variance, 1, { atol: 0.05 });
verifyTrue("rand in [0, 1)", u.toFlatArray().every((v) => v >= 0 && v < 1), `${u.toFlatArray().map((v) => v.toFixed(3)).join(", ")}`);
verifyTrue("randint integers in [0, 10)", k.toFlatArray().every((v) => Number.isInteger(v) && v >= 0 && v < 10), k.toFlatArray().join(", "));

// %% [markdown]
// **Reshaping and indexing.** `reshape` / `view` give the same values another shape (row-major
// order, the total count unchanged), `.T` transposes a matrix, `unsqueeze` adds a dimension of size 1,
// `squeeze` removes one. `get(i)` is `t[i]`, `select(dim, i)` picks one index along a dimension, and
// `slice(dim, start, end)` is `t[..., start:end]`.

// %%
const a = arange(6);
show("reshape", a.reshape(2, 3));
show("view", a.view(3, 2));
show("T", a.reshape(2, 3).T);
show("unsqueeze", a.unsqueeze(0));
// PyTorch: torch.arange(24.).reshape(2, 3, 4)[1, :, 1:3]
show("sliced", t3.get(1).slice(1, 1, 3));
console.log(`a.reshape(2, 3).unsqueeze(0).shape = [${a.reshape(2, 3).unsqueeze(0).shape}], squeezed back: [${a.reshape(2, 3).unsqueeze(0).squeeze(0).shape}]`);
console.log(`cat([t2, t2]) has shape [${cat([t2, t2]).shape}], stack([t2, t2]) has shape [${stack([t2, t2]).shape}]`);

// %% [markdown]
// **Broadcasting.** An operation between tensors of different shapes lines the shapes up from the
// right; a dimension of size 1 (or a missing one) is repeated to match the other. A column [3, 1]
// plus a row [4] gives a [3, 4] table of all sums. Sizes that differ and are not 1 cannot be
// broadcast: both libraries refuse with a message naming the shapes.

// %%
const column = tensor([[0], [10], [20]]);
const row = tensor([1, 2, 3, 4]);
const table = column.add(row);
show("bcast", table);
show("scaled", t2.mul(10).add(0.5));
let message = "";
try {
  ones([2, 3]).add(ones([2, 2]));
} catch (e) {
  message = (e as Error).message;
}
console.log(`nnlab:   ${message}`);
console.log(`PyTorch: ${pytorchPrints.bcast_error}`);
plot.heatmapGrid([column.reshape(3, 1).toArray() as number[][], [row.toFlatArray()], table.toArray() as number[][]], {
  titles: ["column [3, 1]", "row [4]", "column + row: [3, 4]"], cols: 3, colorscale: "Blues", square: true, title: "Broadcasting: [3, 1] + [4] → [3, 4]",
})

// %%
verifyTrue("broadcast shape [3, 1] + [4] = [3, 4]", table.shape.join(",") === "3,4", `[${table.shape}]`);
verifyTrue("mismatched shapes are refused, naming both", message.includes("2, 3") && message.includes("2, 2"), message);

// %% [markdown]
// **Reductions and products.** `sum(dim)` adds along one dimension (removing it), `mean`, `max`,
// and `matmul` multiplies matrices.

// %%
const m = tensor([[1, 2, 3], [4, 5, 6]]);
show("sum0", m.sum(0));
show("sum1", m.sum(1));
show("mean", m.mean());
show("max1", m.max(1));
show("matmul", m.matmul(m.T));
console.log(`argmax(1) = ${m.argmax(1)}  (PyTorch returns int64 indices, tensor([2, 2]); nnlab stores indices as floats)`);

// %% [markdown]
// ### 2.2 tensor与ndarray的关系 · Tensors and plain arrays
//
// In Python a tensor and a numpy `ndarray` convert into each other (`torch.tensor(arr)`,
// `t.numpy()`). In TypeScript the plain arrays are JavaScript arrays and typed arrays:
// `tensor(nestedArray)` and `fromArray(flat, shape)` copy values in; `toArray()` (also `tolist()`)
// gives nested arrays back, `toFlatArray()` a flat `number[]`, `item()` the number of a one-element
// tensor; `t.data` is the tensor's own storage, a `Float64Array` (or `Float32Array`), shared, like
// the memory `t.numpy()` shares with the tensor.

// %%
const nested = [[1.5, 2.5], [3.5, 4.5]];
const fromNested = tensor(nested);
const back = fromNested.toArray();
const flat = fromArray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
console.log(`tensor(nested):\n${fromNested}\ntoArray(): ${JSON.stringify(back)}\nfromArray(Float64Array, [2, 3]):\n${flat}`);
console.log(`flat.data is a ${flat.data.constructor.name} of length ${flat.data.length}; toFlatArray(): ${JSON.stringify(flat.toFlatArray())}`);
// Shared storage: a detached view of the same tensor sees a write to .data.
const view = flat.detach();
flat.data[0] = 100;
console.log(`after flat.data[0] = 100, the detached view starts with ${view.data[0]}`);
const f32 = tensor([1 / 3, 2 / 3], { dtype: "float32" });
console.log(`float32: ${f32}; f32.data[0] = ${f32.data[0]} (the float32 nearest 1/3; PyTorch's item() gives the same 0.3333333432674408)`);

// %%
verify("toArray() round trip", back as number[][], nested, { atol: 0 });
verify("fromArray fills row by row", flat.get(1), [4, 5, 6], { atol: 0 });
verify("detach() shares storage", view.data[0], 100, { atol: 0 });
verify("float32 storage rounds like PyTorch", f32.data[0], 0.3333333432674408, { atol: 0 });
// Every string in pytorchPrints but the error message was compared above.
verify("examples printed exactly as PyTorch prints them", compared, Object.keys(pytorchPrints).length - 1);
verify("examples compared", compared, 23);
