#!/usr/bin/python3
"""Golden fixtures from PyTorch for the standard plugin's tests.

Writes ../resources/golden/{layers,convolutions,losses,optimizers}.json: forward outputs and gradients of
every standard layer and loss on fixed inputs (convolutions.json: conv2d, max_pool2d and avg_pool2d, NCHW,
drawn from a generator of their own so the other files stay as they were), and the first steps of every
optimizer on a fixed parameter and a fixed gradient sequence. Each case names the Propel type and
attributes it corresponds to.

Run once after changing it, then commit the JSON files:
    v/bin/python plugins/standard/src/test/python/make_golden.py
(needs PyTorch 2.13: python3 -m venv v && v/bin/pip install torch==2.13.0+cpu numpy). Tensors are float32; values are written as the exact
float32 numbers (as doubles) with their shapes.
"""
import json
import os
import re

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")
GEN = torch.Generator().manual_seed(20240611)


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=GEN) * scale).float()


def tensor(x):
    x = x.detach().float()
    return {"shape": list(x.shape), "data": [float(v) for v in x.flatten().tolist()]}


def header():
    return {"generator": "plugins/standard/src/test/python/make_golden.py", "torch_version": torch.__version__}


# ------------------------------------------------------------------------------------------ layers

def activation_case(name, type_id, attributes, fn, x, dy):
    x = x.clone().requires_grad_(True)
    y = fn(x)
    y.backward(dy)
    return {"name": name, "type": type_id, "attributes": attributes, "input": tensor(x), "upstream": tensor(dy),
            "output": tensor(y), "input_gradient": tensor(x.grad), "parameters": {}, "parameter_gradients": {}}


def dense_case(name, use_bias, batch, fan_in, units):
    x = randn(batch, fan_in).requires_grad_(True)
    w = randn(units, fan_in, scale=0.5).requires_grad_(True)
    b = randn(units, scale=0.5).requires_grad_(True) if use_bias else None
    dy = randn(batch, units)
    y = F.linear(x, w, b)
    y.backward(dy)
    params = {"weight": tensor(w)}
    grads = {"weight": tensor(w.grad)}
    if use_bias:
        params["bias"] = tensor(b)
        grads["bias"] = tensor(b.grad)
    return {"name": name, "type": "dense", "attributes": {"units": units, "use_bias": use_bias},
            "input": tensor(x), "upstream": tensor(dy), "output": tensor(y), "input_gradient": tensor(x.grad),
            "parameters": params, "parameter_gradients": grads}


def layers():
    cases = [dense_case("dense", True, 3, 5, 4), dense_case("dense_no_bias", False, 2, 17, 3)]
    x = randn(3, 7, scale=2.0)
    dy = randn(3, 7)
    cases += [
        activation_case("sigmoid", "sigmoid", {}, torch.sigmoid, x, dy),
        activation_case("tanh", "tanh", {}, torch.tanh, x, dy),
        activation_case("relu", "relu", {}, F.relu, x, dy),
        activation_case("leaky_relu", "leaky_relu", {"negative_slope": 0.1},
                        lambda v: F.leaky_relu(v, negative_slope=0.1), x, dy),
        activation_case("leaky_relu_default", "leaky_relu", {}, F.leaky_relu, x, dy),
        activation_case("gelu", "gelu", {}, F.gelu, x, dy),
        activation_case("gelu_tanh", "gelu", {"approximate": "tanh"}, lambda v: F.gelu(v, approximate="tanh"), x, dy),
        activation_case("softmax", "softmax", {}, lambda v: F.softmax(v, dim=-1), x, dy),
        activation_case("softmax_rank3", "softmax", {}, lambda v: F.softmax(v, dim=-1),
                        randn(2, 3, 5, scale=3.0), randn(2, 3, 5)),
    ]
    return cases


def multi_input_case(name, type_id, attributes, fn, xs, dy):
    """A layer reading several inputs: "inputs" and "input_gradients" are lists, in input order."""
    xs = [x.clone().requires_grad_(True) for x in xs]
    y = fn(*xs)
    y.backward(dy)
    return {"name": name, "type": type_id, "attributes": attributes, "inputs": [tensor(x) for x in xs],
            "upstream": tensor(dy), "output": tensor(y), "input_gradients": [tensor(x.grad) for x in xs],
            "parameters": {}, "parameter_gradients": {}}


