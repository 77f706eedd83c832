#!/usr/bin/python3
"""Times dense, PyTorch and FANN on workloads W1-W4 in one run and prints the comparison table.

    /usr/bin/python3 bench/compare.py [--build build-perf] [--epochs 5] [--data DIR] [--rounds 3] [--seeds 5]
                                      [--pairs 15] [--w3-pairs 7] [--w3-after-idle ROUNDS]
                                      [--only w1 w2 w3 w4]

W1 and W2 run each side --rounds times, alternating, and give the medians. W1 against FANN,
whose runs take milliseconds, runs --pairs pairs back to back, and W3 --w3-pairs pairs of
PyTorch and dense runs; each gives the median pair's ratio. With --w3-after-idle, W3 keeps a
dense and a PyTorch process running and times pairs of single passes, each pair after a pause,
as intermittent requests meet the machine. W4 alternates blocks of dense and
OpenBLAS steps inside each of --rounds runs. The W2 accuracy target is judged on the mean over
--seeds seeds per side.

Needs the benchmarks built (cmake -DDENSE_BUILD_BENCHMARKS=ON; ninja bench_workloads bench_fann)
and Debian's python3-torch, which only /usr/bin/python3 sees. Every PyTorch row runs in a fresh
process (W3 after idle: one process for all its passes) so that its thread settings take effect before
torch is imported:
  "2 cores": torch.set_num_threads(1) with OpenBLAS at its default of one thread per core
             (the fastest setting for Debian's torch, whose products go through OpenBLAS);
  "1 core":  torch.set_num_threads(1) and OPENBLAS_NUM_THREADS=1.
dense runs with DENSE_NUM_THREADS=2 or 1. Same architecture, Glorot-uniform kernels, zero biases,
Adam (Keras' epsilon 1e-7), batch order reshuffled each epoch, the same Fashion-MNIST files.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CELSIUS = [-40.0, -10.0, 0.0, 8.0, 15.0, 22.0, 38.0]
FAHRENHEIT = [-40.0, 14.0, 32.0, 46.0, 59.0, 72.0, 100.0]
TWO_CORES = {"OPENBLAS_NUM_THREADS": None, "DENSE_NUM_THREADS": "2"}
ONE_CORE = {"OPENBLAS_NUM_THREADS": "1", "DENSE_NUM_THREADS": "1"}


def parse_line(text):
    """The last `key=value ...` line a benchmark printed, as a dict of floats (or strings)."""
    line = [l for l in text.splitlines() if l.startswith("workload=")][-1]
    fields = dict(item.split("=", 1) for item in line.split())
    for key, value in fields.items():
        try:
            fields[key] = float(value)
        except ValueError:
            pass
    return fields


# The issue's W1 figures for the peers that cannot be built here, and FANN's on the same machine.
ISSUE_FANN_US, ISSUE_MINIDNN_US, ISSUE_GENANN_US = 0.25, 0.185, 0.12


def thread_environment(threads):
    """This process's environment with the thread settings of TWO_CORES or ONE_CORE (None: unset)."""
    env = dict(os.environ)
    for key, value in threads.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(command, threads):
    done = subprocess.run(command, env=thread_environment(threads), check=True, capture_output=True, text=True)
    return parse_line(done.stdout)


