#!/usr/bin/env python3
"""Side-by-side benchmark: Propel against OpenBLAS (through numpy), MKL and PyTorch, on the same work.

Runs Propel's figures with `./propel bench ... --json` and the references in child processes of this
script (one per measurement, so each gets its own thread setting), interleaved Propel / reference /
reference / Propel so that a change in the machine's load hits both sides alike, and prints a table
of ratios against the targets of the performance issue:

  gemm    Propel GFLOP/s / the best of OpenBLAS sgemm (numpy.matmul) and MKL (torch.matmul), square
          sizes and layouts AB, ABt, AtB, plus the tall-skinny products of a training step
                                                                target >= 0.95 (1 and 2 threads)
          with each side's share of the vector multiply-add peak (`./propel bench peak`) at that width
  train   Propel samples/s / PyTorch samples/s, 784-512-512-10 ReLU MLP, Adam, batch 128;
          at 2 threads against PyTorch's best of 1 and 2 threads   target >= 1.0
  infer   batch-1 latency (PyTorch's / Propel's) and batch-10000 samples/s, torch.no_grad()  target >= 1.0

Each figure is the best of timed rounds after a warm-up, on both sides. It installs nothing: a missing
reference is reported with the command that installs it.

The references are PyTorch 2.13 (CPU: MKL, oneDNN) and numpy with its own OpenBLAS 0.3.31, in a venv:

    python3 -m venv v && v/bin/pip install torch==2.13.0+cpu numpy threadpoolctl
    v/bin/python tools/bench/compare.py                      # everything, 1 and 2 threads (~25 min)
    v/bin/python tools/bench/compare.py --only gemm --sizes 1024 --threads 1
    v/bin/python tools/bench/compare.py --quick              # fewer cases, shorter rounds (~6 min)

threadpoolctl reports which OpenBLAS kernel (architecture) was picked. OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE are removed from the references' environment only, so OpenBLAS picks its own kernel
and cache sizes for the CPU. --width 256 or 128 holds both sides to narrower vectors on a wider machine,
for the per-width table: Propel through -XX:UseAVX=2 (VEX encoding, 16 registers, as on an AVX2 CPU) and
-XX:MaxVectorSize, OpenBLAS through its Haswell (AVX2) or Nehalem (SSE) kernels, MKL and oneDNN through
MKL_ENABLE_INSTRUCTIONS and ONEDNN_MAX_CPU_ISA (MKL on an AMD CPU ignores a limit below AVX2):

    v/bin/python tools/bench/compare.py --quick --only gemm,train --sizes 1024 --width 256
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROPEL = os.path.join(ROOT, "propel")
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"

# Tall-skinny products of one training step of the MLP at batch 128 (C is m x n, inner dimension k).
TRAINING_SHAPES = [
    ("128x512x784", "ABt", "dense 1 forward"),
    ("128x512x784", "AB", "128x784 . 784x512"),
    ("512x784x128", "AtB", "dense 1 weight gradient"),
    ("128x512x512", "AB", "dense 2 input gradient"),
]


def fail(message):
    sys.exit("compare.py: " + message)


# ---------------------------------------------------------------- references (run as child processes)

def timed_rounds(task, work, warmup, rounds, seconds):
    """Best and median rate (work units per second) of `rounds` rounds of about `seconds` each."""
    end = time.perf_counter() + warmup
    per_round = 1
    while True:
        t0 = time.perf_counter()
        task()
        dt = max(time.perf_counter() - t0, 1e-9)
        per_round = max(1, int(seconds / dt))
        if time.perf_counter() >= end:
            break
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(per_round):
            task()
        rates.append(work * per_round / (time.perf_counter() - t0))
    rates.sort()
    return rates[-1], rates[len(rates) // 2]


def worker_gemm(args):
    """sgemm through numpy (OpenBLAS) or, with --library mkl, through torch.matmul (MKL in the CPU wheels)."""
    import numpy as np
    m, n, k = args.m, args.n, args.k
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (k, m) if args.layout == "AtB" else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if args.layout == "ABt" else (k, n)).astype(np.float32)
    if args.library == "mkl":
        import torch
        torch.set_num_threads(args.threads)
        a, b = torch.from_numpy(a), torch.from_numpy(b)
        opa = a.T if args.layout == "AtB" else a
        opb = b.T if args.layout == "ABt" else b
        c = torch.empty((m, n), dtype=torch.float32)
        best, median = timed_rounds(lambda: torch.matmul(opa, opb, out=c), 2e-9 * m * n * k, args.warmup,
                                    args.rounds, args.seconds)
        return {"gflops": best, "gflops_median": median, "library": "MKL",
                "blas": f"torch {torch.__version__}, MKL {torch.backends.mkl.is_available()}"}
    opa = a.T if args.layout == "AtB" else a
    opb = b.T if args.layout == "ABt" else b
    c = np.empty((m, n), dtype=np.float32)
    best, median = timed_rounds(lambda: np.matmul(opa, opb, out=c), 2e-9 * m * n * k, args.warmup,
                                args.rounds, args.seconds)
    return {"gflops": best, "gflops_median": median, "library": "OpenBLAS", "blas": blas_library()}


def mlp(torch):
    return torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 10))


def training_data(torch, np):
    """Fashion-MNIST's training set when installed, else synthetic data of the same shape."""
    path = os.path.join(FASHION_MNIST, "train-images-idx3-ubyte.gz")
    if os.path.exists(path):
        import gzip
        with gzip.open(path, "rb") as f:
            raw = f.read()
        x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0
        with gzip.open(os.path.join(FASHION_MNIST, "train-labels-idx1-ubyte.gz"), "rb") as f:
            y = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
        return torch.from_numpy(x.copy()), torch.from_numpy(y.copy()), "fashion-mnist"
    rng = np.random.default_rng(1)
    x = rng.random((60000, 784), dtype=np.float32)
    y = rng.integers(0, 10, 60000)
    return torch.from_numpy(x), torch.from_numpy(y), "synthetic"


