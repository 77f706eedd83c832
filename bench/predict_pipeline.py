#!/usr/bin/env python3
"""`dense predict` on a large numeric CSV against pandas.read_csv + onnxruntime + to_csv, in one run.

    python3 bench/predict_pipeline.py [--dense build/cli/dense] [--work DIR] [--gigabytes 1] [--rounds 3]

Makes (once, in --work) a training file and a --gigabytes numeric CSV of 50 features (seeded),
trains a 64-32-1 network with `dense train`, exports it with `dense convert` to ONNX, then runs
the two pipelines alternately --rounds times, each in a fresh process, and prints per round and
as medians: wall seconds, CPU seconds, rows per second and peak memory. The predictions of the two
are compared (they must agree to float precision). Needs pandas, numpy and onnxruntime.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

FEATURES = 50
REFERENCE = r'''
import sys
import numpy as np, pandas as pd, onnxruntime as ort
model, data, out = sys.argv[1:4]
session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
frame = pd.read_csv(data, dtype=np.float32)
inputs = session.get_inputs()
# dense convert writes one input per CSV column, named after it, each [batch, 1]; a model with
# one input takes the whole frame
feed = ({i.name: frame[[i.name]].to_numpy() for i in inputs} if len(inputs) > 1
        else {inputs[0].name: frame.to_numpy()})
outputs = session.run(None, feed)[0]
pd.DataFrame(outputs, columns=["y"]).to_csv(out, index=False)
'''


def write_rows(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        f.write("\n".join(",".join(f"{v:.4f}" for v in row) for row in rows) + "\n")


def make_files(dense, work, gigabytes):
    names = [f"x{i}" for i in range(FEATURES)]
    random = np.random.default_rng(1)
    if not os.path.exists(os.path.join(work, "model.onnx")):
        x = random.standard_normal((5000, FEATURES)).astype(np.float32)
        write_rows(os.path.join(work, "train.csv"), names + ["y"], np.column_stack([x, x[:, :5].sum(1)]))
        subprocess.run([dense, "train", "train.csv", "--target", "y", "--layers", "64,32", "--epochs", "20", "--out",
                        "model.dense", "-q"], cwd=work, check=True, stderr=subprocess.DEVNULL)
        subprocess.run([dense, "convert", "model.dense", "model.onnx"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    big = os.path.join(work, "big.csv")
    if not os.path.exists(big) or os.path.getsize(big) < gigabytes * 1e9:
        block = "\n".join(",".join(f"{v:.4f}" for v in row)
                          for row in random.standard_normal((100000, FEATURES)).astype(np.float32)) + "\n"
        with open(big, "w") as f:
            f.write(",".join(names) + "\n")
            while f.tell() < gigabytes * 1e9:
                f.write(block)
    return big


def timed(command, cwd):
    """Wall and CPU seconds and peak resident MB of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense", default=os.path.abspath("build/cli/dense"))
    parser.add_argument("--work", default="/tmp/dense_predict_bench")
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    args.dense = os.path.abspath(args.dense)  # the pipelines run in --work
    os.makedirs(args.work, exist_ok=True)
    big = make_files(args.dense, args.work, args.gigabytes)
    with open(big, "rb") as f:
        rows = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b"")) - 1
    runs = {"dense": [], "reference": []}
    commands = {"dense": [args.dense, "predict", "model.dense", big, "--out", "dense.csv"],
                "reference": [sys.executable, "-c", REFERENCE, "model.onnx", big, "reference.csv"]}
    for round_number in range(args.rounds):
        for side in ("dense", "reference") if round_number % 2 == 0 else ("reference", "dense"):
            runs[side].append(timed(commands[side], args.work))
            wall, cpu, mb = runs[side][-1]
            print(f"round={round_number + 1} side={side} wall_s={wall:.2f} cpu_s={cpu:.2f} rows_per_s={rows / wall:.0f} peak_mb={mb:.0f}")
    ours = np.loadtxt(os.path.join(args.work, "dense.csv"), skiprows=1, max_rows=100000)
    theirs = np.loadtxt(os.path.join(args.work, "reference.csv"), skiprows=1, max_rows=100000)
    print(f"largest difference of the first 100000 predictions: {np.abs(ours - theirs).max():.3g}")
    medians = {side: [statistics.median(r[i] for r in runs[side]) for i in range(3)] for side in runs}
    for side, (wall, cpu, mb) in medians.items():
        print(f"workload=predict_csv side={side} bytes={os.path.getsize(big)} rows={rows} median_wall_s={wall:.2f} "
              f"median_cpu_s={cpu:.2f} rows_per_s={rows / wall:.0f} peak_mb={mb:.0f}")
    ratios = sorted(r[0] / d[0] for d, r in zip(runs["dense"], runs["reference"]))
    print(f"workload=predict_csv dense_vs_reference_wall median={statistics.median(ratios):.2f} "
          f"range={ratios[0]:.2f}-{ratios[-1]:.2f}")


if __name__ == "__main__":
    main()