def graph_layers():
    """The structural layers of graph models: add, concat (torch.cat, axis counting the batch), flatten, reshape."""
    a, b, c = randn(3, 5), randn(3, 5), randn(3, 5)
    return [
        multi_input_case("add", "add", {}, lambda u, v: u + v, [a, b], randn(3, 5)),
        multi_input_case("add_three", "add", {}, lambda u, v, w: u + v + w, [a, b, c], randn(3, 5)),
        multi_input_case("concat_features", "concat", {}, lambda u, v: torch.cat([u, v], dim=-1),
                         [randn(2, 3), randn(2, 4)], randn(2, 7)),
        multi_input_case("concat_channels", "concat", {"axis": 1}, lambda u, v: torch.cat([u, v], dim=1),
                         [randn(2, 2, 3, 2), randn(2, 1, 3, 2)], randn(2, 3, 3, 2)),
        multi_input_case("concat_last_of_rank3", "concat", {"axis": -1}, lambda u, v, w: torch.cat([u, v, w], dim=-1),
                         [randn(2, 2, 3), randn(2, 2, 1), randn(2, 2, 2)], randn(2, 2, 6)),
        activation_case("flatten", "flatten", {}, torch.nn.Flatten(), randn(2, 3, 4), randn(2, 12)),
        activation_case("reshape", "reshape", {"shape": [3, -1]}, lambda v: v.reshape(2, 3, 4), randn(2, 12),
                        randn(2, 3, 4)),
    ]


# ------------------------------------------------------------------------------------------ normalization (issue 12)
# Its own generator, so the fixtures above keep their values.
NORM_GEN = torch.Generator().manual_seed(20261130)


def nrandn(*shape, scale=1.0, shift=0.0):
    return (torch.randn(*shape, generator=NORM_GEN) * scale + shift).float()


def module_case(name, type_id, attributes, module, x, dy, parameters, state=None, absolute_tolerance=None):
    """A layer as a torch.nn module in training mode: forward, autograd backward; for a module with running
    statistics also the state after the training step ("state_after") and the output of an inference pass
    (module.eval()) on the same input with that state ("inference_output")."""
    with torch.no_grad():
        for key, value in parameters.items():
            getattr(module, key).copy_(value)
        for key, value in (state or {}).items():
            getattr(module, key).copy_(value)
    module.train()
    x = x.clone().requires_grad_(True)
    y = module(x)
    y.backward(dy)
    case = {"name": name, "type": type_id, "attributes": attributes, "input": tensor(x), "upstream": tensor(dy),
            "output": tensor(y), "input_gradient": tensor(x.grad),
            "parameters": {k: tensor(getattr(module, k)) for k in parameters},
            "parameter_gradients": {k: tensor(getattr(module, k).grad) for k in parameters}}
    if state is not None:
        case["state"] = {k: tensor(v) for k, v in state.items()}
        case["state_after"] = {k: tensor(getattr(module, k)) for k in state}
        module.eval()
        with torch.no_grad():
            case["inference_output"] = tensor(module(x))
    if absolute_tolerance is not None:
        case["absolute_tolerance"] = absolute_tolerance
    return case


def batch_norm_case(name, attributes, x, momentum=0.1, eps=1e-5, affine=True):
    channels = x.shape[1]
    cls = torch.nn.BatchNorm2d if x.dim() == 4 else torch.nn.BatchNorm1d
    module = cls(channels, eps=eps, momentum=momentum, affine=affine)
    parameters = {"weight": nrandn(channels, scale=0.5, shift=1.0), "bias": nrandn(channels, scale=0.5)} if affine else {}
    state = {"running_mean": nrandn(channels, scale=0.3), "running_var": nrandn(channels, scale=0.2).abs() + 0.5,
             "num_batches_tracked": torch.tensor(3.0)}
    # num_batches_tracked is int64 in PyTorch; Propel keeps it as a float [1].
    module.num_batches_tracked.fill_(3)
    case = module_case(name, "batch_norm", attributes, module, x, nrandn(*x.shape), parameters,
                       {k: v for k, v in state.items() if k != "num_batches_tracked"}, absolute_tolerance=5e-6)
    case["state"]["num_batches_tracked"] = {"shape": [1], "data": [3.0]}
    case["state_after"]["num_batches_tracked"] = {"shape": [1], "data": [float(module.num_batches_tracked.item())]}
    return case


