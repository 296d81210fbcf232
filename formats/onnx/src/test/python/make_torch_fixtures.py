#!/usr/bin/env python3
"""Makes the PyTorch -> ONNX fixtures of the ONNX format's tests (src/test/resources/fixtures/torch-*).

Each fixture is a small nn.Linear MLP trained for a few steps on random Fashion-MNIST-shaped inputs
(pixels in [0, 1], 10 classes), exported with torch.onnx.export, with 8 inputs and PyTorch's outputs in
the ONNX node-test layout (test_data_set_0/input_0.pb, output_0.pb). The Java test
(TorchFixturesTest) imports model.onnx and must reproduce the outputs to 1e-5.

  torch-mlp-flat      input [N, 784], Linear-ReLU-Linear-ReLU-Linear, dynamo exporter (torch 2.13's default)
  torch-mlp-image     input [N, 1, 28, 28], nn.Flatten first, dynamo exporter
  torch-mlp-legacy    input [N, 784], Linear-Tanh-Dropout-Linear-Softmax, the TorchScript exporter (dynamo=False)
  torch-lstm          input [N, 28, 28], the twin of examples/lstm-fmnist.json (tools/bench/reference/rnn_pytorch.py):
                      nn.LSTM(28, 128, batch_first=True), the last step, nn.Linear(128, 10); dynamo exporter
  torch-gru           the same with nn.GRU (examples/gru-fmnist.json); dynamo exporter
  torch-gru-legacy    nn.GRU(28, 16, num_layers=2, batch_first=True) and the last step, the TorchScript exporter
  torch-lstm-hn       nn.LSTM(28, 16, bidirectional=True), nn.Linear on h_n of both directions, dynamo exporter

The convolutional fixtures are not trained: seeded random weights, batch-norm running statistics from a few
training-mode passes over random images, and random norm gains, biases and layer scales (ConvNeXt's 1e-6
start would hide the residual branch); they run on the first 8 Fashion-MNIST test images (pixels in [0, 1],
from the Debian package dataset-fashion-mnist).

  torch-resnet-small     tools/bench/cnn_pytorch.py's ResNet twin of examples/resnet-small.json at half width
                         (8/16/32 channels, to keep the fixture small), dynamo exporter (which folds each
                         eval-mode BatchNorm2d into the Conv before it)
  torch-convnext-small   its ConvNeXt twin of examples/convnext-small.json at half width (16/32 channels),
                         dynamo exporter: Transpose-LayerNormalization-Transpose, Mul by gamma, Gelu, ReduceMean
  torch-cnn-pools        Conv2d, MaxPool2d, BatchNorm2d (not after a conv, so not folded), AvgPool2d with padding,
                         a "same" conv, AdaptiveAvgPool2d(1), Flatten, Linear; dynamo exporter
  torch-cnn-pools-legacy the same with the TorchScript exporter (GlobalAveragePool, Flatten), opset 17

Run from the repository root with the venv that has torch 2.13, onnx and onnxruntime (names: only those):
  /work/v/bin/python formats/onnx/src/test/python/make_torch_fixtures.py [torch-lstm ...]
"""
import gzip
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import torch
from torch import nn

ONLY = sys.argv[1:]  # fixture names to make; all when none are given
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools", "bench"))
from cnn_pytorch import BasicBlock, ChannelsNorm, ConvNeXtBlock  # noqa: E402  (the PyTorch twins' blocks)

FASHION_TEST_IMAGES = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"


class NarrowResNetSmall(nn.Module):
    """cnn_pytorch.ResNetSmall with its widths as a parameter (the original is 16/32/64)."""

    def __init__(self, widths=(8, 16, 32)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        blocks, cin = [], widths[0]
        for stage, cout in enumerate(widths):
            for block in range(2):
                blocks.append(BasicBlock(cin, cout, 2 if stage > 0 and block == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.classifier = nn.Linear(widths[-1], 10)

    def forward(self, x):
        return self.classifier(self.blocks(self.stem(x)).mean(dim=(2, 3)))


class NarrowConvNeXtSmall(nn.Module):
    """cnn_pytorch.ConvNeXtSmall with its widths as a parameter (the original is 32/64)."""

    def __init__(self, widths=(16, 32)):
        super().__init__()
        c1, c2 = widths
        self.stem = nn.Sequential(nn.Conv2d(1, c1, 2, stride=2), ChannelsNorm(c1))
        self.stage1 = nn.Sequential(ConvNeXtBlock(c1), ConvNeXtBlock(c1))
        self.down = nn.Sequential(ChannelsNorm(c1), nn.Conv2d(c1, c2, 2, stride=2))
        self.stage2 = nn.Sequential(ConvNeXtBlock(c2), ConvNeXtBlock(c2))
        self.head_norm = nn.LayerNorm(c2, eps=1e-6)
        self.classifier = nn.Linear(c2, 10)

    def forward(self, x):
        x = self.stage2(self.down(self.stage1(self.stem(x))))
        return self.classifier(self.head_norm(x.mean(dim=(2, 3))))


def pools_net():
    return nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.MaxPool2d(2), nn.BatchNorm2d(6), nn.ReLU(),
                         nn.AvgPool2d(3, stride=2, padding=1), nn.Conv2d(6, 8, 3, padding="same"), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))


def fashion_images(n):
    """The first n Fashion-MNIST test images as [n, 1, 28, 28] float32 pixels in [0, 1]."""
    with gzip.open(FASHION_TEST_IMAGES, "rb") as f:
        data = f.read()
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16)[: n * 784]
    return torch.from_numpy(pixels.reshape(n, 1, 28, 28).astype(np.float32) / 255.0)


