"""The examples in examples/python/ run, and print what they promise; the Celsius lesson's
numbers are the ones the C++ library computes for the same model (`dense demo`'s)."""
import re
import subprocess
import sys

import numpy as np
from conftest import ROOT
from test_same_as_cpp import cpp_result


def run_example(name):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "python" / name)], capture_output=True, text=True,
                          timeout=600, check=True)
    return done.stdout


def test_one_neuron_finds_2x_plus_3():
    w, b = map(float, re.search(r"y = ([-\d.]+)x \+ ([-\d.]+)", run_example("one_neuron.py")).groups())
    assert abs(w - 2) < 1e-3 and abs(b - 3) < 1e-3


def test_celsius_lesson_prints_the_cpp_librarys_numbers(reference_fit, tmp_path):
    celsius = np.array([[-40], [-10], [0], [8], [15], [22], [38]], dtype=np.float32)
    fahrenheit = np.array([[-40], [14], [32], [46], [59], [72], [100]], dtype=np.float32)
    w, b = cpp_result(reference_fit, "celsius", celsius, fahrenheit, tmp_path)[:2]
    output = run_example("celsius_to_fahrenheit.py")
    assert f"f = {w:.7f}·c + {b:.7f}" in output
    # Trained on, it reaches the least-squares line of the seven points (printed beside it).
    line = re.search(r"Epochs 500–3000: f = ([-\d.]+)·c \+ ([-\d.]+); least squares: f = ([-\d.]+)·c \+ ([-\d.]+)",
                     output)
    learned_w, learned_b, best_w, best_b = map(float, line.groups())
    assert abs(learned_w - best_w) < 1e-3 and abs(learned_b - best_b) < 1e-2


def test_scikit_learn_pipeline_example_classifies_well():
    output = run_example("sklearn_pipeline.py")
    accuracy = float(re.search(r"test accuracy: ([\d.]+)", output).group(1))
    assert accuracy > 0.9
    assert "MLPClassifier: test accuracy" in output
