"""PyTorch's printed form of every tensor notebook 08 compares against.

Run with Debian's python3-torch: /usr/bin/python3 notebooks/src/08-tensors.torch.py
The output (JSON) is pasted into notebooks/src/08-tensors.ts as `pytorchPrints`; re-run after
changing an example there. Printed with torch 1.13 (float32 tensors, PyTorch's default dtype, which
prints without a dtype suffix like nnlab's float64 default).
"""
import json

import torch

out = {}


def r(key, t):
    out[key] = repr(t)


r("t0", torch.tensor(3.14))
r("t1", torch.Tensor([1, 2, 3]))
r("t2", torch.tensor([[1., 2.], [3., 4.]]))
r("t3", torch.arange(24.).reshape(2, 3, 4))
r("zeros", torch.zeros(2, 3))
r("full", torch.full((2, 3), 7.))
r("eye", torch.eye(3))
r("arange", torch.arange(0., 10., 2.))
r("linspace", torch.linspace(0, 1, 5))
a = torch.arange(6.)
r("reshape", a.reshape(2, 3))
r("view", a.view(3, 2))
r("T", a.reshape(2, 3).T)
r("unsqueeze", a.unsqueeze(0))
r("sliced", torch.arange(24.).reshape(2, 3, 4)[1, :, 1:3])
r("bcast", torch.tensor([[0.], [10.], [20.]]) + torch.tensor([1., 2., 3., 4.]))
r("scaled", torch.tensor([[1., 2.], [3., 4.]]) * 10 + 0.5)
r("mixed", torch.tensor([1e-5, 1.0, 1000.]))
r("neg", torch.tensor([-1.5, 0., 2.25]))
m = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
r("sum0", m.sum(0))
r("sum1", m.sum(1))
r("mean", m.mean())
r("max1", m.max(1).values)
r("matmul", m @ m.T)
try:
    torch.ones(2, 3) + torch.ones(2, 2)
except RuntimeError as e:
    out["bcast_error"] = str(e)
print(json.dumps(out, indent=1, ensure_ascii=False))
