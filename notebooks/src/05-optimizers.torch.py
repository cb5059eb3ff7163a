"""PyTorch's trajectories for the settings of notebook 05 (optimisers on two 2-D functions).

Run with Debian's python3-torch: /usr/bin/python3 notebooks/src/05-optimizers.torch.py
The printed JSON (the final point of each optimiser, float64) is pasted into
notebooks/src/05-optimizers.ts as `pytorchFinals`; re-run after changing a setting there.
"""
import json

import torch

torch.set_default_dtype(torch.float64)


def quadratic(x):
    return 0.1 * x[0] ** 2 + 2 * x[1] ** 2


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


QUADRATIC = {
    "SGD": (torch.optim.SGD, dict(lr=0.4)),
    "SGDM": (torch.optim.SGD, dict(lr=0.6, momentum=0.5)),
    "Adam": (torch.optim.Adam, dict(lr=0.3)),
    "Adagrad": (torch.optim.Adagrad, dict(lr=0.4)),
    "RMSProp": (torch.optim.RMSprop, dict(lr=0.4, alpha=0.9)),
    "NAG": (torch.optim.SGD, dict(lr=0.3, momentum=0.5, nesterov=True)),
}
ROSENBROCK = {
    "SGD": (torch.optim.SGD, dict(lr=0.002)),
    "SGDM": (torch.optim.SGD, dict(lr=0.001, momentum=0.9)),
    "Adam": (torch.optim.Adam, dict(lr=0.1)),
    "Adagrad": (torch.optim.Adagrad, dict(lr=2.0)),
    "RMSProp": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9)),
    "NAG": (torch.optim.SGD, dict(lr=0.001, momentum=0.9, nesterov=True)),
}


def run(f, start, settings, steps):
    finals = {}
    for name, (cls, kw) in settings.items():
        x = torch.tensor(start, requires_grad=True)
        opt = cls([x], **kw)
        for _ in range(steps):
            opt.zero_grad()
            f(x).backward()
            opt.step()
        finals[name] = [x[0].item(), x[1].item(), f(x).item()]
    return finals


VARIANTS = {
    "SGD lr 0.6": (torch.optim.SGD, dict(lr=0.6)),
    "SGDM beta 0.25": (torch.optim.SGD, dict(lr=0.6, momentum=0.25)),
    "Adagrad lr 2": (torch.optim.Adagrad, dict(lr=2.0)),
}

print(json.dumps({
    "variants": run(quadratic, [-5.0, -2.0], VARIANTS, 20),
    "quadratic": run(quadratic, [-5.0, -2.0], QUADRATIC, 20),
    "rosenbrock": run(rosenbrock, [-1.5, 2.0], ROSENBROCK, 1000),
}, indent=1))
