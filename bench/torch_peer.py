"""PyTorch's side of the benchmarks: `python3 bench/torch_peer.py <case>` prints one JSON line.

Same workloads and timing protocol as bench/workloads.mjs (keep the numbers in step), on one
thread, as the issue's reference measurements were taken.
"""
import json
import os
import sys
import time

# One thread for the BLAS too (OpenBLAS reads this when torch loads it).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402

torch.set_num_threads(1)

WORKLOADS = {
    "mlp": dict(samples=10_000, inputs=784, hidden=128, classes=10, batch=64, lr=0.01, momentum=0.9),
    "cnn": dict(samples=2_000, side=28, channels=8, kernel=3, pool=2, classes=10, batch=32, lr=0.01, momentum=0.9),
    "wd": dict(samples=20, features=200, batch=5, steps=2_000, lr=0.003, lam=3),
}
CASES = {
    "mlp-f32": ("mlp", torch.float32), "mlp-f64": ("mlp", torch.float64),
    "cnn-f32": ("cnn", torch.float32), "cnn-f64": ("cnn", torch.float64),
    "wd-f32": ("wd", torch.float32), "wd-f64": ("wd", torch.float64),
}
REPEAT_BELOW, REPEATS, WARMUP_SECONDS = 3.0, 3, 0.5


def measure(warmup, once):
    # Warm-up repeated until WARMUP_SECONDS have passed, as workloads.mjs's protocol says.
    w0 = time.perf_counter()
    warmup()
    while time.perf_counter() - w0 < WARMUP_SECONDS:
        warmup()
    runs = []
    check = None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        check = once()
        runs.append(time.perf_counter() - t0)
        if runs[0] >= REPEAT_BELOW:
            break
    ordered = sorted(runs)
    return {"seconds": ordered[0], "median": ordered[(len(runs) - 1) // 2], "runs": runs, "check": check}


def classifier(w, dtype, model):
    torch.manual_seed(0)
    if "inputs" in w:
        X = torch.rand(w["samples"], w["inputs"], dtype=dtype)
    else:
        X = torch.rand(w["samples"], 1, w["side"], w["side"], dtype=dtype)
    y = torch.tensor([(i * 7 + (i >> 3)) % w["classes"] for i in range(w["samples"])])
    model = model.to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=w["lr"], momentum=w["momentum"])
    loss_fn = torch.nn.CrossEntropyLoss()

    def batch(i):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(X[i:i + w["batch"]]), y[i:i + w["batch"]])
        loss.backward()
        opt.step()
        return loss

    def warmup():
        for k in range(20):
            batch(k * w["batch"])

    # For --serve: `count` batches from where the last block stopped, wrapping at the end of the data.
    position = {"i": 0}

    def block(count):
        for _ in range(count):
            batch(position["i"])
            position["i"] = 0 if position["i"] + w["batch"] >= w["samples"] else position["i"] + w["batch"]

    def once():
        last = None
        for i in range(0, w["samples"], w["batch"]):
            last = batch(i)
        return {"lastLoss": last.item()}

    once.block = block
    return warmup, once


def mlp(dtype):
    w = WORKLOADS["mlp"]
    model = torch.nn.Sequential(torch.nn.Linear(w["inputs"], w["hidden"]), torch.nn.ReLU(), torch.nn.Linear(w["hidden"], w["classes"]))
    return classifier(w, dtype, model)


def cnn(dtype):
    w = WORKLOADS["cnn"]
    side = (w["side"] - w["kernel"] + 1) // w["pool"]
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, w["channels"], w["kernel"]), torch.nn.ReLU(), torch.nn.MaxPool2d(w["pool"]),
        torch.nn.Flatten(), torch.nn.Linear(w["channels"] * side * side, w["classes"]))
    return classifier(w, dtype, model)


def weight_decay(dtype):
    w = WORKLOADS["wd"]
    torch.manual_seed(0)
    X = torch.randn(w["samples"], w["features"], dtype=dtype)
    y = X.sum(1, keepdim=True) * 0.01 + 0.05
    weight = torch.randn(w["features"], 1, dtype=dtype, requires_grad=True)
    bias = torch.zeros(1, dtype=dtype, requires_grad=True)
    opt = torch.optim.SGD([weight, bias], lr=w["lr"])
    state = {"step": 0}

    def one():
        i = (state["step"] * w["batch"]) % w["samples"]
        state["step"] += 1
        opt.zero_grad(set_to_none=True)
        r = X[i:i + w["batch"]] @ weight + bias - y[i:i + w["batch"]]
        loss = (r ** 2).mean() * 0.5 + (weight ** 2).sum() * (w["lam"] / 2)
        loss.backward()
        opt.step()
        return loss

    def warmup():
        # One whole unit, as nnlab_peer.mjs does (its JIT needs more than 50 steps).
        for _ in range(w["steps"]):
            one()

    def once():
        loss = None
        for _ in range(w["steps"]):
            loss = one()
        return {"lastLoss": loss.item(), "wNorm": weight.detach().norm().item()}

    def block(count):
        for _ in range(count):
            one()

    once.block = block
    return warmup, once


def blas_library():
    """Which BLAS the process loaded: Debian's torch uses whatever libblas.so.3 points to, and the
    reference (netlib) BLAS is many times slower than OpenBLAS for the matrix products here."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() or "mkl" in line.lower()}
    except OSError:
        return "unknown"
    return ", ".join(sorted(os.path.realpath(p) for p in libs if p.startswith("/"))) or "none found"


def serve(name):
    """`--serve <case>` (bench/paired-torch.mjs): after a warm-up, each input line N runs N batches
    (N steps for wd) and answers with the milliseconds they took, timed here."""
    workload, dtype = CASES[name]
    warmup, once = {"mlp": mlp, "cnn": cnn, "wd": weight_decay}[workload](dtype)
    warmup()
    print(json.dumps(dict(ready=True, torch=torch.__version__, threads=torch.get_num_threads(), blas=blas_library())), flush=True)
    for line in sys.stdin:
        count = int(line)
        t0 = time.perf_counter()
        once.block(count)
        print((time.perf_counter() - t0) * 1000, flush=True)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--serve" and sys.argv[2] in CASES:
        serve(sys.argv[2])
        return
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in CASES:
        print(f"torch_peer: unknown case {name!r}; cases: {', '.join(CASES)}", file=sys.stderr)
        sys.exit(2)
    workload, dtype = CASES[name]
    warmup, once = {"mlp": mlp, "cnn": cnn, "wd": weight_decay}[workload](dtype)
    result = measure(warmup, once)
    print(json.dumps(dict(peer="pytorch", case=name, torch=torch.__version__, threads=torch.get_num_threads(), blas=blas_library(), **result)))


if __name__ == "__main__":
    main()