def blas_library(torch):
    """The BLAS library this process runs its products through, as /proc/self/maps names it after
    one: Debian's OpenBLAS (openblas-pthread/libblas.so.3) only with libopenblas0-pthread installed,
    else the reference BLAS (blas/libblas.so.3), many times slower."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    return ",".join(sorted(paths)) or "none-found"


def torch_worker(args):
    """Runs one PyTorch workload in this process and prints its key=value line."""
    import torch
    torch.set_num_threads(1)
    kind = args[0]
    if kind == "blas":
        print(f"workload=blas library={blas_library(torch)}")
        return
    # w2 BATCH EPOCHS [SEED] DATA_DIR: the seed drives initialisation and shuffling, as dense's does.
    torch.manual_seed(int(args[3]) if kind == "w2" and len(args) == 5 else 0)

    def dense_layer(inputs, units):
        layer = torch.nn.Linear(inputs, units)
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
        return layer

    if kind == "w1":
        repeats = int(args[1])
        x = torch.tensor(CELSIUS).reshape(-1, 1)
        y = torch.tensor(FAHRENHEIT).reshape(-1, 1)
        times = []
        for _ in range(repeats):
            model = dense_layer(1, 1)
            optimizer = torch.optim.Adam(model.parameters(), lr=0.1, eps=1e-7)
            loss_fn = torch.nn.MSELoss()
            start = time.perf_counter()
            for _ in range(500):
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        with torch.no_grad():
            prediction = model(torch.tensor([[100.0]])).item()
        print(f"workload=w1_torch seconds={seconds:.9f} us_per_epoch={seconds / 500 * 1e6:.4f} "
              f"prediction_100C={prediction:.2f}")
        return

    data = load_fashion(args[-1])
    mlp = torch.nn.Sequential(dense_layer(784, 256), torch.nn.ReLU(), dense_layer(256, 128), torch.nn.ReLU(),
                              dense_layer(128, 10))
    if kind == "w2":
        batch, epochs = int(args[1]), int(args[2])
        x_train, y_train, x_test, y_test = data
        optimizer = torch.optim.Adam(mlp.parameters(), lr=0.001, eps=1e-7)
        loss_fn = torch.nn.CrossEntropyLoss()
        epoch_times, epoch_cpu = [], []
        for _ in range(epochs):
            start, cpu_start = time.perf_counter(), time.process_time()
            order = torch.randperm(x_train.shape[0])
            total = 0.0
            for first in range(0, x_train.shape[0], batch):
                rows = order[first:first + batch]
                optimizer.zero_grad()
                loss = loss_fn(mlp(x_train[rows]), y_train[rows])
                loss.backward()
                optimizer.step()
                total += loss.item()
            epoch_times.append(time.perf_counter() - start)
            epoch_cpu.append(time.process_time() - cpu_start)
        with torch.no_grad():
            accuracy = (mlp(x_test).argmax(1) == y_test).float().mean().item()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"workload=w2_torch batch={batch} seconds_per_epoch={statistics.median(epoch_times):.4f} "
              f"cpu_seconds_per_epoch={statistics.median(epoch_cpu):.4f} "
              f"first_epoch={epoch_times[0]:.4f} test_accuracy={accuracy:.4f} peak_rss_mib={rss:.1f}")
    elif kind == "w3":
        torch_pass = torch_inference_pass(mlp, data[2], data[3])
        rates = {request: [] for request in W3_REQUESTS}  # each pass 5 times, in turn, as bench_workloads w3
        for _ in range(5):
            for request, passes in rates.items():
                samples, seconds = torch_pass(request)
                passes.append(samples / seconds)
        print("workload=w3_torch " + " ".join(f"{request}_samples_per_s={statistics.median(passes):.0f}"
                                              for request, passes in rates.items()))
    elif kind == "w3serve":
        torch_pass = torch_inference_pass(mlp, data[2], data[3])
        print("ready", flush=True)
        for request in sys.stdin:
            samples, seconds = torch_pass(request.strip())
            print(f"samples={samples} seconds={seconds:.9f}", flush=True)


# Rows a batch-1 pass predicts, one call each (bench_workloads' InferencePasses::single_rows).
SINGLE_ROWS = 2000


def torch_inference_pass(mlp, x_test, y_test):
    """W3's passes in PyTorch, as bench_workloads' InferencePasses: a function of a request
    (batch1, batch256, evaluate256, loop64, loop256, loop1024) that runs one pass and returns
    (samples, seconds)."""
    import torch
    mlp.eval()

    def evaluated():
        """Keras' evaluate: the mean cross-entropy and the accuracy, in batches of 256."""
        loss, correct = torch.zeros(()), torch.zeros((), dtype=torch.long)
        for first in range(0, x_test.shape[0], 256):
            logits, labels = mlp(x_test[first:first + 256]), y_test[first:first + 256]
            loss += torch.nn.functional.cross_entropy(logits, labels, reduction="sum")
            correct += (logits.argmax(1) == labels).sum()
        return (loss / x_test.shape[0]).item(), (correct / x_test.shape[0]).item()  # Python numbers, as Keras'

    def predicted(batch, rows):
        for first in range(0, rows, batch):
            mlp(x_test[first:first + batch])

    def timed(request):
        with torch.inference_mode():
            start = time.perf_counter()
            if request == "batch1":
                predicted(1, SINGLE_ROWS)
                return SINGLE_ROWS, time.perf_counter() - start
            if request == "evaluate256":
                evaluated()
            else:
                predicted(256 if request == "batch256" else int(request.removeprefix("loop")), x_test.shape[0])
            return x_test.shape[0], time.perf_counter() - start

    return timed