class ChannelsLayerNorm(torch.nn.Module):
    """torch.nn.LayerNorm over the (batch-counted) dims `dims`: moved last, normalized, moved back."""

    def __init__(self, dims, shape, eps, affine):
        super().__init__()
        self.dims = dims
        self.norm = torch.nn.LayerNorm([shape[d] for d in dims], eps=eps, elementwise_affine=affine)
        self.weight = self.norm.weight
        self.bias = self.norm.bias

    def forward(self, x):
        rest = [d for d in range(x.dim()) if d not in self.dims]
        order = rest + list(self.dims)
        inverse = [order.index(d) for d in range(x.dim())]
        return self.norm(x.permute(*order)).permute(*inverse)


def layer_norm_case(name, attributes, x, dims, eps=1e-5, affine=True):
    module = ChannelsLayerNorm(dims, list(x.shape), eps, affine)
    parameters = {}
    if affine:
        shape = [x.shape[d] for d in dims]
        parameters = {"weight": nrandn(*shape, scale=0.5, shift=1.0), "bias": nrandn(*shape, scale=0.5)}
    return module_case(name, "layer_norm", attributes, module, x, nrandn(*x.shape), parameters, absolute_tolerance=2e-6)


class LayerScale(torch.nn.Module):
    """ConvNeXt's layer scale on NCHW (or [N, C]) data: gamma[c] times channel c."""

    def __init__(self, channels, init):
        super().__init__()
        self.gamma = torch.nn.Parameter(torch.full((channels,), init))

    def forward(self, x):
        return x * self.gamma.view(1, -1, *([1] * (x.dim() - 2)))


def norm_layers():
    return [
        batch_norm_case("batch_norm_2d", {}, nrandn(4, 3, 5, 6, scale=2.0, shift=1.0)),
        batch_norm_case("batch_norm_1d", {"momentum": 0.3}, nrandn(6, 5, scale=0.5, shift=-2.0), momentum=0.3),
        batch_norm_case("batch_norm_1d_length_no_affine", {"affine": False, "eps": 1e-3}, nrandn(3, 2, 7, scale=3.0),
                        eps=1e-3, affine=False),
        layer_norm_case("layer_norm_last_axis", {}, nrandn(3, 7, scale=2.0, shift=1.0), [1]),
        layer_norm_case("layer_norm_channels_of_nchw", {"axes": [0], "eps": 1e-6}, nrandn(2, 4, 3, 5, scale=2.0), [1],
                        eps=1e-6),
        layer_norm_case("layer_norm_last_two_axes", {"axes": [-2, -1]}, nrandn(2, 3, 4, 5), [2, 3]),
        layer_norm_case("layer_norm_first_two_of_three", {"axes": [0, 1]}, nrandn(2, 3, 4, 5, shift=0.5), [1, 2]),
        layer_norm_case("layer_norm_channels_no_affine", {"axes": [0], "elementwise_affine": False},
                        nrandn(2, 3, 2, 2, scale=3.0), [1], affine=False),
        module_case("layer_scale_nchw", "layer_scale", {"init": 0.5}, LayerScale(4, 0.5), nrandn(2, 4, 3, 3),
                    nrandn(2, 4, 3, 3), {"gamma": nrandn(4)}),
        module_case("layer_scale_vector", "layer_scale", {}, LayerScale(5, 1e-6), nrandn(3, 5), nrandn(3, 5),
                    {"gamma": nrandn(5)}),
        activation_case("global_avg_pool", "global_avg_pool", {},
                        lambda v: torch.nn.functional.adaptive_avg_pool2d(v, 1).flatten(1), nrandn(2, 3, 4, 5), nrandn(2, 3)),
    ]


# ------------------------------------------------------------------------------------------ losses

def loss_case(name, type_id, attributes, fn, p, t):
    p = p.clone().requires_grad_(True)
    loss = fn(p, t)
    loss.backward()
    return {"name": name, "type": type_id, "attributes": attributes, "predictions": tensor(p), "targets": tensor(t),
            "loss": float(loss.item()), "gradient": tensor(p.grad)}


