#!/usr/bin/python3
"""Golden fixtures from PyTorch for the sequence features of the standard plugin.

Writes, in the format of make_golden.py's files:
  ../resources/golden/sequence.json        layers: dense over the last axis of [B, T, F] (nn.Linear), embedding
      (nn.Embedding, with and without padding_idx), rnn/lstm/gru with a lengths input (pack_padded_sequence /
      pad_packed_sequence, enforce_sorted=False), and truncated BPTT (the state detached every K steps);
  ../resources/golden/sequence_losses.json sequence_cross_entropy: nn.CrossEntropyLoss(ignore_index=-100) on the
      [B*T, C] logits; the targets are written as Propel holds them, one-hot per step and an all-zero row for -100.

Run once after changing it, then commit the JSON files:
    v/bin/python plugins/standard/src/test/python/make_golden_sequence.py
(needs PyTorch 2.13: python3 -m venv v && v/bin/pip install torch==2.13.0+cpu numpy).
"""
import os

import torch
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import make_golden
from make_golden import OUT, randn, tensor, write

torch.manual_seed(20261201)

MODULES = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def module_parameters(module):
    return ({k: tensor(v) for k, v in module.named_parameters()},
            {k: tensor(v.grad) for k, v in module.named_parameters()})


def dense_case(name, shape, units, bias=True):
    x = randn(*shape).requires_grad_(True)
    linear = torch.nn.Linear(shape[-1], units, bias=bias)
    y = linear(x)
    dy = randn(*y.shape)
    y.backward(dy)
    params, grads = module_parameters(linear)
    return {"name": name, "type": "dense", "attributes": {"units": units, "use_bias": bias}, "input": tensor(x),
            "upstream": tensor(dy), "output": tensor(y), "input_gradient": tensor(x.grad), "parameters": params,
            "parameter_gradients": grads}


def embedding_case(name, batch, steps, tokens, dim, padding_idx=None):
    ids = torch.randint(0, tokens, (batch, steps))
    if padding_idx is not None:
        ids[:, -2:] = padding_idx
    emb = torch.nn.Embedding(tokens, dim, padding_idx=padding_idx)
    y = emb(ids)
    dy = randn(*y.shape)
    y.backward(dy)
    params, grads = module_parameters(emb)
    attributes = {"num_embeddings": tokens, "embedding_dim": dim}
    if padding_idx is not None:
        attributes["padding_idx"] = padding_idx
    return {"name": name, "type": "embedding", "attributes": attributes, "input": tensor(ids.float()),
            "upstream": tensor(dy), "output": tensor(y), "input_gradient": tensor(torch.zeros(batch, steps)),
            "parameters": params, "parameter_gradients": grads}


def make_module(type_id, features, attributes):
    kwargs = dict(input_size=features, hidden_size=attributes["hidden_size"], num_layers=attributes.get("num_layers", 1),
                  bias=attributes.get("bias", True), batch_first=True, bidirectional=attributes.get("bidirectional", False))
    if type_id == "rnn":
        kwargs["nonlinearity"] = attributes.get("nonlinearity", "tanh")
    return MODULES[type_id](**kwargs)


def lengths_case(name, type_id, lengths, features, attributes):
    """A padded batch with per-sequence lengths; the padding holds random values that must not matter."""
    batch, steps, hidden = len(lengths), max(lengths) + 1, attributes["hidden_size"]
    module = make_module(type_id, features, attributes)
    x = randn(batch, steps, features).requires_grad_(True)
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    out, h_n = module(packed)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=steps)
    if type_id == "lstm":
        h_n = h_n[0]
    if attributes.get("return_sequences", False):
        y = out
    elif attributes.get("bidirectional", False):
        y = torch.cat([h_n[-2], h_n[-1]], dim=-1)
    else:
        y = h_n[-1]
    dy = randn(*y.shape)
    y.backward(dy)
    params, grads = module_parameters(module)
    lengths_tensor = torch.tensor(lengths, dtype=torch.float32).reshape(batch, 1)
    return {"name": name, "type": type_id, "attributes": attributes,
            "inputs": [tensor(x), tensor(lengths_tensor)], "upstream": tensor(dy), "output": tensor(y),
            "input_gradients": [tensor(x.grad), tensor(torch.zeros(batch, 1))],
            "parameters": params, "parameter_gradients": grads}


