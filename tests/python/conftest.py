"""Shared data for the Python package's tests (run by scripts/test_python.sh)."""
import os
import pathlib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def regression_data():
    """y = x₀ − 2x₁ + x₂² plus a little noise: 120 rows, 3 features, float32."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(120, 3)).astype(np.float32)
    y = (x[:, 0] - 2 * x[:, 1] + x[:, 2] ** 2 + rng.normal(0, 0.05, 120)).astype(np.float32).reshape(-1, 1)
    return x, y


@pytest.fixture
def class_data():
    """Three classes separated by the sign of x₀ + x₁ and of x₂: 150 rows, 4 features, float32."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(150, 4)).astype(np.float32)
    y = np.where(x[:, 0] + x[:, 1] > 0, 2, np.where(x[:, 2] > 0, 1, 0)).astype(np.float32)
    return x, y


@pytest.fixture(scope="session")
def reference_fit():
    """The C++ program that trains the same models as test_same_as_cpp.py (tests/python/reference_fit.cpp)."""
    path = os.environ.get("DENSE_REFERENCE_FIT")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("DENSE_REFERENCE_FIT must name the built dense_reference_fit program "
                    "(scripts/test_python.sh builds it and sets it)")
    return path
