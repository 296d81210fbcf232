#!/usr/bin/python3
"""Golden fixtures from PyTorch for the recurrent layers rnn, lstm and gru.

Writes ../resources/golden/recurrent.json in the format of make_golden.py's layers.json: for each case the
Propel type and attributes, an input [batch, T, F], the upstream gradient, the output, the input gradient,
and the parameters and their gradients under PyTorch's state_dict names (weight_ih_l0, weight_hh_l0,
bias_ih_l0, bias_hh_l0, ..._reverse), which are Propel's names too. The modules run with batch_first=True
and a zero initial state; "the last step" of a bidirectional layer is PyTorch's h_n of the top layer:
the forward direction at t = T-1, the backward direction at t = 0.

Run once after changing it, then commit the JSON file:
    v/bin/python plugins/standard/src/test/python/make_golden_recurrent.py
(needs PyTorch 2.13: python3 -m venv v && v/bin/pip install torch==2.13.0+cpu numpy).
"""
import os

import torch

import make_golden
from make_golden import OUT, randn, tensor, write

torch.manual_seed(20261130)

MODULES = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def recurrent_case(name, type_id, batch, steps, features, attributes, nonlinearity=None):
    hidden = attributes["hidden_size"]
    kwargs = dict(input_size=features, hidden_size=hidden, num_layers=attributes.get("num_layers", 1),
                  bias=attributes.get("bias", True), batch_first=True,
                  bidirectional=attributes.get("bidirectional", False))
    if nonlinearity is not None:
        kwargs["nonlinearity"] = nonlinearity
    module = MODULES[type_id](**kwargs)
    x = randn(batch, steps, features).requires_grad_(True)
    out, h_n = module(x)
    if type_id == "lstm":
        h_n = h_n[0]
    if attributes.get("return_sequences", False):
        y = out
    elif kwargs["bidirectional"]:
        y = torch.cat([out[:, -1, :hidden], out[:, 0, hidden:]], dim=-1)
        assert torch.equal(y, torch.cat([h_n[-2], h_n[-1]], dim=-1))
    else:
        y = out[:, -1, :]
        assert torch.equal(y, h_n[-1])
    dy = randn(*y.shape)
    y.backward(dy)
    params = {k: tensor(v) for k, v in module.named_parameters()}
    grads = {k: tensor(v.grad) for k, v in module.named_parameters()}
    return {"name": name, "type": type_id, "attributes": attributes, "input": tensor(x), "upstream": tensor(dy),
            "output": tensor(y), "input_gradient": tensor(x.grad), "parameters": params, "parameter_gradients": grads}


def cases():
    return [
        recurrent_case("rnn_tanh", "rnn", 3, 4, 3, {"hidden_size": 5}),
        recurrent_case("rnn_relu_bidirectional_sequences", "rnn", 2, 5, 3,
                       {"hidden_size": 4, "nonlinearity": "relu", "bidirectional": True, "return_sequences": True},
                       nonlinearity="relu"),
        recurrent_case("rnn_stacked_no_bias", "rnn", 2, 3, 2, {"hidden_size": 3, "num_layers": 2, "bias": False}),
        recurrent_case("lstm", "lstm", 3, 5, 3, {"hidden_size": 4}),
        recurrent_case("lstm_wide", "lstm", 2, 3, 5, {"hidden_size": 17}),
        recurrent_case("lstm_stacked_bidirectional_sequences", "lstm", 2, 4, 3,
                       {"hidden_size": 3, "num_layers": 2, "bidirectional": True, "return_sequences": True}),
        recurrent_case("lstm_bidirectional_last_step", "lstm", 2, 4, 3, {"hidden_size": 5, "bidirectional": True}),
        recurrent_case("gru", "gru", 3, 5, 3, {"hidden_size": 4}),
        recurrent_case("gru_wide_sequences", "gru", 2, 3, 5, {"hidden_size": 17, "return_sequences": True}),
        recurrent_case("gru_stacked_bidirectional_no_bias", "gru", 2, 4, 3,
                       {"hidden_size": 3, "num_layers": 2, "bidirectional": True, "bias": False}),
    ]


if __name__ == "__main__":
    make_golden.header = lambda: {"generator": "plugins/standard/src/test/python/make_golden_recurrent.py",
                                  "torch_version": torch.__version__}
    os.makedirs(OUT, exist_ok=True)
    write("recurrent", cases())