def truncated_case(name, type_id, batch, steps, features, attributes):
    """Truncated BPTT as PyTorch users write it: run chunks of K steps, detaching the state in between."""
    k = attributes["bptt_steps"]
    module = make_module(type_id, features, attributes)
    x = randn(batch, steps, features).requires_grad_(True)
    state, outs = None, []
    for start in range(0, steps, k):
        if state is not None:
            state = tuple(s.detach() for s in state) if type_id == "lstm" else state.detach()
        out, state = module(x[:, start:start + k], state)
        outs.append(out)
    out = torch.cat(outs, dim=1)
    y = out if attributes.get("return_sequences", False) else out[:, -1, :]
    dy = randn(*y.shape)
    y.backward(dy)
    params, grads = module_parameters(module)
    return {"name": name, "type": type_id, "attributes": attributes, "input": tensor(x), "upstream": tensor(dy),
            "output": tensor(y), "input_gradient": tensor(x.grad), "parameters": params, "parameter_gradients": grads}


def layer_cases():
    return [
        dense_case("dense_over_last_axis", [2, 3, 4], 5),
        dense_case("dense_over_last_axis_rank3_no_bias", [2, 2, 3, 4], 3, bias=False),
        embedding_case("embedding", 3, 5, 7, 4),
        embedding_case("embedding_padding_idx", 3, 6, 9, 3, padding_idx=0),
        lengths_case("lstm_lengths_sequences", "lstm", [4, 2, 1], 3, {"hidden_size": 4, "return_sequences": True}),
        lengths_case("lstm_lengths_stacked_bidirectional_last", "lstm", [3, 5, 1, 2], 3,
                     {"hidden_size": 3, "num_layers": 2, "bidirectional": True}),
        lengths_case("lstm_lengths_bidirectional_sequences", "lstm", [2, 4, 3], 2,
                     {"hidden_size": 5, "bidirectional": True, "return_sequences": True}),
        lengths_case("gru_lengths_last", "gru", [4, 1, 3], 3, {"hidden_size": 4}),
        lengths_case("gru_lengths_stacked_bidirectional_sequences", "gru", [2, 5, 3], 3,
                     {"hidden_size": 3, "num_layers": 2, "bidirectional": True, "return_sequences": True}),
        lengths_case("rnn_lengths_bidirectional_last", "rnn", [3, 1, 4], 2, {"hidden_size": 4, "bidirectional": True}),
        truncated_case("lstm_bptt_3_sequences", "lstm", 2, 8, 3, {"hidden_size": 4, "return_sequences": True, "bptt_steps": 3}),
        truncated_case("lstm_bptt_2_stacked_last", "lstm", 2, 7, 3, {"hidden_size": 3, "num_layers": 2, "bptt_steps": 2}),
        truncated_case("gru_bptt_3_sequences", "gru", 2, 7, 3, {"hidden_size": 4, "return_sequences": True, "bptt_steps": 3}),
        truncated_case("rnn_bptt_4_last", "rnn", 3, 9, 2, {"hidden_size": 5, "bptt_steps": 4}),
    ]


def sequence_ce_case(name, batch, steps, classes, ignored):
    logits = randn(batch, steps, classes).requires_grad_(True)
    idx = torch.randint(0, classes, (batch, steps))
    for b, t in ignored:
        idx[b, t] = -100
    loss = F.cross_entropy(logits.reshape(-1, classes), idx.reshape(-1), ignore_index=-100)
    loss.backward()
    one_hot = torch.zeros(batch, steps, classes)
    for b in range(batch):
        for t in range(steps):
            if idx[b, t] >= 0:
                one_hot[b, t, idx[b, t]] = 1.0
    return {"name": name, "type": "sequence_cross_entropy", "attributes": {}, "predictions": tensor(logits),
            "targets": tensor(one_hot), "loss": float(loss.detach()), "gradient": tensor(logits.grad)}


def loss_cases():
    return [
        sequence_ce_case("sequence_cross_entropy", 2, 4, 5, []),
        sequence_ce_case("sequence_cross_entropy_ignore_index", 3, 5, 4, [(0, 4), (0, 3), (1, 4), (2, 1)]),
    ]


if __name__ == "__main__":
    make_golden.header = lambda: {"generator": "plugins/standard/src/test/python/make_golden_sequence.py",
                                  "torch_version": torch.__version__}
    os.makedirs(OUT, exist_ok=True)
    write("sequence", layer_cases())
    write("sequence_losses", loss_cases())