def randomize(model, seed):
    """Random norm gains/biases and layer scales, and batch-norm running statistics from training-mode passes."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1 and not name.endswith("bias") or name.endswith("gamma"):
                p.copy_(0.5 + torch.rand(p.shape, generator=g))
            elif p.dim() == 1:
                p.copy_(torch.rand(p.shape, generator=g) - 0.5)
        model.train()
        for _ in range(3):
            model(torch.rand((16, 1, 28, 28), generator=g))
    model.eval()


def train(model, image_shape, seed):
    torch.manual_seed(seed)
    x = torch.rand((64,) + image_shape)
    y = torch.randint(0, 10, (64,))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    for _ in range(20):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    model.eval()


class RowSequential(nn.Module):
    """tools/bench/reference/rnn_pytorch.py's network: each image as 28 rows of 28 pixels, the last step classified."""

    def __init__(self, cell, hidden=128, **options):
        super().__init__()
        self.rnn = cell(input_size=28, hidden_size=hidden, batch_first=True, **options)
        self.classifier = nn.Linear(hidden, 10)

    def forward(self, x):
        out, _ = self.rnn(x.view(-1, 28, 28))
        return self.classifier(out[:, -1, :])


class FinalStates(nn.Module):
    """A bidirectional LSTM classified on h_n, both directions' final states (what Propel's last-step output is)."""

    def __init__(self, hidden=16):
        super().__init__()
        self.rnn = nn.LSTM(input_size=28, hidden_size=hidden, batch_first=True, bidirectional=True)
        self.classifier = nn.Linear(2 * hidden, 10)

    def forward(self, x):
        _, (h, _) = self.rnn(x)
        return self.classifier(h.transpose(0, 1).reshape(x.shape[0], -1))


def save_tensor(path, array):
    with open(path, "wb") as f:
        f.write(onnx.numpy_helper.from_array(np.ascontiguousarray(array)).SerializeToString())


def make(name, model, image_shape, dynamo, seed, example=None, opset=17):
    if ONLY and name not in ONLY:
        return
    if example is None:
        train(model, image_shape, seed)
    directory = os.path.join(OUT, name)
    os.makedirs(os.path.join(directory, "test_data_set_0"), exist_ok=True)
    path = os.path.join(directory, "model.onnx")
    if example is None:
        example = torch.rand((8,) + image_shape, generator=torch.Generator().manual_seed(seed + 1))
    if dynamo:
        program = torch.onnx.export(model, (example,), dynamo=True, input_names=["pixels"], output_names=["logits"],
                                    dynamic_shapes=({0: torch.export.Dim("batch")},), external_data=False)
        program.save(path, external_data=False)
    else:
        torch.onnx.export(model, (example,), path, dynamo=False, input_names=["pixels"], output_names=["logits"],
                          dynamic_axes={"pixels": {0: "batch"}, "logits": {0: "batch"}}, opset_version=opset)
    with torch.no_grad():
        expected = model(example).numpy()
    save_tensor(os.path.join(directory, "test_data_set_0", "input_0.pb"), example.numpy())
    save_tensor(os.path.join(directory, "test_data_set_0", "output_0.pb"), expected)
    ops = [n.op_type for n in onnx.load(path).graph.node]
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(directory) for f in files)
    print(f"{name}: {size} bytes, opset {onnx.load(path).opset_import[0].version}, ops {ops}")


def main():
    make("torch-mlp-flat", nn.Sequential(nn.Linear(784, 24), nn.ReLU(), nn.Linear(24, 16), nn.ReLU(), nn.Linear(16, 10)),
         (784,), True, 1)
    make("torch-mlp-image", nn.Sequential(nn.Flatten(), nn.Linear(784, 20), nn.ReLU(), nn.Linear(20, 10)),
         (1, 28, 28), True, 2)
    make("torch-mlp-legacy", nn.Sequential(nn.Linear(784, 16), nn.Tanh(), nn.Dropout(0.2), nn.Linear(16, 10), nn.Softmax(dim=1)),
         (784,), False, 3)
    make("torch-lstm", RowSequential(nn.LSTM), (28, 28), True, 4)
    make("torch-gru", RowSequential(nn.GRU), (28, 28), True, 5)
    make("torch-gru-legacy", RowSequential(nn.GRU, hidden=16, num_layers=2), (28, 28), False, 6, opset=20)
    make("torch-lstm-hn", FinalStates(), (28, 28), True, 7)
    images = fashion_images(8)
    for name, net, dynamo, seed in [("torch-resnet-small", NarrowResNetSmall, True, 4),
                                    ("torch-convnext-small", NarrowConvNeXtSmall, True, 5),
                                    ("torch-cnn-pools", pools_net, True, 6),
                                    ("torch-cnn-pools-legacy", pools_net, False, 6)]:
        torch.manual_seed(seed)
        model = net()
        randomize(model, seed)
        make(name, model, (1, 28, 28), dynamo, seed, example=images)


if __name__ == "__main__":
    main()
