#!/usr/bin/env python3
"""`dense convert` round trips on CSV models, checked by onnxruntime and Keras.

Trains a classifier (with a text column) and a regression model with the `dense` binary, then:
  * .dense → .onnx → .dense and .dense → .keras → .dense predict the raw CSV as the original
    does (1e-6 relative, labels equal) and have the same layers and preprocessing in
    `dense summary`;
  * onnxruntime runs the .onnx on the raw CSV columns (one input per column, text as strings)
    and gives dense's predictions (1e-5 relative); the class labels are in its metadata;
  * an .onnx whose metadata does not describe its graph is refused (exit 1);
  * Keras runs the .keras (its Normalization layer standardises) on the raw numbers with the
    text column one-hot encoded, and gives dense's predictions; the labels are in metadata.json,
    and the model compiles with dense's loss and optimizer.
Installs keras and onnxruntime with pip when missing, as round_trip.py does (never skips).

usage: cli_round_trip.py --dense PATH/dense --work DIR
"""
import argparse
import csv
import json
import os
import pathlib
import random
import subprocess
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

from round_trip import ensure_packages

ensure_packages()
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime  # noqa: E402
import keras  # noqa: E402

RTOL = 1e-6


def write_tables(work):
    """A classifier's table (a text column, labels no/yes) and a regression table far from 0."""
    rng = random.Random(7)
    with open(work / "cls.csv", "w") as f:
        f.write("a,b,colour,label\n")
        for _ in range(120):
            a, b, colour = rng.gauss(5, 2), rng.gauss(-3, 10), rng.choice(["red", "green", "blue"])
            f.write(f"{a:.4f},{b:.4f},{colour},{'yes' if a + 0.1 * b + (colour == 'red') > 5 else 'no'}\n")
    with open(work / "reg.csv", "w") as f:
        f.write("a,b,colour,y\n")
        for _ in range(120):
            a, b, colour = rng.gauss(5, 2), rng.gauss(-3, 10), rng.choice(["red", "green"])
            f.write(f"{a:.4f},{b:.4f},{colour},{100 + 3 * a - b + (5 if colour == 'red' else 0):.4f}\n")


