"""Python trains bit for bit what C++ trains: the same models, written once in C++
(reference_fit.cpp) and once here, on the same data and seeds, end with identical weights and
predictions — compared as raw bytes, not within a tolerance."""
import subprocess

import numpy as np

import dense
from dense.layers import Dense, Dropout


def cpp_result(reference_fit, scenario, x, y, tmp_path):
    """Every weight array, then the predictions on x, as the C++ program wrote them."""
    x_path, y_path, out_path = tmp_path / "x.bin", tmp_path / "y.bin", tmp_path / "out.bin"
    x.tofile(x_path)
    y.tofile(y_path)
    subprocess.run([reference_fit, scenario, str(x.shape[0]), str(x.shape[1]), str(y.shape[1]), str(x_path),
                    str(y_path), str(out_path)], check=True)
    return np.fromfile(out_path, dtype=x.dtype)


def python_result(model, x):
    return np.concatenate([w.ravel() for w in model.get_weights()] + [model.predict(x).ravel()])


def assert_same_bits(python, cpp):
    assert python.dtype == cpp.dtype and python.shape == cpp.shape
    assert python.tobytes() == cpp.tobytes(), f"first difference at {np.flatnonzero(python != cpp)[:5]}"


def test_regression_with_validation_split_matches_cpp(reference_fit, regression_data, tmp_path):
    x, y = regression_data
    model = dense.Sequential([Dense(16, activation="relu", input_dim=3), Dense(8, activation="tanh"), Dense(1)], seed=7)
    model.compile(optimizer=dense.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=5, batch_size=16, validation_split=0.2, verbose=0)
    assert_same_bits(python_result(model, x), cpp_result(reference_fit, "regression", x, y, tmp_path))


def test_classification_with_dropout_and_fit_seed_matches_cpp(reference_fit, class_data, tmp_path):
    x, y = class_data
    model = dense.Sequential([Dense(12, activation="elu", input_dim=4), Dropout(0.25), Dense(3, activation="softmax")],
                             seed=3)
    model.compile(optimizer=dense.optimizers.RMSprop(0.005), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=4, batch_size=10, verbose=0, seed=11)
    assert_same_bits(python_result(model, x), cpp_result(reference_fit, "classification", x, y.reshape(-1, 1), tmp_path))


def test_float64_model_matches_cpp(reference_fit, regression_data, tmp_path):
    x, y = (a.astype(np.float64) for a in regression_data)
    model = dense.Sequential([Dense(6, activation="sigmoid", input_dim=3, kernel_initializer="he_normal",
                                    kernel_regularizer=dense.regularizers.l2(0.01)), Dense(1)], seed=5, dtype="float64")
    model.compile(optimizer=dense.optimizers.SGD(0.05, momentum=0.9, nesterov=True), loss="huber")
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert_same_bits(python_result(model, x), cpp_result(reference_fit, "float64", x, y, tmp_path))


def test_data_converted_from_float64_trains_as_the_float32_values(reference_fit, regression_data, tmp_path):
    """A float64 Fortran-ordered input is converted once; the result is what C++ gets from the float32 values."""
    x, y = regression_data
    model = dense.Sequential([Dense(16, activation="relu", input_dim=3), Dense(8, activation="tanh"), Dense(1)], seed=7)
    model.compile(optimizer=dense.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(np.asfortranarray(x.astype(np.float64)), y.ravel().tolist(), epochs=5, batch_size=16,
              validation_split=0.2, verbose=0)
    assert_same_bits(python_result(model, x), cpp_result(reference_fit, "regression", x, y, tmp_path))
