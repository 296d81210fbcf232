"""The PyTorch side of the cold `propel eval` comparison (docs/benchmarks.md, "Cold eval").

Does what `propel eval MODEL --data sample` does, as a fresh process: load a saved model, read the
bundled sample's 1,000 test examples (pixels / 255), evaluate them, print accuracy and loss.

    # once: a PyTorch copy of a Propel model (dense/relu layers) from its JSON form
    ./propel convert mlp-small.pb mlp-small.json
    /work/v/bin/python tools/bench/reference/torch_eval.py --from-propel mlp-small.json mlp-small.pt
    # timed, cold, as often as wanted (one thread, as `propel eval --threads 1`)
    /work/v/bin/python tools/bench/reference/torch_eval.py mlp-small.pt

The accuracy printed equals `propel eval`'s on the same weights (up to float rounding of the loss),
which shows both sides did the same work.
"""
import argparse
import gzip
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SAMPLE = os.path.join(ROOT, "core/src/main/resources/dev/propel/data/fashion-mnist-sample")


def layers_of(spec):
    """(kind, name) of each layer of a sequential Propel model made of dense and relu layers."""
    if spec.get("graph") and any(len(g.get("inputs", [])) != 1 for g in spec["graph"]):
        sys.exit("torch_eval.py: only sequential models are supported")
    out = []
    for layer in spec["layers"]:
        if layer["type"] not in ("dense", "relu"):
            sys.exit(f"torch_eval.py: layer type {layer['type']!r} is not supported (dense and relu only)")
        if layer["type"] == "dense" and layer.get("activation", "none") not in ("none", "relu"):
            sys.exit(f"torch_eval.py: dense activation {layer['activation']!r} is not supported")
        out.append(layer)
    return out


def build(torch, layers, tensors):
    modules = []
    for layer in layers:
        if layer["type"] == "relu":
            modules.append(torch.nn.ReLU())
            continue
        w = tensors[layer["name"] + ".weight"]  # out x in, as PyTorch stores it
        linear = torch.nn.Linear(w.shape[1], w.shape[0], bias=layer.get("use_bias", True))
        with torch.no_grad():
            linear.weight.copy_(w)
            if linear.bias is not None:
                linear.bias.copy_(tensors[layer["name"] + ".bias"])
        modules.append(linear)
        if layer.get("activation") == "relu":
            modules.append(torch.nn.ReLU())
    return torch.nn.Sequential(*modules)


def convert(torch, json_path, out_path):
    with open(json_path) as f:
        spec = json.load(f)
    tensors = {t["name"]: torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"]) for t in spec["tensors"]}
    model = build(torch, layers_of(spec), tensors)
    torch.save(model, out_path)
    print(f"wrote {out_path}: {model}")


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return f.read()[offset:]


def evaluate(torch, model_path):
    import numpy as np
    model = torch.load(model_path, weights_only=False).eval()
    x = np.frombuffer(read_idx(os.path.join(SAMPLE, "t10k-images-idx3-ubyte.gz"), 16), dtype=np.uint8)
    y = np.frombuffer(read_idx(os.path.join(SAMPLE, "t10k-labels-idx1-ubyte.gz"), 8), dtype=np.uint8)
    x = torch.from_numpy(x.reshape(len(y), 784).astype(np.float32) / 255.0)
    y = torch.from_numpy(y.astype(np.int64))
    with torch.no_grad():
        out = model(x)
        loss = torch.nn.functional.cross_entropy(out, y).item()
        accuracy = (out.argmax(1) == y).float().mean().item()
    print(f"{model_path} on sample (test split, {len(y):,} examples): accuracy {accuracy:.4f}, loss {loss:.4f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", nargs="+", help="MODEL.pt to evaluate, or with --from-propel: FROM.json TO.pt")
    ap.add_argument("--from-propel", action="store_true", help="convert a Propel model's JSON form to MODEL.pt")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    if args.from_propel:
        if len(args.model) != 2:
            sys.exit("torch_eval.py: --from-propel takes FROM.json TO.pt")
        convert(torch, *args.model)
    else:
        evaluate(torch, args.model[0])


if __name__ == "__main__":
    main()
