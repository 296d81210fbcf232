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

Run from the repository root with the venv that has torch 2.13, onnx and onnxruntime (names: only those):
  /work/v/bin/python formats/onnx/src/test/python/make_torch_fixtures.py [torch-lstm ...]
"""
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import torch
from torch import nn

ONLY = sys.argv[1:]  # fixture names to make; all when none are given
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures")


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


def make(name, model, image_shape, dynamo, seed, opset=17):
    if ONLY and name not in ONLY:
        return
    train(model, image_shape, seed)
    directory = os.path.join(OUT, name)
    os.makedirs(os.path.join(directory, "test_data_set_0"), exist_ok=True)
    path = os.path.join(directory, "model.onnx")
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
    print(f"{name}: opset {onnx.load(path).opset_import[0].version}, ops {ops}")


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


if __name__ == "__main__":
    main()
