#!/usr/bin/python3
"""Golden fixtures from PyTorch for the example plugin's example_layer_norm, focal and lion.

Writes ../resources/golden/{layers,losses,optimizers}.json in the format of the standard plugin's
make_golden.py: each case names the Propel type and attributes it corresponds to, and tensors are
{"shape": [..], "data": [..]} with the exact float32 values (as doubles).

- example_layer_norm: torch.nn.LayerNorm(normalized_shape=last dim), forward and autograd backward.
- focal: the multi-class focal loss (Lin et al. 2017) written with torch ops, gradient by autograd;
  with gamma = 0 the expected numbers come from F.cross_entropy itself.
- lion: PyTorch has no Lion, so the update of Chen et al. 2023 ("Symbolic Discovery of Optimization
  Algorithms", Algorithm 2: Lion) is written in torch ops, for several steps.

Run once after changing it, then commit the JSON files:
    v/bin/python plugins/example/src/test/python/make_golden.py
(needs PyTorch 2.13: python3 -m venv v && v/bin/pip install torch==2.13.0+cpu numpy).
"""
import json
import os
import re

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")
GEN = torch.Generator().manual_seed(20261130)


def randn(*shape, scale=1.0, shift=0.0):
    return (torch.randn(*shape, generator=GEN) * scale + shift).float()


def tensor(x):
    x = x.detach().float()
    return {"shape": list(x.shape), "data": [float(v) for v in x.flatten().tolist()]}


def header():
    return {"generator": "plugins/example/src/test/python/make_golden.py", "torch_version": torch.__version__}


# ------------------------------------------------------------------------------------------ example_layer_norm

def layer_norm_case(name, attributes, x, dy, eps=1e-5, affine=True, absolute_tolerance=None):
    norm = torch.nn.LayerNorm(x.shape[-1], eps=eps, elementwise_affine=affine)
    params, grads = {}, {}
    if affine:
        with torch.no_grad():  # not the initial 1 and 0, so that the gain and bias are really used
            norm.weight.copy_(randn(x.shape[-1], scale=0.5, shift=1.0))
            norm.bias.copy_(randn(x.shape[-1], scale=0.5))
    x = x.clone().requires_grad_(True)
    y = norm(x)
    y.backward(dy)
    if affine:
        params = {"weight": tensor(norm.weight), "bias": tensor(norm.bias)}
        grads = {"weight": tensor(norm.weight.grad), "bias": tensor(norm.bias.grad)}
    case = {"name": name, "type": "example_layer_norm", "attributes": attributes, "input": tensor(x), "upstream": tensor(dy),
            "output": tensor(y), "input_gradient": tensor(x.grad), "parameters": params, "parameter_gradients": grads}
    if absolute_tolerance is not None:
        case["absolute_tolerance"] = absolute_tolerance
    return case


def layers():
    return [
        layer_norm_case("example_layer_norm", {}, randn(3, 7, scale=2.0, shift=1.0), randn(3, 7)),
        layer_norm_case("layer_norm_rank3_eps", {"eps": 1e-3}, randn(2, 3, 5), randn(2, 3, 5), eps=1e-3),
        layer_norm_case("layer_norm_no_affine", {"elementwise_affine": False}, randn(4, 6, scale=3.0), randn(4, 6),
                        affine=False),
        # Rows whose mean is 8 standard deviations from 0: x - mean loses about 3 bits in float32 whatever the
        # order of summation (PyTorch's and Propel's differ), so this case gets an absolute tolerance of 1e-5.
        layer_norm_case("layer_norm_offset_rows", {}, randn(2, 17, scale=0.5, shift=4.0), randn(2, 17),
                        absolute_tolerance=1e-5),
    ]


# ------------------------------------------------------------------------------------------ focal

