#!/usr/bin/python3
"""PyTorch 2.13 twin of Propel's row-sequential recurrent benchmark and accuracy task.

The network of examples/{lstm,gru,rnn}-fmnist.json: each Fashion-MNIST image read as 28 time steps of 28
pixels (batch_first), one recurrent layer of 128 (nn.LSTM, nn.GRU or nn.RNN with tanh), a Linear 128 -> 10
on the last step, cross-entropy, Adam lr 1e-3, batch 128.

    /work/v/bin/python tools/bench/reference/rnn_pytorch.py --cell lstm --bench --threads 1
        training samples/s at batch 128 (median of timed rounds after a warm-up) as one JSON object,
        on synthetic images unless --data is given; what `propel bench train --spec examples/lstm-fmnist.json`
        measures on Propel's side
    /work/v/bin/python tools/bench/reference/rnn_pytorch.py --cell gru --epochs 10
        trains on Fashion-MNIST (the IDX files in --data, default the Debian package's directory) and prints
        one JSON object per epoch with the test accuracy
"""
import argparse
import json
import statistics
import time

import torch

from torch_mlp import load  # the Fashion-MNIST IDX reader; images come as [n, 784] and are viewed as [n, 28, 28]

CELLS = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}


class RowSequential(torch.nn.Module):
    def __init__(self, cell, hidden=128):
        super().__init__()
        self.rnn = CELLS[cell](input_size=28, hidden_size=hidden, batch_first=True)
        self.classifier = torch.nn.Linear(hidden, 10)

    def forward(self, x):
        out, _ = self.rnn(x.view(-1, 28, 28))
        return self.classifier(out[:, -1, :])


def train_epoch(model, opt, loss_fn, x, y, batch):
    perm = torch.randperm(len(x))
    total = 0.0
    for i in range(0, len(x), batch):
        idx = perm[i:i + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    return total / len(x)


def bench(args):
    if args.data:
        x, y, _, _ = load(args.data)
        x = x.view(-1, 28, 28)
        x, y = x[:args.samples], y[:args.samples]
        source = args.data
    else:
        g = torch.Generator().manual_seed(1)
        x = torch.rand(args.samples, 28, 28, generator=g)
        y = torch.randint(0, 10, (args.samples,), generator=g)
        source = "synthetic"
    model = RowSequential(args.cell)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(args.warmup_rounds):
        train_epoch(model, opt, loss_fn, x, y, args.batch_size)
    rates = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        train_epoch(model, opt, loss_fn, x, y, args.batch_size)
        rates.append(len(x) / (time.perf_counter() - t0))
    print(json.dumps({"benchmark": "train", "framework": "pytorch", "torch_version": torch.__version__,
                      "network": f"{args.cell}-fmnist (28 steps x 28, hidden 128, dense 10)", "data": source,
                      "samples": len(x), "batch_size": args.batch_size, "threads": torch.get_num_threads(),
                      "samples_per_second": round(statistics.median(rates)),
                      "rounds": [round(r) for r in rates]}))


def train(args):
    xtr, ytr, xte, yte = (t.view(-1, 28, 28) if t.dim() == 2 else t
                          for t in load(args.data or "/usr/share/datasets/fashion-mnist"))
    model = RowSequential(args.cell)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    best = 0.0
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        loss = train_epoch(model, opt, loss_fn, xtr, ytr, args.batch_size)
        seconds = time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        best = max(best, acc)
        print(json.dumps({"epoch": epoch, "loss": loss, "test_accuracy": acc, "seconds": seconds,
                          "samples_per_second": round(len(xtr) / seconds)}), flush=True)
    print(json.dumps({"cell": args.cell, "best_test_accuracy": best, "threads": torch.get_num_threads()}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cell", choices=sorted(CELLS), default="lstm")
    ap.add_argument("--bench", action="store_true", help="time training instead of training to accuracy")
    ap.add_argument("--data", help="a directory with the Fashion-MNIST IDX files (default: synthetic for --bench, "
                                   "/usr/share/datasets/fashion-mnist otherwise)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--samples", type=int, default=6000, help="--bench: examples per timed round")
    ap.add_argument("--rounds", type=int, default=3, help="--bench: timed rounds")
    ap.add_argument("--warmup-rounds", type=int, default=1, help="--bench: untimed rounds first")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    bench(args) if args.bench else train(args)


if __name__ == "__main__":
    main()