def losses():
    one_hot = F.one_hot(torch.tensor([2, 0, 4, 1]), 5).float()
    probs = F.softmax(randn(4, 5), dim=-1)
    big = torch.tensor([[100.0, -100.0, 50.0], [-80.0, 90.0, 89.0]])
    big_t = torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    bce_p = torch.sigmoid(randn(4, 3, scale=2.0))
    bce_t = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.3, 0.7, 0.5]])
    return [
        loss_case("mse", "mse", {}, F.mse_loss, randn(4, 5), randn(4, 5)),
        loss_case("cross_entropy_one_hot", "cross_entropy", {}, F.cross_entropy, randn(4, 5, scale=3.0), one_hot),
        loss_case("cross_entropy_probabilities", "cross_entropy", {}, F.cross_entropy, randn(4, 5, scale=2.0), probs),
        loss_case("cross_entropy_label_smoothing", "cross_entropy", {"label_smoothing": 0.1},
                  lambda p, t: F.cross_entropy(p, t, label_smoothing=0.1), randn(4, 5, scale=2.0), one_hot),
        loss_case("cross_entropy_large_logits", "cross_entropy", {}, F.cross_entropy, big, big_t),
        loss_case("binary_cross_entropy", "binary_cross_entropy", {}, F.binary_cross_entropy, bce_p, bce_t),
        loss_case("binary_cross_entropy_from_logits", "binary_cross_entropy", {"from_logits": True},
                  F.binary_cross_entropy_with_logits, randn(4, 3, scale=3.0), bce_t),
    ]


# ------------------------------------------------------------------------------------------ optimizers

STEPS = 5


def optimizer_case(name, type_id, attributes, make, w0, grads):
    w = w0.clone().requires_grad_(True)
    opt = make([w])
    after = []
    for g in grads:
        w.grad = g.clone()
        opt.step()
        after.append(tensor(w))
    return {"name": name, "type": type_id, "attributes": attributes, "initial": tensor(w0),
            "gradients": [tensor(g) for g in grads], "after_step": after}


def optimizers():
    w0 = randn(2, 3)
    grads = [randn(2, 3) for _ in range(STEPS)]
    o = torch.optim
    return [
        optimizer_case("sgd", "sgd", {"learning_rate": 0.1}, lambda p: o.SGD(p, lr=0.1), w0, grads),
        optimizer_case("sgd_weight_decay", "sgd", {"learning_rate": 0.1, "weight_decay": 0.05},
                       lambda p: o.SGD(p, lr=0.1, weight_decay=0.05), w0, grads),
        optimizer_case("momentum", "momentum", {"learning_rate": 0.1, "momentum": 0.9},
                       lambda p: o.SGD(p, lr=0.1, momentum=0.9), w0, grads),
        optimizer_case("momentum_nesterov_weight_decay", "momentum",
                       {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01},
                       lambda p: o.SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01), w0, grads),
        optimizer_case("rmsprop", "rmsprop", {"learning_rate": 0.01},
                       lambda p: o.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8, foreach=False), w0, grads),
        optimizer_case("rmsprop_weight_decay", "rmsprop",
                       {"learning_rate": 0.01, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.1},
                       lambda p: o.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.1, foreach=False), w0, grads),
        optimizer_case("adagrad", "adagrad", {"learning_rate": 0.1},
                       lambda p: o.Adagrad(p, lr=0.1, eps=1e-10, foreach=False), w0, grads),
        optimizer_case("adagrad_weight_decay", "adagrad", {"learning_rate": 0.1, "weight_decay": 0.1},
                       lambda p: o.Adagrad(p, lr=0.1, eps=1e-10, weight_decay=0.1, foreach=False), w0, grads),
        optimizer_case("adam", "adam", {"learning_rate": 0.01},
                       lambda p: o.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8, foreach=False), w0, grads),
        optimizer_case("adam_defaults", "adam", {},
                       lambda p: o.Adam(p, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, foreach=False), w0, grads),
        optimizer_case("adam_weight_decay", "adam",
                       {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "weight_decay": 0.1},
                       lambda p: o.Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1, foreach=False), w0, grads),
        optimizer_case("adamw_weight_decay", "adamw", {"learning_rate": 0.01, "weight_decay": 0.1},
                       lambda p: o.AdamW(p, lr=0.01, weight_decay=0.1, foreach=False), w0, grads),
        optimizer_case("adamw_defaults", "adamw", {},
                       lambda p: o.AdamW(p, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, foreach=False),
                       w0, grads),
    ]


# ------------------------------------------------------------------------------------------ convolutions

CONV_GEN = torch.Generator().manual_seed(20261130)


def conv_randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=CONV_GEN) * scale).float()


def torch_padding(padding):
    return padding if isinstance(padding, str) else (tuple(padding) if isinstance(padding, list) else padding)


def pair(v):
    return tuple(v) if isinstance(v, list) else v


