"""PyTorch's result for notebook 06 on the notebook's own data.

    node notebooks/src/06-weight-decay.data.mjs | /usr/bin/python3 notebooks/src/06-weight-decay.torch.py

Reads the data, initial weights and sample order (JSON on stdin), trains as Dive-into-DL-PyTorch's
code (3.12_weight-decay) does (from scratch: squared loss + lambda * ||w||^2 / 2, minibatch SGD,
batch size 1) and as its concise version does (torch.optim.SGD with weight_decay on the weight only), in float64, and prints the final
train loss, test loss and ||w|| for each lambda. The output is pasted into notebooks/src/06-weight-decay.ts.
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)
d = json.load(sys.stdin)
X = torch.tensor(d["samples"])
Y = torch.tensor(d["labels"])
n = d["numTrain"]
train_x, train_y, test_x, test_y = X[:n], Y[:n], X[n:], Y[n:]


def squared_loss(y_hat, y):
    return (y_hat - y.view(y_hat.size())) ** 2 / 2


def run(lam, concise):
    w = torch.tensor(d["w0"], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([{"params": [w], "weight_decay": lam}, {"params": [b]}], lr=d["lr"]) if concise else None
    for epoch in range(d["numEpochs"]):
        for i in d["orders"][epoch]:
            x, y = train_x[i:i + 1], train_y[i:i + 1]
            if concise:
                loss = squared_loss(x @ w + b, y).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
            else:
                loss = (squared_loss(x @ w + b, y) + lam * (w ** 2).sum() / 2).sum()
                w.grad = None
                b.grad = None
                loss.backward()
                with torch.no_grad():
                    w -= d["lr"] * w.grad
                    b -= d["lr"] * b.grad
    with torch.no_grad():
        return [squared_loss(train_x @ w + b, train_y).mean().item(),
                squared_loss(test_x @ w + b, test_y).mean().item(),
                w.norm().item()]


print(json.dumps({str(lam): {"scratch": run(lam, False), "concise": run(lam, True)} for lam in d["lambdas"]}, indent=1))