def focal_loss(z, t, gamma, alpha):
    """-alpha * sum_c t_c (1 - p_c)^gamma log p_c per row, averaged over the rows."""
    log_p = F.log_softmax(z, dim=-1)
    p = log_p.exp()
    return (-alpha * t * (1 - p) ** gamma * log_p).sum(dim=-1).mean()


def loss_case(name, attributes, fn, p, t):
    p = p.clone().requires_grad_(True)
    loss = fn(p, t)
    loss.backward()
    return {"name": name, "type": "focal", "attributes": attributes, "predictions": tensor(p), "targets": tensor(t),
            "loss": float(loss.item()), "gradient": tensor(p.grad)}


def losses():
    one_hot = F.one_hot(torch.tensor([2, 0, 4, 1, 3]), 5).float()
    probs = F.softmax(randn(5, 5), dim=-1)
    logits = randn(5, 5, scale=2.0)
    # gamma = 0, alpha = 1 must be cross-entropy: check the torch focal against it, then use F.cross_entropy's numbers.
    z = randn(5, 5, scale=3.0)
    assert torch.allclose(focal_loss(z, one_hot, 0.0, 1.0), F.cross_entropy(z, one_hot), rtol=1e-6, atol=0)
    return [
        loss_case("focal_one_hot", {}, lambda p, t: focal_loss(p, t, 2.0, 1.0), logits, one_hot),
        loss_case("focal_probabilities_alpha", {"alpha": 0.25}, lambda p, t: focal_loss(p, t, 2.0, 0.25), logits, probs),
        loss_case("focal_gamma_half", {"gamma": 0.5}, lambda p, t: focal_loss(p, t, 0.5, 1.0), randn(5, 5, scale=3.0),
                  one_hot),
        loss_case("focal_gamma_5_rank3", {"gamma": 5.0}, lambda p, t: focal_loss(p, t, 5.0, 1.0), randn(2, 3, 4),
                  F.softmax(randn(2, 3, 4), dim=-1)),
        loss_case("focal_gamma_zero_is_cross_entropy", {"gamma": 0.0}, F.cross_entropy, z, one_hot),
        loss_case("focal_gamma_zero_is_cross_entropy_probabilities", {"gamma": 0.0}, F.cross_entropy, logits, probs),
    ]


# ------------------------------------------------------------------------------------------ lion

STEPS = 6


def lion_case(name, attributes, lr, beta1, beta2, weight_decay, w0, grads):
    """Chen et al. 2023, Algorithm 2 (Lion), with decoupled weight decay, in torch ops."""
    w = w0.clone()
    m = torch.zeros_like(w)
    after = []
    for g in grads:
        c = m * beta1 + g * (1 - beta1)                 # interpolation for the update
        # Float rounding must not be able to flip a sign between PyTorch and Propel.
        assert c.abs().min() > 1e-4, name + ": a direction is too close to 0 for sign() to be compared"
        w = w * (1 - lr * weight_decay)                 # decoupled weight decay
        w = w - lr * torch.sign(c)                      # sign update
        m = m * beta2 + g * (1 - beta2)                 # momentum with the second beta
        after.append(tensor(w))
    return {"name": name, "type": "lion", "attributes": attributes, "initial": tensor(w0),
            "gradients": [tensor(g) for g in grads], "after_step": after}


def optimizers():
    w0 = randn(3, 5)
    # The gradients change sign within the run, so that the momentum, not only g, decides some signs.
    grads = [randn(3, 5) for _ in range(STEPS)]
    return [
        lion_case("lion_defaults", {}, 1e-4, 0.9, 0.99, 0.0, w0, grads),
        lion_case("lion", {"learning_rate": 0.01}, 0.01, 0.9, 0.99, 0.0, w0, grads),
        lion_case("lion_betas_weight_decay", {"learning_rate": 0.003, "beta1": 0.95, "beta2": 0.98, "weight_decay": 0.5},
                  0.003, 0.95, 0.98, 0.5, w0, grads),
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
    write("layers", layers())
    write("losses", losses())
    write("optimizers", optimizers())
