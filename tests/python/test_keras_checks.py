"""The Keras-shaped API where a user sweep found it silently wrong or unclear: unbuilt weights,
optimizer arguments, pickles of unbuilt models, shared layers, values out of range, compiled
.keras loads, metrics, threads, missing values, History's order and weighted fits."""
import json
import pickle
import zipfile

import numpy as np
import pytest

import dense
from dense.layers import Dense
from dense.optimizers import SGD, Adam, RMSprop


def test_an_unbuilt_model_and_its_layers_have_no_weights_as_in_keras():
    model = dense.Sequential([Dense(3), Dense(2)])
    assert model.get_weights() == []
    assert model.layers[0].get_weights() == []
    assert model.layers[0].kernel is None and model.layers[0].bias is None


@pytest.mark.parametrize("arguments, unknown", [({"lr": 0.5}, "'lr'"), ({"weight_decay": 100.0}, "'weight_decay'"),
                                                ({"clip_norm": 1e-9}, "'clip_norm'")])
def test_unknown_optimizer_arguments_are_a_type_error_naming_them(arguments, unknown):
    with pytest.raises(TypeError, match=f"unknown argument {unknown}; it takes learning_rate, beta_1.*clipnorm"):
        Adam(**arguments)


@pytest.mark.parametrize("loss", [dense.losses.Huber(delta=0.01),
                                  dense.losses.CategoricalCrossentropy(from_logits=True)])
def test_a_pickled_unbuilt_model_keeps_its_loss_options(loss):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(20, 3)) * 10, np.eye(2)[rng.integers(0, 2, 20)] * 10
    model = dense.Sequential([Dense(2)])
    model.compile("adam", loss)
    restored = pickle.loads(pickle.dumps(model))
    assert restored.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0))


def test_a_pickled_unbuilt_model_keeps_its_learning_rate_schedule():
    schedule = dense.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    model = dense.Sequential([Dense(2)])
    model.compile(Adam(schedule), "mse")
    restored = pickle.loads(pickle.dumps(model))
    assert restored.optimizer.get_config()["learning_rate"] == schedule.spec()


def test_a_layer_in_one_model_cannot_join_another():
    layer = Dense(2, input_dim=3)
    dense.Sequential([layer], name="first")
    with pytest.raises(dense.UsageError, match="already belongs to model 'first'; .* make a new layer"):
        dense.Sequential([layer])


@pytest.mark.parametrize("make", [lambda: dense.regularizers.L2(-1.0), lambda: RMSprop(rho=2),
                                  lambda: Adam(beta_1=1.5), lambda: Adam(epsilon=-1), lambda: SGD(momentum=-1),
                                  lambda: Adam(clipvalue=0),
                                  lambda: dense.Sequential([dense.Input(shape=(3,)), Dense(2, input_dim=5)])])
def test_values_out_of_range_are_value_errors(make):
    with pytest.raises(ValueError):
        make()


def test_a_keras_archive_loads_compiled_from_its_compile_config(tmp_path, regression_data):
    x, y = regression_data
    model = dense.Sequential([Dense(2, input_dim=3), Dense(1)])
    model.compile(Adam(0.01), "mean_squared_error", metrics=["mae"])
    model.save(tmp_path / "model.keras")
    loaded = dense.load_model(tmp_path / "model.keras")
    assert type(loaded.optimizer).__name__ == "Adam"
    assert loaded.optimizer.learning_rate == pytest.approx(0.01)
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-5)


def with_compile_config(path, **changes):
    """A copy of the .keras archive at ``path`` whose config.json's compile_config has ``changes``."""
    changed = path.with_name("changed.keras")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "config.json":
                config = json.loads(data)
                config["compile_config"].update(changes)
                data = json.dumps(config).encode()
            target.writestr(item, data)
    return changed


@pytest.mark.parametrize("changes", [{"loss": "my_loss"}, {"metrics": ["auc"]}])
def test_a_keras_archive_compiled_with_a_name_dense_lacks_loads_uncompiled_with_a_warning(tmp_path, regression_data,
                                                                                          changes):
    # As an optimizer or loss object dense lacks: Keras' model loads, its compile settings do not.
    x, _ = regression_data
    model = dense.Sequential([Dense(2, input_dim=3), Dense(1)])
    model.compile(Adam(0.01), "mse")
    model.save(tmp_path / "model.keras")
    with pytest.warns(UserWarning, match="the model is loaded uncompiled; its compile_config has what dense cannot"):
        loaded = dense.load_model(with_compile_config(tmp_path / "model.keras", **changes))
    assert loaded.optimizer is None and loaded.loss is None
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("schedule", [dense.schedules.ExponentialDecay(0.1, decay_steps=3, decay_rate=0.5, staircase=True),
                                      dense.schedules.CosineDecay(0.05, decay_steps=5, alpha=0.1),
                                      dense.schedules.PiecewiseConstantDecay([1.0, 2.0], [0.1, 0.05, 0.01])])
def test_a_keras_archive_keeps_a_learning_rate_schedule(tmp_path, schedule):
    """The archive holds the schedule as Keras writes one (round_trip.py has Keras read it); it
    used to hold the rate of the next step as a constant."""
    model = dense.Sequential([Dense(2, input_dim=3), Dense(1)])
    model.compile(Adam(schedule), "mse")
    model.save(tmp_path / "model.keras")
    loaded = dense.load_model(tmp_path / "model.keras")
    assert type(loaded.optimizer._learning_rate) is type(schedule)
    assert loaded.optimizer._learning_rate.get_config() == schedule.get_config()


def test_metrics_may_be_one_name_and_history_keeps_keras_order(regression_data):
    x, y = regression_data
    model = dense.Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", "mse", metrics="mae")
    history = model.fit(x, y, epochs=1, validation_split=0.2, verbose=0)
    assert list(history.history) == ["loss", "mae", "val_loss", "val_mae"]


def test_set_num_threads_refuses_a_negative_count():
    with pytest.raises(ValueError, match="count must be a whole number >= 0"):
        dense.set_num_threads(-1)


def test_predict_on_missing_values_does_not_speak_of_training():
    model = dense.Sequential([Dense(1, input_dim=2)])
    with pytest.raises(dense.DataError, match="is NaN; remove or fill the values that are not finite first"):
        model.predict(np.array([[1.0, np.nan]]), verbose=0)


@pytest.mark.parametrize("weights", [{"class_weight": {0: 1.0}}, {"sample_weight": np.ones(120)}])
def test_weighted_fits_say_they_are_not_supported(regression_data, weights):
    model = dense.Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=f"{next(iter(weights))} is not supported"):
        model.fit(*regression_data, verbose=0, **weights)
