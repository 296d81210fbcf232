#!/usr/bin/env python3
"""Draws test-loss learning curves from `propel train --json` outputs as one SVG chart (standard library only).

Usage:
  python3 tools/bench/charts/learning_curves.py --title "Adding problem, T = 100" --out docs/adding-100.svg \
      --baseline 0.1667 LSTM=lstm.json GRU=gru.json RNN=rnn.json

Each NAME=FILE is one curve: the file's "epochs"[i]["test_loss"] against the epoch number. The y axis is
logarithmic (the adding problem's interesting range spans 1e-4 to 0.2); --baseline draws a dashed line
(e.g. the MSE of always predicting the mean).
"""
import argparse
import json
import math
import os
import tempfile

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
W, H, LEFT, RIGHT, TOP, BOTTOM = 720, 380, 70, 210, 40, 50


def read_curve(path):
    with open(path) as f:
        run = json.load(f)
    epochs = run.get("epochs") or []
    if not epochs:
        raise SystemExit(f"{path}: no 'epochs' in this file; give the standard output of 'propel train --json'")
    return [(e["epoch"], e["test_loss"]) for e in epochs if e.get("test_loss") is not None]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--title", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--baseline", type=float)
    p.add_argument("--ylabel", default="test MSE (log scale)")
    p.add_argument("curves", nargs="+", help="NAME=FILE")
    a = p.parse_args()
    curves = []
    for spec in a.curves:
        if "=" not in spec:
            raise SystemExit(f"'{spec}': write NAME=FILE, e.g. LSTM=lstm.json")
        name, path = spec.split("=", 1)
        if os.path.exists(a.out) and os.path.samefile(path, a.out):
            raise SystemExit(f"--out {a.out} is the input {path}; write the chart to another file")
        curves.append((name, read_curve(path)))
    values = [v for _, c in curves for _, v in c if v > 0] + ([a.baseline] if a.baseline else [])
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    last = max(e for _, c in curves for e, _ in c)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(epoch):
        return LEFT + pw * (epoch - 1) / max(last - 1, 1)

    def y(v):
        return TOP + ph * (math.log10(hi) - math.log10(max(v, lo))) / (math.log10(hi) - math.log10(lo))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">{a.title}</text>']
    decade = lo
    while decade <= hi * 1.0001:
        yy = y(decade)
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end">{decade:g}</text>')
        decade *= 10
    step = max(1, round(last / 10))
    for e in range(1, last + 1, step):
        out.append(f'<text x="{x(e):.1f}" y="{TOP + ph + 18}" text-anchor="middle">{e}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{LEFT + pw / 2}" y="{H - 10}" text-anchor="middle">epoch</text>')
    out.append(f'<text transform="translate(16 {TOP + ph / 2}) rotate(-90)" text-anchor="middle">{a.ylabel}</text>')
    legend_y = TOP + 10
    if a.baseline:
        yy = y(a.baseline)
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#555" stroke-dasharray="6 4"/>')
        out.append(f'<line x1="{LEFT + pw + 12}" x2="{LEFT + pw + 36}" y1="{legend_y}" y2="{legend_y}" stroke="#555" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{LEFT + pw + 42}" y="{legend_y + 4}">baseline {a.baseline:g}</text>')
        legend_y += 20
    for i, (name, c) in enumerate(curves):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(f"{x(e):.1f},{y(v):.1f}" for e, v in c)
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<line x1="{LEFT + pw + 12}" x2="{LEFT + pw + 36}" y1="{legend_y}" y2="{legend_y}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{LEFT + pw + 42}" y="{legend_y + 4}">{name} (best {min(v for _, v in c):.2g})</text>')
        legend_y += 20
    out.append("</svg>")
    # Written next to the target and renamed over it, so a failed write leaves an existing chart intact.
    folder = os.path.dirname(os.path.abspath(a.out))
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".svg.tmp", delete=False) as f:
        f.write("\n".join(out) + "\n")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(f.name, 0o666 & ~umask)  # as open() would have made it, not the temporary file's 0600
    os.replace(f.name, a.out)


if __name__ == "__main__":
    main()
