#!/usr/bin/env python3
"""Makes the PyTorch -> ONNX fixtures of the ONNX format's tests (src/test/resources/fixtures/torch-*).

Each fixture is a small nn.Linear MLP trained for a few steps on random Fashion-MNIST-shaped inputs
(pixels in [0, 1], 10 classes), exported with torch.onnx.export, with 8 inputs and PyTorch's outputs in
the ONNX node-test layout (test_data_set_0/input_0.pb, output_0.pb). The Java test
(TorchFixturesTest) imports model.onnx and must reproduce the outputs to 1e-5.

  torch-mlp-flat      input [N, 784], Linear-ReLU-Linear-ReLU-Linear, dynamo exporter (torch 2.13's default)
  torch-mlp-image     input [N, 1, 28, 28], nn.Flatten first, dynamo exporter
  torch-mlp-legacy    input [N, 784], Linear-Tanh-Dropout-Linear-Softmax, the TorchScript exporter (dynamo=False)

Run from the repository root with the venv that has torch 2.13, onnx and onnxruntime:
  /work/v/bin/python formats/onnx/src/test/python/make_torch_fixtures.py
"""
import os

import numpy as np
import onnx
import onnx.numpy_helper
import torch
from torch import nn

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


def save_tensor(path, array):
    with open(path, "wb") as f:
        f.write(onnx.numpy_helper.from_array(np.ascontiguousarray(array)).SerializeToString())


def make(name, model, image_shape, dynamo, seed):
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
                          dynamic_axes={"pixels": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17)
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


if __name__ == "__main__":
    main()