def load_fashion(directory):
    """Fashion-MNIST as float tensors scaled to [0, 1] and int64 labels (IDX files, gzip)."""
    import gzip
    import torch

    def idx(name, offset):
        with gzip.open(os.path.join(directory, name), "rb") as f:
            return bytearray(f.read()[offset:])

    def images(name):
        return torch.frombuffer(idx(name, 16), dtype=torch.uint8).reshape(-1, 784).float() / 255.0

    def labels(name):
        return torch.frombuffer(idx(name, 8), dtype=torch.uint8).long()

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def torch_run(args, threads):
    return run([sys.executable, os.path.abspath(__file__), "--torch-worker", *map(str, args)], threads)


def alternating(rounds, *runs):
    """Calls each run `rounds` times, in turn (a, b, a, b, ...), so that a noisy stretch of the
    machine hits both sides; returns each run's fields as the median over its rounds."""
    results = [[] for _ in runs]
    for _ in range(rounds):
        for result, run_once in zip(results, runs):
            result.append(run_once())
    return [{key: statistics.median(r[key] for r in result) if isinstance(result[0][key], float) else result[0][key]
             for key in result[0]} for result in results]


def paired(pairs, run_a, run_b, keys):
    """Runs a and b back to back `pairs` times; returns, for each key, a's median, b's median, the
    median of b/a pair by pair (which holds when the machine changes speed between pairs) and the
    span of those ratios as text."""
    a_runs, b_runs = [], []
    for _ in range(pairs):
        a_runs.append(run_a())
        b_runs.append(run_b())
    results = {}
    for key in keys:
        ratios = [b[key] / a[key] for a, b in zip(a_runs, b_runs)]
        results[key] = (statistics.median(a[key] for a in a_runs), statistics.median(b[key] for b in b_runs),
                        statistics.median(ratios), f"pair ratios {min(ratios):.2f}–{max(ratios):.2f}")
    return results


class Server:
    """A process that answers requests for one timed pass each (bench_workloads w3serve, or the
    PyTorch worker's w3serve), kept running so that two of them can take turns pass by pass."""

    def __init__(self, command, threads):
        self.process = subprocess.Popen(command, env=thread_environment(threads), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"{command[0]} did not start serving")

    def ask(self, request):
        """The answer's fields as a dict of floats."""
        self.process.stdin.write(request + "\n")
        self.process.stdin.flush()
        return parse_line("workload=served " + self.process.stdout.readline())

    def samples_per_s(self, request):
        answer = self.ask(request)
        return answer["samples"] / answer["seconds"]

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.process.stdin.close()
        self.process.wait()


# W3's passes: request, row name, issue 19's target, digits of the ratio.
W3_ROWS = (("batch1", "W3 inference batch 1", "≥ 4×", 1),
           ("batch256", "W3 inference batch 256, one call", "≥ 1.1×", 2),
           ("evaluate256", "W3 evaluate (loss, accuracy), batch 256", "≥ 1.1×", 2),
           ("loop64", "W3 user loop, batch 64", "≥ 1.1×", 2),
           ("loop256", "W3 user loop, batch 256", "≥ 1.1×, ≥ 370 k/s", 2),
           ("loop1024", "W3 user loop, batch 1024", "≥ 1.1×", 2))
W3_REQUESTS = tuple(request for request, *_ in W3_ROWS)
# Idle time before each pair of passes: OpenBLAS's threads spin for about 0.1 s after a product
# before they sleep, and would take a core from a dense pass that followed at once.
PASS_REST_S = 0.25