def dense(binary, work, *args):
    result = subprocess.run([binary, *args], cwd=work, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"dense {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result.stdout


def predictions(text):
    rows = list(csv.reader(text.splitlines()))
    return rows[0], rows[1:]


def numbers(rows, columns):
    return np.array([[float(row[c]) for c in columns] for row in rows])


def model_lines(summary):
    """The summary without what a model trained in dense alone has: optimizer state and history."""
    return [line for line in summary.splitlines()
            if not line.lstrip().startswith(("Optimizer params", "Compiled with", "Trained "))]


def check_onnxruntime(work, name, header, rows, failures):
    session = onnxruntime.InferenceSession(str(work / f"{name}.onnx"), providers=["CPUExecutionProvider"])
    table = list(csv.DictReader(open(work / f"{name}.csv")))
    feed = {}
    for value in session.get_inputs():
        column = [row[value.name] for row in table]
        feed[value.name] = (np.array(column, dtype=object) if value.type == "tensor(string)"
                            else np.array(column, dtype=np.float32)).reshape(-1, 1)
    got = session.run(None, feed)[0]
    metadata = session.get_modelmeta().custom_metadata_map
    want = expected(header, rows, got)
    if not np.allclose(got, want, rtol=1e-5, atol=1e-6):
        failures.append(f"{name}.onnx in onnxruntime: largest difference {np.max(np.abs(got - want))}")
    if name == "cls" and json.loads(metadata.get("class_labels", "[]")) != ["no", "yes"]:
        failures.append(f"{name}.onnx: class_labels metadata is {metadata.get('class_labels')}")


def network_inputs(work, name):
    """The raw CSV with the text column one-hot encoded over its sorted categories."""
    table = list(csv.DictReader(open(work / f"{name}.csv")))
    categories = sorted({row["colour"] for row in table})
    return np.array([[float(row["a"]), float(row["b"])] + [float(row["colour"] == c) for c in categories]
                     for row in table], np.float32)


def expected(header, rows, got):
    """dense's predictions as the exported model gives them: a binary classifier's p_yes only."""
    probabilities = [i for i, h in enumerate(header) if h.startswith("p_")]
    return numbers(rows, probabilities[-got.shape[1]:] if probabilities else range(len(header)))


def check_keras(work, name, header, rows, failures, loss):
    model = keras.saving.load_model(work / f"{name}.keras")
    if type(model.optimizer).__name__ != "Adam" or model.loss != loss:
        failures.append(f"{name}.keras compiles with {type(model.optimizer).__name__} and {model.loss}, not Adam and {loss}")
    got = model.predict(network_inputs(work, name), verbose=0)
    want = expected(header, rows, got)
    if not np.allclose(got, want, rtol=1e-5, atol=1e-6):
        failures.append(f"{name}.keras in Keras: largest difference {np.max(np.abs(got - want))}")
    metadata = json.loads(zipfile.ZipFile(work / f"{name}.keras").read("metadata.json"))
    if name == "cls" and metadata.get("class_labels") != ["no", "yes"]:
        failures.append(f"{name}.keras: class_labels in metadata.json are {metadata.get('class_labels')}")


def check_tampered_metadata(binary, work, failures):
    """Metadata that does not describe the graph is refused: dense never reads it on trust."""
    model = onnx.load(work / "reg.onnx")
    for entry in model.metadata_props:
        if entry.key == "dense.preprocessing":
            preprocessing = json.loads(entry.value)
            preprocessing["features"][0]["mean"] += 1.0
            entry.value = json.dumps(preprocessing)
    onnx.save(model, work / "tampered.onnx")
    result = subprocess.run([binary, "convert", "tampered.onnx", "tampered.dense"], cwd=work, capture_output=True, text=True)
    if result.returncode != 1 or "does not standardise as the metadata" not in result.stderr:
        failures.append(f"tampered.onnx: exit {result.returncode}, {result.stderr.strip()}")


def check(binary, work, name, target, loss, failures):
    dense(binary, work, "train", f"{name}.csv", "--target", target, "-o", f"{name}.dense", "--epochs", "20")
    header, rows = predictions(dense(binary, work, "predict", f"{name}.dense", f"{name}.csv"))
    for form in ("onnx", "keras"):
        dense(binary, work, "convert", f"{name}.dense", f"{name}.{form}")
        dense(binary, work, "convert", f"{name}.{form}", f"{name}_{form}.dense")
        check_back(binary, work, name, target, form, header, rows, failures)
    check_onnxruntime(work, name, header, rows, failures)
    check_keras(work, name, header, rows, failures, loss)


def check_back(binary, work, name, target, form, header, rows, failures):
    header_back, rows_back = predictions(dense(binary, work, "predict", f"{name}_{form}.dense", f"{name}.csv"))
    labels = [i for i, h in enumerate(header) if h == target and name == "cls"]
    numeric = [i for i in range(len(header)) if i not in labels]
    if header != header_back or [[r[i] for i in labels] for r in rows] != [[r[i] for i in labels] for r in rows_back] or \
            not np.allclose(numbers(rows, numeric), numbers(rows_back, numeric), rtol=RTOL, atol=1e-7):
        failures.append(f"{name}: .dense → .{form} → .dense predicts differently")
    summary, summary_back = (dense(binary, work, "summary", f) for f in (f"{name}.dense", f"{name}_{form}.dense"))
    if model_lines(summary) != model_lines(summary_back):
        failures.append(f"{name} through .{form}: summaries differ:\n{summary}\n---\n{summary_back}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dense", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    write_tables(work)
    failures = []
    check(args.dense, work, "cls", "label", "binary_crossentropy", failures)
    check(args.dense, work, "reg", "y", "mean_squared_error", failures)
    check_tampered_metadata(args.dense, work, failures)
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    print("cli round trips:", "FAILED" if failures else "all equal")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
