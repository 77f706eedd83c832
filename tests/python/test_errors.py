"""Mistakes get Python exceptions that say what is wrong, carrying the C++ message: dense.DataError
and dense.UsageError (both ValueError) from the core, TypeError for values of the wrong kind.
Never a crash."""
import numpy as np
import pandas
import pytest

import dense
from dense.layers import Dense


@pytest.fixture
def classifier():
    model = dense.Sequential([Dense(3, activation="softmax", input_dim=2)])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


X = np.ones((4, 2), dtype=np.float32)
LABELS = np.array([0, 1, 2, 1])


def test_errors_are_value_errors():
    assert issubclass(dense.Error, ValueError)
    assert issubclass(dense.DataError, dense.Error) and issubclass(dense.UsageError, dense.Error)


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.predict(np.ones((3, 5), np.float32)), dense.DataError,
     "predict: the model expects 2 features per sample, got input of shape [3, 5]; give 2 feature columns"),
    (lambda m: m.fit(X, LABELS[:3], verbose=0), dense.DataError, "fit: x has 4 rows but y has 3"),
    (lambda m: m.fit(X, np.array([0, 1, 7, 1]), verbose=0), dense.DataError,
     "label 7.000000 in row 2 is not a class index in [0, 3)"),
    (lambda m: m.predict(np.ones((0, 2), np.float32)), dense.DataError, "the input has no rows"),
    (lambda m: m.predict(np.ones((2, 2, 2), np.float32)), dense.DataError, "must be a 2-D array"),
    (lambda m: m.set_weights([np.ones((3, 3)), np.ones(3)]), dense.DataError,
     "layer 'dense' (Dense, 3 units) expects weights {[2, 3], [3]}"),
])
def test_bad_shapes_are_data_errors_naming_the_shapes(classifier, call, error, message):
    with pytest.raises(error) as raised:
        call(classifier)
    assert message in str(raised.value)


@pytest.mark.parametrize("bad, where", [(np.nan, "row 1, column 0 is NaN"), (np.inf, "row 1, column 0")])
def test_nan_or_infinite_input_is_a_data_error_naming_the_cell(classifier, bad, where):
    x = X.copy()
    x[1, 0] = bad
    for call in (lambda: classifier.fit(x, LABELS, verbose=0), lambda: classifier.predict(x),
                 lambda: classifier.evaluate(x, LABELS, verbose=0)):
        with pytest.raises(dense.DataError, match=where):
            call()


def test_nan_target_is_a_data_error(classifier):
    with pytest.raises(dense.DataError, match="target row 2, column 0 is NaN"):
        classifier.fit(X, np.array([0, 1, np.nan, 1]), verbose=0)


@pytest.mark.parametrize("x, found", [
    (np.array([["1", "2"], ["3", "4"]]), "strings"),
    (np.array([[b"1", b"2"]]), "byte strings"),
    (np.array([["2024-01-01", "2024-01-02"]], dtype="datetime64[D]"), "dates and times"),
    (np.array([[1, 2]], dtype="timedelta64[s]"), "time spans"),
    (pandas.DataFrame({"day": pandas.to_datetime(["2024-01-01"]), "rain": [1.0]}), "dates and times"),
    (pandas.Series(pandas.to_timedelta([1, 2], unit="h")), "time spans"),
])
def test_strings_dates_and_times_are_type_errors_not_numbers(x, found):
    # numpy would turn them into numbers (1.7e18 nanoseconds for a date) without a word.
    model = dense.Sequential([Dense(1, input_dim=2)])
    with pytest.raises(TypeError, match=f"x holds {found} .*not numbers"):
        model.predict(x)


@pytest.mark.parametrize("call, message", [
    (lambda: dense.Sequential([Dense(3, activation="relux", input_dim=2)]), "unknown activation 'relux'; use one of"),
    (lambda: dense.Sequential([Dense(3, kernel_initializer="glorot", input_dim=2)]), "unknown initializer 'glorot'"),
    # As Keras, where the layer is made, before any model:
    (lambda: Dense(3, activation="relux"), "unknown activation 'relux'; use one of"),
    (lambda: Dense(3, bias_initializer="zero"), "unknown initializer 'zero'"),
    (lambda: dense.layers.Activation("relux"), "unknown activation 'relux'; use one of"),
    (lambda: dense.Sequential([Dense(1, input_dim=2)]).compile("adamx", "mse"), "unknown optimizer 'adamx'"),
    (lambda: dense.Sequential([Dense(1, input_dim=2)]).compile("adam", "msee"), "unknown loss 'msee'"),
    (lambda: dense.Sequential([Dense(1, input_dim=2)]).compile("adam", "mse", metrics=["acc2"]),
     "unknown metric 'acc2'"),
    (lambda: dense.Sequential([Dense(1, input_dim=2)]).fit(X, LABELS), "fit needs a compiled model"),
    (lambda: dense.Sequential().predict(X), "has no layers"),
])
def test_unknown_names_and_misuse_are_usage_errors(call, message):
    with pytest.raises(dense.UsageError, match=message):
        call()


