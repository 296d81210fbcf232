#!/usr/bin/env python3
"""Checks ONNX models with the reference tools: onnx.checker (full check, with shape inference) and
ONNX Runtime (Python). Each argument is a directory in the layout of the ONNX node tests: model.onnx and
test_data_set_*/input_0.pb, output_0.pb (TensorProto files). The model must pass the checker and
reproduce every output to 1e-5 relative (to the value, or to the
outputs' largest magnitude for values near zero).

Called by the Java tests (formats/onnx, PythonCheck) when a python with onnx and onnxruntime is at hand,
and by .ci/run on the committed fixtures. Exit status 0 when every model passes; 1 with one line per
failure otherwise.

    python check_onnx.py DIR [DIR ...]
"""
import glob
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import onnxruntime as ort


def load_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return onnx.numpy_helper.to_array(t)


def check(directory):
    model_path = os.path.join(directory, "model.onnx")
    onnx.checker.check_model(model_path, full_check=True)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    sets = sorted(glob.glob(os.path.join(directory, "test_data_set_*")))
    if not sets:
        raise ValueError("no test_data_set_* directory")
    for data in sets:
        x = load_tensor(os.path.join(data, "input_0.pb"))
        expected = load_tensor(os.path.join(data, "output_0.pb"))
        actual = session.run(None, {name: x})[0]
        if actual.shape != expected.shape:
            raise ValueError(f"{data}: output shape {actual.shape}, expected {expected.shape}")
        # 1e-5 relative to each value, and to the outputs' scale for values near zero (as the Java tests).
        tolerance = 1e-5 * np.maximum(np.maximum(np.abs(expected), np.abs(actual)), np.max(np.abs(expected)))
        worst = np.max(np.abs(actual - expected) - tolerance)
        if worst > 0:
            raise ValueError(f"{data}: onnxruntime differs from the expected outputs by more than 1e-5 relative")
    return len(sets)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    failed = 0
    for directory in argv[1:]:
        try:
            n = check(directory)
            print(f"ok {directory}: onnx.checker passed, onnxruntime {ort.__version__} matches {n} data set(s)")
        except Exception as e:  # one line per model, whatever went wrong
            failed += 1
            print(f"FAILED {directory}: {type(e).__name__}: {e}".replace("\n", " "))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