def conv_case(name, input_shape, attributes):
    """A conv2d case; attributes as Propel spells them (PyTorch's Conv2d takes the same names and values)."""
    a = dict(attributes)
    in_channels = input_shape[1]
    groups = a.get("groups", 1)
    bias = a.get("bias", True)
    k = a["kernel_size"]
    kh, kw = (k, k) if isinstance(k, int) else k
    conv = torch.nn.Conv2d(in_channels, a["out_channels"], pair(k), stride=pair(a.get("stride", 1)),
                           padding=torch_padding(a.get("padding", 0)), dilation=pair(a.get("dilation", 1)),
                           groups=groups, bias=bias)
    with torch.no_grad():
        conv.weight.copy_(conv_randn(a["out_channels"], in_channels // groups, kh, kw, scale=0.5))
        if bias:
            conv.bias.copy_(conv_randn(a["out_channels"], scale=0.5))
    x = conv_randn(*input_shape).requires_grad_(True)
    y = conv(x)
    dy = conv_randn(*y.shape)
    y.backward(dy)
    params = {"weight": tensor(conv.weight)}
    grads = {"weight": tensor(conv.weight.grad)}
    if bias:
        params["bias"] = tensor(conv.bias)
        grads["bias"] = tensor(conv.bias.grad)
    return {"name": name, "type": "conv2d", "attributes": attributes, "input": tensor(x), "upstream": tensor(dy),
            "output": tensor(y), "input_gradient": tensor(x.grad), "parameters": params, "parameter_gradients": grads}


def pool_case(name, type_id, input_shape, attributes):
    k = pair(attributes["kernel_size"])
    stride = pair(attributes.get("stride", attributes["kernel_size"]))
    padding = pair(attributes.get("padding", 0))
    pool = (torch.nn.MaxPool2d(k, stride=stride, padding=padding) if type_id == "max_pool2d"
            else torch.nn.AvgPool2d(k, stride=stride, padding=padding, count_include_pad=True))
    x = conv_randn(*input_shape).requires_grad_(True)
    y = pool(x)
    dy = conv_randn(*y.shape)
    y.backward(dy)
    return {"name": name, "type": type_id, "attributes": attributes, "input": tensor(x), "upstream": tensor(dy),
            "output": tensor(y), "input_gradient": tensor(x.grad), "parameters": {}, "parameter_gradients": {}}


def convolutions():
    return [
        conv_case("conv2d_stride2_padding", [2, 3, 7, 6],
                  {"out_channels": 4, "kernel_size": [3, 2], "stride": 2, "padding": [1, 0]}),
        conv_case("conv2d_dilation2_same_groups2_no_bias", [2, 4, 7, 8],
                  {"out_channels": 6, "kernel_size": 3, "dilation": 2, "padding": "same", "groups": 2, "bias": False}),
        conv_case("conv2d_same_even_kernel", [1, 2, 5, 6], {"out_channels": 3, "kernel_size": [2, 4], "padding": "same"}),
        conv_case("conv2d_pointwise", [3, 5, 4, 4], {"out_channels": 7, "kernel_size": 1}),
        conv_case("conv2d_depthwise_7x7", [2, 3, 9, 8], {"out_channels": 3, "kernel_size": 7, "padding": 3, "groups": 3}),
        conv_case("conv2d_depthwise_strided_dilated", [2, 3, 7, 6],
                  {"out_channels": 3, "kernel_size": [3, 2], "stride": [2, 1], "dilation": [1, 2], "groups": 3,
                   "bias": False}),
        conv_case("conv2d_depthwise_multiplier2", [2, 2, 5, 5],
                  {"out_channels": 4, "kernel_size": 3, "groups": 2, "padding": "valid"}),
        pool_case("max_pool2d", "max_pool2d", [2, 3, 6, 5], {"kernel_size": 2}),
        pool_case("max_pool2d_strided_padded", "max_pool2d", [2, 3, 7, 6],
                  {"kernel_size": [3, 2], "stride": 2, "padding": 1}),
        pool_case("avg_pool2d", "avg_pool2d", [2, 3, 6, 5], {"kernel_size": 2}),
        pool_case("avg_pool2d_strided_padded", "avg_pool2d", [2, 3, 7, 6],
                  {"kernel_size": [3, 2], "stride": [2, 1], "padding": 1}),
    ]


def write(name, cases):
    doc = header()
    doc["cases"] = cases
    path = os.path.join(OUT, name + ".json")
    text = json.dumps(doc, indent=1)
    # One line per list of numbers keeps the files short and diffable.
    text = re.sub(r"\[\s*([-+0-9.eE,\s]+?)\s*\]", lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")
    print("wrote", os.path.normpath(path), len(cases), "cases")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("layers", layers() + graph_layers() + norm_layers())
    write("convolutions", convolutions())
    write("losses", losses())
    write("optimizers", optimizers())
