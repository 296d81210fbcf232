#!/usr/bin/python3
"""PyTorch 2.13 twin of Propel's two reference convolutional networks (issue 12).

Builds examples/resnet-small.json and examples/convnext-small.json as a PyTorch user would write them
(torch.nn modules, NCHW), checks that each has exactly the number of parameters the Propel spec
declares (counted from the JSON spec by the rules of Propel's layers, independently of torch), and
trains it like `propel train`: cross-entropy, Adam lr 1e-3, batch 128, Fashion-MNIST pixels in [0, 1]
as [1, 28, 28] images, test accuracy after every epoch.

    /work/v/bin/python tools/bench/cnn_pytorch.py --network resnet-small --epochs 15 --threads 1
    /work/v/bin/python tools/bench/cnn_pytorch.py --network convnext-small --bench --threads 2
    /work/v/bin/python tools/bench/cnn_pytorch.py --count-only        # parameter counts, no data needed

Training prints one JSON line per epoch (epoch, loss, test_accuracy, seconds, samples_per_second) and a
summary; --bench prints {"samples_per_second": ...} for the training step alone (forward, backward,
Adam step) at --batch-size 128 on real images, the figure `propel bench train --spec ... --json`
prints. The data are the IDX files of the Debian package dataset-fashion-mnist
(apt-get install -y dataset-fashion-mnist; they are in /usr/share/datasets/fashion-mnist).
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPECS = {"resnet-small": os.path.join(ROOT, "examples", "resnet-small.json"),
         "convnext-small": os.path.join(ROOT, "examples", "convnext-small.json")}


# ---------------------------------------------------------------- the networks, as PyTorch code

class BasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN, plus the input (through 1x1 conv + BN where the shape changes), then ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Identity()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + self.shortcut(x))


class ResNetSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        blocks, cin = [], 16
        for stage, cout in enumerate([16, 32, 64]):
            for block in range(2):
                blocks.append(BasicBlock(cin, cout, 2 if stage > 0 and block == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.classifier(x.mean(dim=(2, 3)))   # global average pool: AdaptiveAvgPool2d(1) + flatten


class ChannelsNorm(nn.Module):
    """LayerNorm over the channels of NCHW data (Propel: layer_norm with "axes": [0])."""

    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.norm = nn.LayerNorm(channels, eps=eps)

    def forward(self, x):
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    """depthwise 7x7 -> LayerNorm(channels) -> 1x1 C->4C -> GELU -> 1x1 4C->C -> layer scale -> + input."""

    def __init__(self, c, init=1e-6):
        super().__init__()
        self.dwconv = nn.Conv2d(c, c, 7, padding=3, groups=c)
        self.norm = ChannelsNorm(c)
        self.pwconv1 = nn.Conv2d(c, 4 * c, 1)
        self.act = nn.GELU()
        self.pwconv2 = nn.Conv2d(4 * c, c, 1)
        self.gamma = nn.Parameter(torch.full((c,), init))

    def forward(self, x):
        y = self.pwconv2(self.act(self.pwconv1(self.norm(self.dwconv(x)))))
        return x + self.gamma.view(1, -1, 1, 1) * y


class ConvNeXtSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 32, 2, stride=2), ChannelsNorm(32))
        self.stage1 = nn.Sequential(ConvNeXtBlock(32), ConvNeXtBlock(32))
        self.down = nn.Sequential(ChannelsNorm(32), nn.Conv2d(32, 64, 2, stride=2))
        self.stage2 = nn.Sequential(ConvNeXtBlock(64), ConvNeXtBlock(64))
        self.head_norm = nn.LayerNorm(64, eps=1e-6)
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        x = self.stage2(self.down(self.stage1(self.stem(x))))
        return self.classifier(self.head_norm(x.mean(dim=(2, 3))))


NETWORKS = {"resnet-small": ResNetSmall, "convnext-small": ConvNeXtSmall}


# ---------------------------------------------------------------- parameters of a Propel spec, without torch

def spec_parameters(path):
    """Learnable parameters of a Propel graph spec, by the rules of Propel's layers, following the shapes."""
    with open(path) as f:
        spec = json.load(f)
    shapes = {"input": list(spec["input"])}
    previous, total = "input", 0
    for layer in spec["layers"]:
        t, name = layer["type"], layer["name"]
        inputs = layer.get("inputs", [previous])
        s = shapes[inputs[0]]
        if t == "conv2d":
            c, h, w = s
            out, k = layer["out_channels"], layer["kernel_size"]
            stride, pad, groups = layer.get("stride", 1), layer.get("padding", 0), layer.get("groups", 1)
            pad = (k - 1) // 2 if pad == "same" else pad
            total += out * (c // groups) * k * k + (out if layer.get("bias", True) else 0)
            size = lambda n: (n + 2 * pad - layer.get("dilation", 1) * (k - 1) - 1) // stride + 1
            s = [out, size(h), size(w)]
        elif t == "batch_norm":
            total += 2 * s[0] if layer.get("affine", True) else 0
        elif t == "layer_norm":
            axes = [a % len(s) for a in layer.get("axes", [-1])]
            n = 1
            for a in axes:
                n *= s[a]
            total += 2 * n if layer.get("elementwise_affine", True) else 0
        elif t == "layer_scale":
            total += s[0]
        elif t == "global_avg_pool":
            s = [s[0]]
        elif t == "dense":
            total += layer["units"] * s[0] + layer["units"]
            s = [layer["units"]]
        elif t not in ("relu", "gelu", "add"):
            sys.exit(f"cnn_pytorch.py: layer type '{t}' of {path} is not known to this counter")
        shapes[name] = s
        previous = name
    return total, shapes[previous]


def check_counts():
    counts = {}
    for network, path in SPECS.items():
        propel, out = spec_parameters(path)
        torch_count = sum(p.numel() for p in NETWORKS[network]().parameters())
        counts[network] = {"propel_spec": propel, "pytorch": torch_count, "output": out}
        if propel != torch_count or out != [10]:
            sys.exit(f"cnn_pytorch.py: {network}: the Propel spec {path} has {propel} parameters and output {out},"
                     f" the PyTorch twin {torch_count} parameters; make them the same network")
    return counts


# ---------------------------------------------------------------- data and training

def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    _, _, _, ndim = struct.unpack(">BBBB", data[:4])
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(directory, limit):
    def part(name):
        for candidate in (name + ".gz", name):
            p = os.path.join(directory, candidate)
            if os.path.exists(p):
                return read_idx(p)
        sys.exit(f"cnn_pytorch.py: {name}(.gz) not found in {directory}; apt-get install -y dataset-fashion-mnist")

    xtr = part("train-images-idx3-ubyte").reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    ytr = part("train-labels-idx1-ubyte").astype(np.int64)
    xte = part("t10k-images-idx3-ubyte").reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    yte = part("t10k-labels-idx1-ubyte").astype(np.int64)
    if limit:
        xtr, ytr, xte, yte = xtr[:limit], ytr[:limit], xte[:limit], yte[:limit]
    return [torch.from_numpy(a.copy()) for a in (xtr, ytr, xte, yte)]


def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def train(args, network):
    xtr, ytr, xte, yte = load(args.data, args.limit)
    model = NETWORKS[network]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    epochs, train_seconds = [], 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        perm = torch.randperm(len(xtr))
        total = 0.0
        t0 = time.perf_counter()
        for i in range(0, len(xtr), args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        seconds = time.perf_counter() - t0
        train_seconds += seconds
        row = {"network": network, "epoch": epoch, "loss": total / len(xtr), "test_accuracy": accuracy(model, xte, yte),
               "seconds": seconds, "samples_per_second": len(xtr) / seconds}
        epochs.append(row)
        print(json.dumps(row), flush=True)
    best = max(epochs, key=lambda r: r["test_accuracy"])
    print(json.dumps({"framework": "pytorch " + torch.__version__, "network": network, "threads": args.threads,
                      "train_examples": len(xtr), "test_examples": len(xte),
                      "best_test_accuracy": best["test_accuracy"], "best_epoch": best["epoch"],
                      "samples_per_second": len(xtr) * args.epochs / train_seconds}))


def bench(args, network):
    xtr, ytr, _, _ = load(args.data, 0)
    model = NETWORKS[network]()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batches = [(xtr[i:i + args.batch_size], ytr[i:i + args.batch_size]) for i in range(0, 32 * args.batch_size, args.batch_size)]

    def steps(n):
        for j in range(n):
            x, y = batches[j % len(batches)]
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            opt.step()

    end = time.perf_counter() + args.warmup
    while time.perf_counter() < end:
        steps(1)
    rates = []
    for _ in range(args.rounds):
        count, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < args.seconds:
            steps(1)
            count += 1
        rates.append(count * args.batch_size / (time.perf_counter() - t0))
    print(json.dumps({"framework": "pytorch " + torch.__version__, "network": network, "threads": args.threads,
                      "batch_size": args.batch_size, "samples_per_second": max(rates),
                      "median_samples_per_second": sorted(rates)[len(rates) // 2]}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--network", choices=["resnet-small", "convnext-small", "both"], default="both")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training and test examples (a quick check)")
    ap.add_argument("--bench", action="store_true", help="time the training step only and print samples/s as JSON")
    ap.add_argument("--warmup", type=float, default=5.0, help="--bench: seconds of warm-up")
    ap.add_argument("--seconds", type=float, default=5.0, help="--bench: seconds per timed round")
    ap.add_argument("--rounds", type=int, default=3, help="--bench: timed rounds (the best is reported)")
    ap.add_argument("--count-only", action="store_true", help="print the parameter counts and stop")
    args = ap.parse_args()

    counts = check_counts()
    print(json.dumps({"parameters": counts}), flush=True)
    if args.count_only:
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    for network in (["resnet-small", "convnext-small"] if args.network == "both" else [args.network]):
        (bench if args.bench else train)(args, network)


if __name__ == "__main__":
    main()
