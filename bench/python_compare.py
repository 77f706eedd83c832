#!/usr/bin/python3
"""dense from Python against dense from C++, PyTorch and scikit-learn's MLPClassifier on the
Fashion-MNIST MLP (W2 of docs/BENCHMARKS.md): 784-256(relu)-128(relu)-10(softmax), Adam(1e-3),
batch 128, 60 000 training images; seconds per epoch (median over the epochs of a run, then over
runs) and test accuracy.

    build-python/bench-venv/bin/python bench/python_compare.py [--build build-bench] [--epochs 5]
        [--rounds 3] [--mlp-epochs 5] [--seed 1] [--data /usr/share/datasets/fashion-mnist]

Run it with a Python that imports dense, Debian's torch and scikit-learn (apt-get install
python3-torch python3-sklearn libopenblas0-pthread): a virtual environment of /usr/bin/python3
that sees Debian's packages, with the wheel of scripts/test_python.sh added:
    /usr/bin/python3 -m venv --system-site-packages build-python/bench-venv
    build-python/bench-venv/bin/pip install --no-deps build-python/dist/dense-*.whl
dense from C++ is bench_workloads (cmake -DDENSE_BUILD_BENCHMARKS=ON; ninja bench_workloads).

Every row runs in a fresh process; dense, PyTorch and MLPClassifier rows take turns round by
round, so a noisy stretch of a shared machine hits them alike. Threads: dense 2
(DENSE_NUM_THREADS=2), PyTorch as bench/compare.py's "2 cores" (torch 1 thread, OpenBLAS 2),
MLPClassifier's numpy through OpenBLAS (2), and once more on float64 data with OpenBLAS held to one
thread (OPENBLAS_NUM_THREADS=1): the single-threaded NumPy code issue 17 compares with. dense from
Python and from C++ train the same model with the same seed on the same float32 values: their
accuracies are equal, their weights too.
"""
import argparse
import gzip
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import ONE_CORE, TWO_CORES, parse_line, run, torch_run  # noqa: E402  (bench/compare.py, beside this file)


