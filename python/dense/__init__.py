"""dense: neural networks of Dense layers, trained in C++, with Keras' API and scikit-learn estimators.

    import dense
    model = dense.Sequential([dense.layers.Dense(1, input_dim=1)])
    model.compile(optimizer=dense.optimizers.Adam(0.1), loss="mean_squared_error")
    history = model.fit(celsius, fahrenheit, epochs=500, verbose=0)

Estimators for scikit-learn: ``from dense.sklearn import DenseClassifier, DenseRegressor``.
Errors are ``dense.Error`` (a ValueError): ``dense.DataError`` for bad data, shapes and files,
``dense.UsageError`` for unknown names and options out of range.
"""
from importlib.metadata import PackageNotFoundError, version

from dense import callbacks, initializers, layers, losses, optimizers, regularizers, schedules
from dense._core import DataError, Error, UsageError
from dense._threads import num_threads, set_num_threads
from dense.layers import Input
from dense.models import Sequential, load_model

try:
    __version__ = version("dense")
except PackageNotFoundError:  # imported from a source tree, not installed
    __version__ = "unknown"

__all__ = ["Sequential", "load_model", "Input", "layers", "optimizers", "losses", "callbacks", "initializers",
           "regularizers", "schedules", "Error", "DataError", "UsageError", "num_threads", "set_num_threads"]
