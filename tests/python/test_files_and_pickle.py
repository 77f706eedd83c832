"""Saving and loading from Python: .dense, Keras (.keras, .weights.h5) and ONNX files, and pickle."""
import copy
import pickle

import numpy as np
import pytest

import dense
from dense.layers import Dense, Dropout


def trained_model(regression_data, dtype="float32"):
    x, y = regression_data
    model = dense.Sequential([Dense(8, activation="tanh", input_dim=3), Dropout(0.1), Dense(1)], dtype=dtype)
    model.compile(optimizer=dense.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    return model


def assert_same_weights(a, b):
    for got, wanted in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(got, wanted)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dense_file_keeps_everything_and_training_continues_exactly(regression_data, tmp_path, dtype):
    x, y = regression_data
    model = trained_model(regression_data, dtype)
    model.save(tmp_path / "model.dense")
    loaded = dense.load_model(tmp_path / "model.dense")
    assert loaded.dtype == np.dtype(dtype)
    assert_same_weights(loaded, model)
    assert isinstance(loaded.optimizer, dense.optimizers.Adam) and loaded.loss == "mean_squared_error"
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    # The optimizer's state is in the file: both go on to the same weights.
    model.fit(x, y, epochs=5, initial_epoch=3, batch_size=16, verbose=0)
    loaded.fit(x, y, epochs=5, initial_epoch=3, batch_size=16, verbose=0)
    assert_same_weights(loaded, model)


def test_keras_archive_round_trip(regression_data, tmp_path):
    x, _ = regression_data
    model = trained_model(regression_data)
    model.save(tmp_path / "model.keras")
    loaded = dense.load_model(tmp_path / "model.keras")
    assert [type(layer).__name__ for layer in loaded.layers] == ["Dense", "Dropout", "Dense"]
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_save_takes_keras_overwrite_and_asks_before_replacing_a_file(regression_data, tmp_path, monkeypatch, capsys):
    # Keras 3's save(filepath, overwrite=True): with overwrite=False and a file there, it asks on
    # stdin ("[WARNING] ... already exists - overwrite? [y/n]") until the answer is y or n.
    model = trained_model(regression_data)
    path = tmp_path / "model.keras"
    model.save(path, overwrite=True)
    before = path.read_bytes()
    prompts = []
    answers = iter(["maybe", "n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(answers))
    model.fit(*regression_data, epochs=1, verbose=0)
    model.save(path, overwrite=False)
    assert path.read_bytes() == before
    assert prompts == [f"[WARNING] {path} already exists - overwrite? [y/n]", 'Enter "y" (overwrite) or "n" (cancel).']
    model.save_weights(tmp_path / "model.weights.h5", overwrite=False)  # no file there: no question
    model.save(path, overwrite=False)
    assert path.read_bytes() != before and capsys.readouterr().out == "[TIP] Next time specify overwrite=True!\n"


def test_keras_weights_file_round_trip(regression_data, tmp_path):
    model = trained_model(regression_data)
    model.save_weights(tmp_path / "model.weights.h5")
    fresh = dense.Sequential([Dense(8, activation="tanh", input_dim=3), Dropout(0.1), Dense(1)], seed=99)
    fresh.load_weights(tmp_path / "model.weights.h5")
    assert_same_weights(fresh, model)


def test_onnx_round_trip(regression_data, tmp_path):
    x, _ = regression_data
    model = trained_model(regression_data)
    model.save(tmp_path / "model.onnx")
    loaded = dense.load_model(tmp_path / "model.onnx")
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6, atol=1e-6)


def test_onnx_file_runs_in_onnxruntime(regression_data, tmp_path):
    onnxruntime = pytest.importorskip("onnxruntime")
    x, _ = regression_data
    model = trained_model(regression_data)
    model.save(tmp_path / "model.onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "model.onnx"), providers=["CPUExecutionProvider"])
    (output,) = session.run(None, {"input": x})
    np.testing.assert_allclose(output, model.predict(x), rtol=1e-5, atol=1e-6)


def test_pickle_holds_the_model_file_and_restores_it(regression_data):
    x, y = regression_data
    model = trained_model(regression_data)
    data = pickle.dumps(model)
    assert b"\x89DNS\r\n\x1a\n" in data  # the .dense file's signature: pickle carries the model file
    restored = pickle.loads(data)
    assert_same_weights(restored, model)
    np.testing.assert_array_equal(restored.predict(x), model.predict(x))
    restored.fit(x, y, epochs=1, verbose=0)  # compiled, with its optimizer
    assert restored.layers[0]._model is restored and restored.optimizer._model is restored


def test_unbuilt_models_pickle_and_deepcopy_as_their_layers(regression_data):
    x, y = regression_data
    model = dense.Sequential([Dense(4, activation="relu"), Dense(1)], seed=3)
    model.compile(optimizer=dense.optimizers.SGD(0.01), loss="mae")
    for copied in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        assert not copied.built and isinstance(copied.optimizer, dense.optimizers.SGD)
        copied.fit(x, y, epochs=1, verbose=0)
    twin = copy.deepcopy(model)
    model.fit(x, y, epochs=1, verbose=0)
    twin.fit(x, y, epochs=1, verbose=0)
    assert_same_weights(twin, model)


@pytest.mark.parametrize("name", ["model.dense", "model.keras"])
def test_load_model_with_compile_false_gives_an_uncompiled_model(regression_data, tmp_path, name):
    # Keras' load_model(compile=False): the model predicts, but fit and evaluate need compile first.
    x, y = regression_data
    model = trained_model(regression_data)
    model.save(tmp_path / name)
    loaded = dense.load_model(tmp_path / name, compile=False)
    assert loaded.optimizer is None and loaded.loss is None
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(dense.UsageError, match="compile"):
        loaded.fit(x, y, epochs=1, verbose=0)
    loaded.compile(optimizer="sgd", loss="mae")
    loaded.fit(x, y, epochs=1, verbose=0)
    assert isinstance(loaded.optimizer, dense.optimizers.SGD)


def test_load_model_takes_keras_custom_objects_and_safe_mode_and_says_custom_objects_go_unused(regression_data,
                                                                                              tmp_path):
    # Keras 3: load_model(filepath, custom_objects=None, compile=True, safe_mode=True). dense builds
    # its layers, activations and losses in C++: Python objects given it cannot be used, and it says so.
    x, _ = regression_data
    model = trained_model(regression_data)
    model.save(tmp_path / "model.keras")
    loaded = dense.load_model(tmp_path / "model.keras", custom_objects={}, compile=True, safe_mode=False)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.warns(UserWarning, match=r"custom_objects \['my_activation'\] are not used"):
        dense.load_model(tmp_path / "model.keras", custom_objects={"my_activation": np.tanh})
    with pytest.raises(TypeError, match="custom_objects must be a dict"):
        dense.load_model(tmp_path / "model.keras", False)