def back_to_back_passes(rounds, first, second, requests):
    """For each round and request, a pause (PASS_REST_S), a pass of `first`, then at once a pass of
    `second`, after a round to warm up. On a shared virtual machine the cores' speed is drawn
    again when they wake from idle and holds while they stay busy (the speeds of dense's passes
    after a pause: 0.58, 0.74 or 1.1 ms a batch of 256, for a whole pass), so the two passes of a
    pair, one right after the other, run on the machine in the same state. `first` is dense:
    OpenBLAS's threads spin on after PyTorch's pass and would take a core from a dense pass that
    followed at once. Each round starts with `first`'s measure of the cores' hand-off
    (bench_workloads' "handoff") and prints its ratios on stderr. Returns, per request, the
    median samples/s of `second` and of `first`, the median of first/second pass by pass and
    the span of those ratios."""
    rates = {request: ([], []) for request in requests}
    for round_index in range(rounds + 1):
        handoff_ns = first.ask("handoff")["round_trip_ns"]
        for request in requests:
            time.sleep(PASS_REST_S)
            ours = first.samples_per_s(request)
            theirs = second.samples_per_s(request)
            if round_index > 0:
                rates[request][0].append(theirs)
                rates[request][1].append(ours)
        if round_index > 0:
            print(f"W3 round {round_index}: cross-core round trip {handoff_ns:.0f} ns; ratios " +
                  " ".join(f"{request} {rates[request][1][-1] / rates[request][0][-1]:.2f}" for request in requests),
                  file=sys.stderr, flush=True)
    results = {}
    for request, (their_rates, our_rates) in rates.items():
        ratios = [ours / theirs for theirs, ours in zip(their_rates, our_rates)]
        results[request] = (statistics.median(their_rates), statistics.median(our_rates), statistics.median(ratios),
                            f"pair ratios {min(ratios):.2f}–{max(ratios):.2f}")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build-perf"))
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=21, help="W1 repeats (median)")
    parser.add_argument("--seeds", type=int, default=5, help="W2 seeds for the mean test accuracy")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each side, alternating; the table gives their medians")
    parser.add_argument("--pairs", type=int, default=15,
                        help="W1 dense/FANN runs back to back; the ratio is the median pair's")
    parser.add_argument("--w3-pairs", type=int, default=7,
                        help="W3 PyTorch/dense runs back to back; each ratio is the median pair's")
    parser.add_argument("--w3-after-idle", type=int, default=0, metavar="ROUNDS",
                        help="W3 instead as ROUNDS pairs of single passes, each pair after a pause (see back_to_back_passes)")
    parser.add_argument("--only", nargs="+", choices=("w1", "w2", "w3", "w4"), default=("w1", "w2", "w3", "w4"),
                        help="run these workloads only")
    parser.add_argument("--torch-worker", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.torch_worker:
        torch_worker(options.torch_worker)
        return

    workloads = os.path.join(options.build, "bench", "bench_workloads")
    fann = os.path.join(options.build, "bench", "bench_fann")
    rows = []

    def row(workload, setting, unit, dense_value, other_value, other, ratio, target):
        rows.append((workload, setting, unit, dense_value, other_value, other, ratio, target))
        print(" | ".join(map(str, rows[-1])), file=sys.stderr, flush=True)

    if "w1" in options.only:
        # W1: whole training time; ratio = how many times faster dense is. Each side runs in turn
        # (dense, PyTorch, dense, ...): a run lasts well under a second, shorter than the slow
        # stretches of a shared machine, which would otherwise fall on one side only. Against FANN,
        # whose runs take milliseconds, --pairs runs back to back, each pair giving a ratio.
        dense_w1 = lambda: run([workloads, "w1", str(options.repeats)], ONE_CORE)
        d, t = alternating(options.rounds, dense_w1, lambda: torch_run(["w1", 7], ONE_CORE))
        row("W1 Celsius, 500 epochs", "1 thread", "ms total", f"{d['seconds'] * 1e3:.3f}", f"{t['seconds'] * 1e3:.1f}",
            "PyTorch", f"{t['seconds'] / d['seconds']:.0f}×", "≥ 300×")
        dense_us, fann_us, fann_ratio, span = paired(options.pairs, dense_w1,
                                                     lambda: run([fann, str(options.repeats)], ONE_CORE),
                                                     ["us_per_epoch"])["us_per_epoch"]
        row("W1 Celsius, 500 epochs", f"1 thread (FANN: iRPROP−), {options.pairs} pairs ({span})", "µs/epoch",
            f"{dense_us:.3f}", f"{fann_us:.3f}", "FANN", f"{fann_ratio:.2f}×", "≥ 1×")
        # The C++ peers that cannot be built here (not in Debian): their epochs as the issue measured
        # them, against dense's put on the issue's scale by FANN, which both measure. genann trains by
        # plain SGD, so dense runs with SGD for that row.
        dense_sgd_w1 = lambda: run([workloads, "w1", str(options.repeats), "sgd"], ONE_CORE)
        _, _, sgd_fann_ratio, sgd_span = paired(options.pairs, dense_sgd_w1,
                                                lambda: run([fann, str(options.repeats)], ONE_CORE),
                                                ["us_per_epoch"])["us_per_epoch"]
        for ratio, optimizer, pair_span, peer, theirs in ((fann_ratio, "Adam", span, "MiniDNN", ISSUE_MINIDNN_US),
                                                          (sgd_fann_ratio, "SGD", sgd_span, "genann (plain SGD)",
                                                           ISSUE_GENANN_US)):
            scaled = ISSUE_FANN_US / ratio  # FANN's epoch there over how many times faster dense is here
            row("W1 Celsius, scaled to the issue's machine", f"dense with {optimizer}: FANN's {ISSUE_FANN_US} µs / the "
                f"FANN/dense ratio, {options.pairs} pairs ({pair_span})", "µs/epoch", f"{scaled:.3f}", f"{theirs:.3f}",
                f"{peer}, the issue's figure", f"{theirs / scaled:.2f}×", "≥ 1× (ahead)")

    if "w2" in options.only:
        # W2: seconds per epoch and accuracy; ratio = dense time / PyTorch time.
        rss = None
        for batch, threads, name, target in ((128, TWO_CORES, "2 threads", "≤ 0.53"), (32, TWO_CORES, "2 threads", "≤ 0.3"),
                                             (128, ONE_CORE, "1 thread", "≤ 0.65")):
            d, t = alternating(options.rounds,
                               lambda: run([workloads, "w2", str(batch), str(options.epochs), options.data], threads),
                               lambda: torch_run(["w2", batch, options.epochs, options.data], threads))
            rss = rss or d
            setting = f"batch {batch}, {name}" + (" (torch 1 + OpenBLAS 2)" if threads is TWO_CORES else " (torch 1 + OpenBLAS 1)")
            row("W2 MLP epoch", setting, "s/epoch", f"{d['seconds_per_epoch']:.3f}", f"{t['seconds_per_epoch']:.3f}",
                "PyTorch", f"{d['seconds_per_epoch'] / t['seconds_per_epoch']:.2f}", target)
            row("W2 MLP epoch, CPU time", setting, "CPU s/epoch (all threads)", f"{d['cpu_seconds_per_epoch']:.3f}",
                f"{t['cpu_seconds_per_epoch']:.3f}", "PyTorch",
                f"{d['cpu_seconds_per_epoch'] / t['cpu_seconds_per_epoch']:.2f}", "(load-independent view)")
            row("W2 test accuracy, one seed", setting + f", {options.epochs} epochs", "%", f"{d['test_accuracy'] * 100:.2f}",
                f"{t['test_accuracy'] * 100:.2f}", "PyTorch",
                f"{(d['test_accuracy'] - t['test_accuracy']) * 100:+.2f} pt", "(judged on the mean of seeds)")
        # One seed's accuracy moves by ±0.4 points from seed to seed (on both sides), more than the
        # target's margin, so the accuracy target is judged on the mean over several seeds.
        dense_accuracy, torch_accuracy = [], []
        for seed in range(1, options.seeds + 1):
            dense_accuracy.append(run([workloads, "w2", "128", str(options.epochs), options.data, str(seed)],
                                      TWO_CORES)["test_accuracy"] * 100)
            torch_accuracy.append(torch_run(["w2", 128, options.epochs, seed, options.data], TWO_CORES)["test_accuracy"] * 100)
        spread = lambda values: f"{min(values):.2f}–{max(values):.2f}"
        row("W2 test accuracy, mean of seeds", f"batch 128, {options.epochs} epochs, seeds 1–{options.seeds} "
            f"(dense {spread(dense_accuracy)}, PyTorch {spread(torch_accuracy)})", "%",
            f"{statistics.mean(dense_accuracy):.2f}", f"{statistics.mean(torch_accuracy):.2f}", "PyTorch",
            f"{statistics.mean(dense_accuracy) - statistics.mean(torch_accuracy):+.2f} pt", "≥ −0.3 pt")
        parameters = rss["parameters"]
        # A batch of inputs, then z, a, dL/dz and dL/dx of each layer; parameters with gradients and Adam's m, v.
        activations_mib = 128 * (784 + 4 * (256 + 128 + 10)) * 4 / 2**20
        budget = rss["data_mib"] + parameters * 4 * 4 / 2**20 + activations_mib
        row("W2 peak memory", "batch 128, 2 threads", "MiB", f"{rss['peak_rss_mib']:.0f}", f"{budget:.0f}",
            "data+params+state+activations", f"{rss['peak_rss_mib'] / budget:.2f}", "≤ 1.3")

    if "w3" in options.only:
        # W3: samples per second; ratio = dense / PyTorch, the median pair's: --w3-pairs pairs of
        # whole runs, or with --w3-after-idle that many rounds of passes after a pause.
        blas = torch_run(["blas"], TWO_CORES)["library"]
        print(f"PyTorch's BLAS: {blas}" + ("" if "openblas" in blas else "  (NOT OpenBLAS: install libopenblas0-pthread)"))
        if options.w3_after_idle:
            with Server([workloads, "w3serve", options.data], TWO_CORES) as ours, \
                    Server([sys.executable, os.path.abspath(__file__), "--torch-worker", "w3serve", options.data],
                           TWO_CORES) as theirs:
                w3 = back_to_back_passes(options.w3_after_idle, ours, theirs, W3_REQUESTS)
            how = f"{options.w3_after_idle} pairs of passes after a pause"
        else:
            keys = [f"{request}_samples_per_s" for request in W3_REQUESTS]
            by_key = paired(options.w3_pairs, lambda: torch_run(["w3", options.data], TWO_CORES),
                            lambda: run([workloads, "w3", options.data], TWO_CORES), keys)
            w3 = {request: by_key[key] for request, key in zip(W3_REQUESTS, keys)}
            how = f"{options.w3_pairs} pairs of runs"
        for request, name, target, digits in W3_ROWS:
            their_rate, our_rate, ratio, span = w3[request]
            row(name, f"2 threads (torch 1 + OpenBLAS 2), {how} ({span})", "samples/s", f"{our_rate:.0f}",
                f"{their_rate:.0f}", "PyTorch", f"{ratio:.{digits}f}×", target)

    if "w4" in options.only:
        # W4: training GFLOP/s against OpenBLAS sgemm on the same products, in blocks of steps that
        # alternate inside each run; the ratio is the median over runs of each run's median block ratio.
        d, = alternating(options.rounds, lambda: run([workloads, "w4", "8"], {"OPENBLAS_NUM_THREADS": "2",
                                                                              "DENSE_NUM_THREADS": "2"}))
        row("W4 wide MLP training", "batch 256, 2 threads (OpenBLAS 2), 8 alternating blocks of 5 steps", "GFLOP/s",
            f"{d['gflops']:.1f}", f"{d['openblas_gflops']:.1f}", "OpenBLAS sgemm", f"{d['paired_ratio'] * 100:.0f} %",
            "≥ 85 %")

    print("\n| workload | setting | unit | dense | other | other is | ratio | target |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(map(str, r)) + " |")


if __name__ == "__main__":
    main()