def load_fashion_numpy(directory):
    """Fashion-MNIST as float32 pixels / 255 (as dense::io::load_idx_images computes them) and labels."""
    import numpy as np

    def idx(name, offset):
        with gzip.open(os.path.join(directory, name), "rb") as f:
            return np.frombuffer(f.read()[offset:], dtype=np.uint8)

    def images(name):
        return idx(name, 16).reshape(-1, 784).astype(np.float32) / np.float32(255)

    return (images("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz", 8).astype(np.float32),
            images("t10k-images-idx3-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.float32))


class EpochClock:
    """Wall and CPU seconds (all threads) of each epoch; prints as bench/compare.py's fields."""

    def __init__(self):
        self.seconds, self.cpu = [], []

    def start(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def stop(self):
        self.seconds.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)

    def __str__(self):
        return (f"seconds_per_epoch={statistics.median(self.seconds):.4f} "
                f"cpu_seconds_per_epoch={statistics.median(self.cpu):.4f} first_epoch={self.seconds[0]:.4f}")


def dense_worker(epochs, seed, data_dir):
    """W2 with the dense package, timed per epoch by a callback."""
    import dense
    from dense.layers import Dense

    x_train, y_train, x_test, y_test = load_fashion_numpy(data_dir)
    model = dense.Sequential([Dense(256, activation="relu", input_dim=784), Dense(128, activation="relu"),
                              Dense(10, activation="softmax")], seed=seed)
    model.compile(optimizer=dense.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    clock = EpochClock()
    timer = dense.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: clock.start(),
                                           on_epoch_end=lambda epoch, logs: clock.stop())
    model.fit(x_train, y_train, epochs=epochs, batch_size=128, callbacks=[timer], verbose=0)
    accuracy = model.evaluate(x_test, y_test, batch_size=256, return_dict=True, verbose=0)["accuracy"]
    print(f"workload=w2_dense_python {clock} test_accuracy={accuracy:.4f} threads={dense.num_threads()}")


def mlp_worker(epochs, seed, data_dir, dtype="float32"):
    """W2 with scikit-learn's MLPClassifier: one partial_fit per epoch (one pass over the data). It
    computes in the data's dtype: float32 as given, or float64 (numpy's default, most users' data)."""
    import numpy as np
    from sklearn.neural_network import MLPClassifier

    x_train, y_train, x_test, y_test = load_fashion_numpy(data_dir)
    x_train, x_test = x_train.astype(dtype), x_test.astype(dtype)
    mlp = MLPClassifier(hidden_layer_sizes=(256, 128), solver="adam", learning_rate_init=0.001, batch_size=128,
                        alpha=0.0, epsilon=1e-7, random_state=seed)
    clock = EpochClock()
    for _ in range(epochs):
        clock.start()
        mlp.partial_fit(x_train, y_train.astype(np.int64), classes=np.arange(10))
        clock.stop()
    accuracy = mlp.score(x_test, y_test.astype(np.int64))
    print(f"workload=w2_mlp {clock} test_accuracy={accuracy:.4f} dtype={mlp.coefs_[0].dtype}")


def python_run(kind, epochs, seed, data_dir, threads):
    return run([sys.executable, os.path.abspath(__file__), "--worker", kind, str(epochs), str(seed), data_dir],
               threads)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build-bench"))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--mlp-epochs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--worker", nargs=4, metavar=("KIND", "EPOCHS", "SEED", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, epochs, seed, data_dir = args.worker
        workers = {"dense": dense_worker, "mlp": mlp_worker, "mlp64": lambda *a: mlp_worker(*a, dtype="float64")}
        workers[kind](int(epochs), int(seed), data_dir)
        return

    workloads = os.path.join(args.build, "bench", "bench_workloads")
    sides = {
        "dense (Python)": lambda: python_run("dense", args.epochs, args.seed, args.data, TWO_CORES),
        "dense (C++)": lambda: run([workloads, "w2", "128", str(args.epochs), args.data, str(args.seed)], TWO_CORES),
        "PyTorch": lambda: torch_run(["w2", 128, args.epochs, args.seed, args.data], TWO_CORES),
        "MLPClassifier": lambda: python_run("mlp", args.mlp_epochs, args.seed, args.data, TWO_CORES),
        "MLPClassifier, float64 data": lambda: python_run("mlp64", args.mlp_epochs, args.seed, args.data, TWO_CORES),
        # As issue 17 describes scikit-learn: single-threaded NumPy (numpy's BLAS held to one thread).
        "MLPClassifier, float64 data, 1 thread": lambda: python_run("mlp64", args.mlp_epochs, args.seed, args.data,
                                                                    ONE_CORE),
    }
    # rounds[i][side]: that side's run in round i. MLPClassifier, a minute a run, runs in the first and last round.
    rounds = []
    for index in range(args.rounds):
        slow_too = index in (0, args.rounds - 1)
        rounds.append({name: side() for name, side in sides.items() if slow_too or "MLP" not in name})
        print(f"round {index + 1}: " + ", ".join(f"{name} {r['seconds_per_epoch']:.3f} s"
                                                 for name, r in rounds[-1].items()), file=sys.stderr)

    print(f"\nFashion-MNIST 784-256-128-10, Adam(1e-3), batch 128, seed {args.seed}; medians over {args.rounds} "
          f"runs of {args.epochs} epochs (MLPClassifier: runs of {args.mlp_epochs} in the first and last round)\n")
    print("| side | s/epoch | ÷ dense from Python, run by run | CPU s/epoch | test accuracy | runs (s/epoch) |")
    print("|---|---|---|---|---|---|")
    for name in sides:
        runs = [r[name] for r in rounds if name in r]
        # Each run against dense from Python in the same round: holds when the machine's load changes.
        ratios = [r[name]["seconds_per_epoch"] / r["dense (Python)"]["seconds_per_epoch"] for r in rounds if name in r]
        accuracies = sorted({f"{100 * r['test_accuracy']:.2f} %" for r in runs})
        print(f"| {name} | {statistics.median(r['seconds_per_epoch'] for r in runs):.3f} | "
              f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) | "
              f"{statistics.median(r['cpu_seconds_per_epoch'] for r in runs):.3f} | {', '.join(accuracies)} | "
              f"{', '.join(format(r['seconds_per_epoch'], '.3f') for r in runs)} |")


if __name__ == "__main__":
    main()