def test_callback_options_are_checked_by_the_core(classifier):
    with pytest.raises(dense.UsageError, match="EarlyStopping monitors 'val_foo', which is not logged"):
        classifier.fit(X, LABELS, verbose=0, callbacks=[dense.callbacks.EarlyStopping(monitor="val_foo")])
    with pytest.raises(dense.UsageError, match="mode must be 'auto', 'min' or 'max'"):
        classifier.fit(X, LABELS, verbose=0, callbacks=[dense.callbacks.ReduceLROnPlateau(mode="sideways")])


@pytest.mark.parametrize("call", [
    lambda m: m.predict("abc"),
    lambda m: m.predict([[1, "a"]]),
    lambda m: m.predict(np.ones((2, 2), dtype=np.complex64)),
    lambda m: m.fit(X, None),
    lambda m: m.compile(optimizer=3, loss="mse"),
    lambda m: m.compile(optimizer="adam", loss=len),
    lambda m: m.fit(X, LABELS, callbacks=[object()], verbose=0),
    lambda m: m.add("Dense"),
    lambda m: m.fit(X, LABELS, validation_split="0.2", verbose=0),
    lambda m: Dense(3, activation=np.tanh),
    lambda m: m.compile("adam", "sparse_categorical_crossentropy", metrics={"dense": "accuracy"}),
])
def test_values_of_the_wrong_kind_are_type_errors(classifier, call):
    with pytest.raises(TypeError):
        call(classifier)


def test_one_layer_without_a_list_says_to_write_the_list():
    # Keras' Sequential(Dense(3)) fails with "'Dense' object is not iterable".
    with pytest.raises(TypeError, match=r"Sequential takes a list of layers, got one Dense; write Sequential\(\[Dense"):
        dense.Sequential(Dense(3))


@pytest.mark.parametrize("call, message", [
    (lambda m: m.fit(X, LABELS, epochs=-1), "epochs must be a non-negative integer"),
    (lambda m: m.fit(X, LABELS, batch_size=0), "batch_size must be a positive integer"),
    (lambda m: m.fit(X, LABELS, epochs=10**10, verbose=0), "epochs must be at most 2147483647, got 10000000000"),
    (lambda m: m.fit(X, LABELS, validation_split=1.5, verbose=0), "validation_split must be in \\[0, 1\\)"),
    (lambda m: m.fit(X, LABELS, validation_split=float("nan"), verbose=0), "validation_split must be in .*, got nan"),
    (lambda m: m.fit(X, LABELS, verbose=3), "verbose must be"),
    (lambda m: dense.Sequential([Dense(2)]).build((None, 28, 28)), "input_shape must be \\(None, features\\)"),
    (lambda m: Dense(0), "units must be a positive integer"),
    (lambda m: Dense(2**64), "units must be below 2\\*\\*63"),
    (lambda m: Dense(2, input_dim=2**64), "input_dim must be below 2\\*\\*63"),
    (lambda m: dense.Sequential([Dense(2)]).build(2**64), "input_shape\\[0\\] must be below 2\\*\\*63"),
    (lambda m: dense.Sequential(dtype="int8"), "dtype must be 'float32' or 'float64'"),
    (lambda m: dense.layers.Dropout(1.0), "rate must be a number in \\[0, 1\\)"),
    (lambda m: dense.optimizers.Adam(learning_rate=-1), "learning_rate must be a positive number"),
])
def test_options_out_of_range_are_value_errors(classifier, call, message):
    with pytest.raises(ValueError, match=message):
        call(classifier)


def test_files_that_do_not_exist_or_are_not_models_are_data_errors(tmp_path):
    with pytest.raises(dense.DataError, match="cannot open the model file"):
        dense.load_model(tmp_path / "missing.dense")
    garbage = tmp_path / "garbage.dense"
    garbage.write_bytes(b"not a model")
    with pytest.raises(dense.DataError, match="is not a dense model file"):
        dense.load_model(garbage)
    with pytest.raises(ValueError, match="must end in"):
        dense.load_model(tmp_path / "model.txt")


def test_float64_models_cannot_become_keras_files(tmp_path):
    model = dense.Sequential([Dense(1, input_dim=2)], dtype="float64")
    with pytest.raises(dense.UsageError, match="a Keras file holds a float32 model; this model is float64"):
        model.save(tmp_path / "model.keras")


def test_the_model_is_usable_after_an_error(classifier):
    with pytest.raises(dense.DataError):
        classifier.fit(X, np.array([0, 1, 9, 1]), verbose=0)
    classifier.fit(X, LABELS, epochs=2, verbose=0)
    assert classifier.predict(X).shape == (4, 3)