def worker_train(args):
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, y, source = training_data(torch, np)
    model = mlp(torch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    seconds = []
    for epoch in range(args.warmup_epochs + args.epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(len(x))
        total = 0.0
        for i in range(0, len(x), 128):
            idx = perm[i:i + 128]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item()
        if epoch >= args.warmup_epochs:
            seconds.append(time.perf_counter() - t0)
    return {"samples_per_second": len(x) / min(seconds),
            "samples_per_second_mean": len(x) * len(seconds) / sum(seconds),
            "epoch_seconds": seconds, "data": source, "torch": torch.__version__}


def worker_infer(args):
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = mlp(torch).eval()
    x = torch.rand(args.batch_size, 784)
    with torch.no_grad():
        best, median = timed_rounds(lambda: model(x), args.batch_size, args.warmup, args.rounds, args.seconds)
    return {"samples_per_second": best, "samples_per_second_median": median,
            "latency_us": args.batch_size / best * 1e6, "torch": torch.__version__}


def blas_library():
    """numpy's BLAS: with threadpoolctl its name, version and the kernel it picked; else from the memory map."""
    try:
        from threadpoolctl import threadpool_info
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            return ", ".join(f"{p['internal_api']} {p.get('version')} ({p.get('architecture', '?')} kernels, "
                             f"{p['num_threads']} threads)" for p in pools)
    except ImportError:
        pass
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    resolved = sorted({os.path.realpath(lib) for lib in libs})
    return ", ".join(resolved) if resolved else "unknown"


def worker_blas(args):
    """numpy's BLAS as a reference child process sees it (its environment, not this script's)."""
    import numpy
    numpy.matmul(numpy.ones((64, 64), numpy.float32), numpy.ones((64, 64), numpy.float32))
    return {"blas": blas_library()}


# ---------------------------------------------------------------- running both sides

# --width: the vector width both sides are held to. Propel through the JVM's UseAVX and MaxVectorSize (bytes); the
# references through the switches of each library: OpenBLAS's kernel family, MKL's instruction set and
# oneDNN's (PyTorch's convolutions and some of its matrix work). 512 (or none) lets each pick its widest.
WIDTHS = {
    "256": {"jvm": "-XX:UseAVX=2",
            "env": {"OPENBLAS_CORETYPE": "Haswell", "MKL_ENABLE_INSTRUCTIONS": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"}},
    "128": {"jvm": "-XX:UseAVX=2 -XX:MaxVectorSize=16",
            "env": {"OPENBLAS_CORETYPE": "Nehalem", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2", "ONEDNN_MAX_CPU_ISA": "SSE41"}},
}
WIDTH = None  # the entry of WIDTHS chosen with --width, or None for the machine's widest


def reference(kind, threads, **options):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    # Let OpenBLAS detect the CPU and its caches itself (a machine-wide override would pin an older kernel),
    # unless --width asks for a narrower kernel family.
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(var, None)
    if WIDTH:
        env.update(WIDTH["env"])
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", kind, "--threads", str(threads)]
    for key, value in options.items():
        cmd += ["--" + key.replace("_", "-"), str(value)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"the {kind} reference failed ({' '.join(cmd)}):\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def propel(*args):
    cmd = [PROPEL, "bench", *args, "--json"]
    env = dict(os.environ)
    if WIDTH:
        env["PROPEL_JAVA_OPTS"] = (env.get("PROPEL_JAVA_OPTS", "") + " " + WIDTH["jvm"]).strip()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if out.returncode != 0:
        fail(f"'{' '.join(cmd)}' failed:\n{out.stderr}")
    return json.loads(out.stdout)


def interleaved(repeats, run_propel, run_reference):
    """Runs both sides `repeats` times in the order P R R P P R ... and keeps each side's best result."""
    ours, theirs = [], []
    for r in range(repeats):
        if r % 2 == 0:
            ours.append(run_propel())
            theirs.append(run_reference())
        else:
            theirs.append(run_reference())
            ours.append(run_propel())
    return ours, theirs


def best(results, key, lower_is_better=False):
    values = [r[key] for r in results]
    return min(values) if lower_is_better else max(values)


INSTALL = "python3 -m venv v && v/bin/pip install torch==2.13.0+cpu numpy threadpoolctl, then run v/bin/python"


def check_references(need_numpy, need_torch):
    problems = []
    if need_numpy:
        try:
            import numpy
            numpy.matmul(numpy.ones((64, 64), numpy.float32), numpy.ones((64, 64), numpy.float32))
            if "openblas" not in blas_library().lower():
                problems.append("numpy does not use OpenBLAS (it loaded " + blas_library() + "); " + INSTALL)
        except ImportError:
            problems.append(f"numpy is missing for {sys.executable}; " + INSTALL)
    if need_torch:
        try:
            import torch  # noqa: F401
        except ImportError:
            problems.append(f"torch is missing for {sys.executable}; " + INSTALL)
    if not os.path.exists(PROPEL):
        problems.append(f"the propel launcher is not at {PROPEL}")
    if problems:
        fail("a reference is missing:\n  " + "\n  ".join(problems))


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    java = subprocess.run([PROPEL, "--version"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    java = ", ".join(line.strip() for line in java.splitlines() if line.strip())
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "propel": java,
            "load_average": os.getloadavg(), "numpy_blas": reference("blas", 2)["blas"]}


# ---------------------------------------------------------------- the comparisons

def compare_gemm(args, rows):
    rounds, seconds, warmup = ("3", "0.2", "2") if args.quick else ("5", "0.3", "3")
    cases = [(f"{s}x{s}x{s}", layout, f"square {s}") for s in args.sizes for layout in ("AB", "ABt", "AtB")]
    cases += [] if args.quick else TRAINING_SHAPES
    for threads in args.threads:
        target = 0.95
        # The multiply-add ceiling of this width and thread count, to read each product as a share of it.
        peak = propel("peak", "--threads", str(threads))["gflops"]
        for shape, layout, label in cases:
            m, n, k = (int(v) for v in shape.split("x"))
            # Each round runs Propel, OpenBLAS and MKL; the ratio is against the faster library.
            ours, theirs = interleaved(
                args.repeats,
                lambda: propel("gemm", "--shape", shape, "--layout", layout, "--threads", str(threads),
                               "--rounds", rounds, "--seconds", seconds, "--warmup", warmup),
                lambda: [reference("gemm", threads, m=m, n=n, k=k, layout=layout, rounds=rounds, seconds=seconds,
                                   warmup=warmup, library=library) for library in ("openblas", "mkl")])
            p = best(ours, "gflops")
            refs = [result for pair in theirs for result in pair]
            top = max(refs, key=lambda result: result["gflops"])
            rows.append(row(f"gemm {shape} {layout} ({label})", threads, p, top["gflops"], p / top["gflops"], target,
                            "GFLOP/s", top["library"]))
            for library in ("OpenBLAS", "MKL"):
                rows[-1][library] = max(r["gflops"] for r in refs if r["library"] == library)
            rows[-1]["blas"] = sorted({r["blas"] for r in refs})
            rows[-1]["peak"] = peak


def compare_train(args, rows):
    epochs = "1" if args.quick else "2"
    torch_best = {}
    for threads in args.threads:
        ours, theirs = interleaved(
            args.repeats,
            lambda: propel("train", "--threads", str(threads), "--epochs", epochs, "--warmup-epochs", "1"),
            lambda: reference("train", threads, epochs=epochs, warmup_epochs=1))
        p, r = best(ours, "samples_per_second"), best(theirs, "samples_per_second")
        torch_best[threads] = r
        rows.append(row("train mlp 784-512-512-10, batch 128", threads, p, r, p / r, 1.0, "samples/s",
                        f"PyTorch ({threads} thr)"))
    if len(torch_best) > 1:
        best_threads = max(torch_best, key=torch_best.get)
        top = max(args.threads)
        ours = next(x for x in rows if x["workload"].startswith("train") and x["threads"] == top)["propel"]
        rows.append(row("train mlp, vs PyTorch's best thread count", top, ours, torch_best[best_threads],
                        ours / torch_best[best_threads], 1.0, "samples/s", f"PyTorch ({best_threads} thr)"))


def compare_infer(args, rows):
    rounds, seconds, warmup = ("3", "0.3", "2") if args.quick else ("5", "0.5", "3")
    for threads in args.threads:
        for batch in (1, 10000):
            ours, theirs = interleaved(
                args.repeats,
                lambda: propel("infer", "--batch-size", str(batch), "--threads", str(threads),
                               "--rounds", rounds, "--seconds", seconds, "--warmup", warmup),
                lambda: reference("infer", threads, batch_size=batch, rounds=rounds, seconds=seconds,
                                  warmup=warmup))
            if batch == 1:
                p, r = best(ours, "latency_us", True), best(theirs, "latency_us", True)
                rows.append(row("infer batch 1 latency", threads, p, r, r / p, 1.0, "us", "PyTorch"))
            else:
                p, r = best(ours, "samples_per_second"), best(theirs, "samples_per_second")
                rows.append(row("infer batch 10000 throughput", threads, p, r, p / r, 1.0, "samples/s", "PyTorch"))


def row(workload, threads, ours, theirs, ratio, target, unit, reference_name):
    return {"workload": workload, "threads": threads, "propel": ours, "reference": theirs,
            "reference_name": reference_name, "unit": unit, "ratio": ratio, "target": target,
            "meets_target": ratio >= target}


def print_table(rows, out):
    header = ("workload", "thr", "Propel", "reference", "unit", "ratio", "target", "", "% of peak (Propel, ref.)")
    lines = [header]
    for r in rows:
        verdict = "ok" if r["meets_target"] else f"short by {100 * (1 - r['ratio'] / r['target']):.0f}%"
        share = (f"{100 * r['propel'] / r['peak']:.0f}, {100 * r['reference'] / r['peak']:.0f} of {fmt(r['peak'])}"
                 if "peak" in r else "")
        lines.append((r["workload"], str(r["threads"]), fmt(r["propel"]), f"{fmt(r['reference'])} {r['reference_name']}",
                      r["unit"], f"{r['ratio']:.2f}", f">= {r['target']:.2f}", verdict, share))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out.write("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |\n")
    out.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")
    for line in lines[1:]:
        out.write("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |\n")


def fmt(value):
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="gemm,train,infer", help="comma-separated: gemm, train, infer")
    ap.add_argument("--threads", default="1,2", help="thread counts, comma-separated (default 1,2)")
    ap.add_argument("--sizes", default="256,512,1024,2048", help="square GEMM sizes (default 256,512,1024,2048)")
    ap.add_argument("--repeats", type=int, default=2, help="runs of each side per case, interleaved (default 2)")
    ap.add_argument("--quick", action="store_true", help="shorter rounds, no tall-skinny GEMMs, one timed epoch")
    ap.add_argument("--json", metavar="FILE", help="also write the machine, the rows and the table to FILE")
    ap.add_argument("--width", choices=["512", "256", "128"],
                    help="hold both sides to this vector width in bits: Propel with -XX:UseAVX=2 and -XX:MaxVectorSize, OpenBLAS with "
                         "OPENBLAS_CORETYPE (Haswell, Nehalem), MKL with MKL_ENABLE_INSTRUCTIONS, oneDNN with "
                         "ONEDNN_MAX_CPU_ISA (default: each side's widest)")
    # Child-process mode: one reference measurement, printed as JSON.
    ap.add_argument("--worker", choices=["gemm", "train", "infer", "blas"], help=argparse.SUPPRESS)
    for name in ("m", "n", "k", "rounds", "epochs", "warmup-epochs", "batch-size"):
        ap.add_argument("--" + name, type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--layout", default="AB", help=argparse.SUPPRESS)
    ap.add_argument("--library", default="openblas", choices=["openblas", "mkl"], help=argparse.SUPPRESS)
    ap.add_argument("--seconds", type=float, default=0.3, help=argparse.SUPPRESS)
    ap.add_argument("--warmup", type=float, default=3.0, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        args.threads = int(args.threads)
        result = {"gemm": worker_gemm, "train": worker_train, "infer": worker_infer,
                  "blas": worker_blas}[args.worker](args)
        print(json.dumps(result))
        return

    only = {w.strip() for w in args.only.split(",") if w.strip()}
    unknown = only - {"gemm", "train", "infer"}
    if unknown:
        fail(f"--only takes gemm, train and infer; got {sorted(unknown)}")
    try:
        args.threads = [int(t) for t in args.threads.split(",")]
        args.sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        fail(f"--threads and --sizes take comma-separated integers, got '{args.threads}' and '{args.sizes}'")
    if args.repeats < 1:
        fail(f"--repeats must be at least 1, got {args.repeats}")
    check_references("gemm" in only, bool(only))
    global WIDTH
    WIDTH = WIDTHS.get(args.width)

    info = machine()
    info["width"] = args.width or "widest"
    print(f"machine: {info['cpu']}, {info['cores']} cores; vector width {info['width']}; {info['propel']}; "
          f"numpy BLAS: {info['numpy_blas']}; "
          f"load average {' '.join(f'{x:.2f}' for x in info['load_average'])}", flush=True)
    rows = []
    started = time.time()
    if "gemm" in only:
        compare_gemm(args, rows)
    if "train" in only:
        compare_train(args, rows)
    if "infer" in only:
        compare_infer(args, rows)
    info["load_average_after"] = os.getloadavg()
    info["minutes"] = (time.time() - started) / 60
    print_table(rows, sys.stdout)
    print(f"\nload average before {' '.join(f'{x:.2f}' for x in info['load_average'])}, after "
          f"{' '.join(f'{x:.2f}' for x in info['load_average_after'])}; {info['minutes']:.1f} min")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
