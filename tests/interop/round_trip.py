#!/usr/bin/env python3
"""Round trip through the real tools: dense exports models (dense_interop_export), then Keras
loads the .keras files (and the .weights.h5 files into the same architecture) and onnxruntime
runs the .onnx files; every prediction must equal dense's to 1e-5 relative (1e-6 absolute near
zero). Installs keras, h5py, jax, scipy, onnx and onnxruntime with pip when missing; if that is
impossible (no network) the test FAILS, loudly: it never skips.

usage: round_trip.py --exporter PATH/dense_interop_export --work DIR
"""
import argparse
import importlib
import importlib.util
import json
import os
import subprocess
import sys

REQUIRED = {"keras": "keras", "h5py": "h5py", "jax": "jax", "scipy": "scipy", "onnx": "onnx",
            "onnxruntime": "onnxruntime"}
RTOL, ATOL = 1e-5, 1e-6


def ensure_packages():
    missing = [pip_name for module, pip_name in REQUIRED.items() if importlib.util.find_spec(module) is None]
    if not missing:
        return
    print(f"round_trip: installing {' '.join(missing)} with pip", flush=True)
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing])
    if result.returncode != 0:
        print("=" * 72 + "\nround_trip: FAILED: could not pip install " + " ".join(missing) +
              ".\nIs PyPI reachable? This test needs Keras and onnxruntime to check dense's exports.\n" +
              "=" * 72, file=sys.stderr, flush=True)
        sys.exit(1)
    importlib.invalidate_caches()


def compare(what, got, want, failures):
    import numpy as np
    got, want = np.asarray(got, np.float32), np.asarray(want, np.float32)
    if got.shape != want.shape:
        failures.append(f"{what}: shape {got.shape}, dense predicted {want.shape}")
        return
    error = np.abs(got - want)
    bound = RTOL * np.abs(want) + ATOL
    if not np.all(error <= bound):
        worst = np.unravel_index(np.argmax(error - bound), error.shape)
        failures.append(f"{what}: differs from dense at {worst}: {got[worst]!r} vs {want[worst]!r}")
    else:
        relative = error / np.maximum(np.abs(want), np.finfo(np.float32).tiny)
        print(f"  ok  {what} (max relative difference {relative.max():.1e})")


def check_keras(case, x, want, failures):
    import keras
    model = keras.saving.load_model(case["files"]["keras"], compile=False)
    compare(f"{case['name']}: keras.saving.load_model(.keras)", model.predict(x, verbose=0), want, failures)
    frozen = [layer.name for layer in model.layers if not layer.trainable]
    if frozen != case["frozen"]:
        failures.append(f"{case['name']}: Keras sees the layers {frozen} frozen, dense froze {case['frozen']}")
    if case.get("learning_rates"):
        check_keras_schedule(case, failures)
    # The same architecture filled from the .weights.h5: fresh weights first, so loading must change them.
    twin = keras.models.clone_model(model)
    twin.load_weights(case["files"]["weights"])
    compare(f"{case['name']}: model.load_weights(.weights.h5)", twin.predict(x, verbose=0), want, failures)


def check_keras_schedule(case, failures):
    """A model compiled with a learning-rate schedule: Keras compiles it with the same schedule,
    whose rates at steps 0, 1, … are dense's."""
    import keras
    model = keras.saving.load_model(case["files"]["keras"], compile=True)
    schedule = model.optimizer._learning_rate
    if not isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        failures.append(f"{case['name']}: Keras compiles it with the constant rate {schedule!r}, not a schedule")
        return
    rates = [float(keras.ops.convert_to_numpy(schedule(step))) for step in range(len(case["learning_rates"]))]
    compare(f"{case['name']}: Keras' {type(schedule).__name__} at steps 0–{len(rates) - 1}", rates, case["learning_rates"],
            failures)


def check_onnx(case, x, want, failures):
    import onnx
    import onnxruntime
    for path in case["files"]["onnx"]:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        compare(f"{case['name']}: onnxruntime {os.path.basename(path)}", session.run(None, {name: x})[0], want, failures)
        # The batch dimension is dynamic: one row at a time gives the same numbers.
        compare(f"{case['name']}: onnxruntime {os.path.basename(path)}, batch of 1",
                session.run(None, {name: x[:1]})[0], want[:1], failures)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    ensure_packages()
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    import numpy as np

    subprocess.run([args.exporter, args.work], check=True)
    with open(os.path.join(args.work, "manifest.json")) as f:
        manifest = json.load(f)
    failures = []
    for case in manifest:
        x = np.asarray(case["inputs"], np.float32)
        want = np.asarray(case["predictions"], np.float32)
        if "keras" in case["files"]:
            check_keras(case, x, want, failures)
        check_onnx(case, x, want, failures)
    if failures:
        print("round_trip: FAILED\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)
    print(f"round_trip: all {len(manifest)} models agree with Keras and onnxruntime")


if __name__ == "__main__":
    main()
