#!/usr/bin/python3
"""PyTorch reference for Propel's MLP benchmark and accuracy target.

Trains the 784-512-512-10 ReLU MLP (cross-entropy, Adam lr 1e-3, batch 128) on Fashion-MNIST,
exactly the network of examples/mlp.json, and prints one JSON object per epoch and a summary with
test accuracy and samples/s. Needs Debian's python3-torch and python3-numpy and the
dataset-fashion-mnist package (or --data DIR with the four IDX .gz files).

    /usr/bin/python3 tools/bench/reference/torch_mlp.py --epochs 10 --threads 1

(Debian's torch is installed for /usr/bin/python3; another python3 on PATH may not see it.)
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time


def need(module, package):
    try:
        return __import__(module)
    except ImportError:
        sys.exit(f"torch_mlp.py: Python module '{module}' is missing for {sys.executable}; install it with "
                 f"'apt-get install -y {package}' and run this script with /usr/bin/python3")


torch = need("torch", "python3-torch")
np = need("numpy", "python3-numpy")


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    _, _, dtype, ndim = struct.unpack(">BBBB", data[:4])
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(directory):
    def part(name):
        for candidate in (name + ".gz", name):
            p = os.path.join(directory, candidate)
            if os.path.exists(p):
                return read_idx(p)
        sys.exit(f"torch_mlp.py: {name}(.gz) not found in {directory}; apt-get install -y dataset-fashion-mnist")

    xtr = part("train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0
    ytr = part("train-labels-idx1-ubyte").astype(np.int64)
    xte = part("t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0
    yte = part("t10k-labels-idx1-ubyte").astype(np.int64)
    return [torch.from_numpy(a.copy()) for a in (xtr, ytr, xte, yte)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    xtr, ytr, xte, yte = load(args.data)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    epochs = []
    train_seconds = 0.0
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(len(xtr))
        total = 0.0
        model.train()
        for i in range(0, len(xtr), args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        seconds = time.perf_counter() - t0
        train_seconds += seconds
        model.eval()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        row = {"epoch": epoch, "loss": total / len(xtr), "test_accuracy": acc, "seconds": seconds}
        epochs.append(row)
        print(json.dumps(row), file=sys.stderr)
    best = max(epochs, key=lambda r: r["test_accuracy"])
    print(json.dumps({"framework": "pytorch " + torch.__version__, "threads": args.threads, "epochs": epochs,
                      "test_accuracy": best["test_accuracy"], "best_epoch": best["epoch"],
                      "samples_per_second": len(xtr) * args.epochs / train_seconds}))


if __name__ == "__main__":
    main()
