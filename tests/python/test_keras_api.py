"""The Keras-shaped API: building, compiling, fit's History, evaluate, predict, summary, weights,
as Keras defines them."""
import inspect
import re

import numpy as np
import pandas
import pytest

import dense
from dense.layers import Activation, Dense, Dropout


def small_model(**kwargs):
    model = dense.Sequential([Dense(8, activation="relu", input_dim=3), Dense(1)], **kwargs)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def test_one_neuron_learns_y_equals_2x_plus_3():
    x = np.array([-1, 0, 1, 2, 3, 4], dtype=np.float32)
    y = 2 * x + 3
    model = dense.Sequential([Dense(1, input_dim=1)])
    model.compile(optimizer=dense.optimizers.Adam(0.1), loss="mean_squared_error")
    model.fit(x, y, epochs=500, verbose=0)
    kernel, bias = model.get_weights()
    # Least squares through six exact points is the line itself; Adam(0.1) gets within 1e-3 by 500 epochs.
    assert kernel[0, 0] == pytest.approx(2, abs=1e-3)
    assert bias[0] == pytest.approx(3, abs=1e-3)


def test_fit_returns_keras_history(regression_data):
    x, y = regression_data
    model = small_model()
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0)
    assert history is model.history
    assert history.epoch == [0, 1, 2]
    assert sorted(history.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert all(len(values) == 3 for values in history.history.values())
    assert history.params == {"epochs": 3, "steps": 6, "verbose": 0}  # 90 training rows / 16


def test_training_lowers_the_loss(regression_data):
    x, y = regression_data
    model = small_model()
    before = model.evaluate(x, y, verbose=0)[0]
    model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert model.evaluate(x, y, verbose=0)[0] < before / 2


def test_a_batch_size_past_the_rows_is_one_batch_of_them_all(regression_data):
    x, y = regression_data
    whole, huge = small_model(), small_model()
    whole.fit(x, y, batch_size=len(x), verbose=0)
    huge.fit(x, y, batch_size=2**64, verbose=0)
    for a, b in zip(whole.get_weights(), huge.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(huge.predict(x, batch_size=2**64), huge.predict(x, batch_size=len(x)))


def test_evaluate_returns_loss_then_metrics_or_a_dict(regression_data):
    x, y = regression_data
    model = small_model()
    loss, mae = model.evaluate(x, y, verbose=0)
    predictions = model.predict(x)
    # Keras' mean squared error and mean absolute error, computed here from the predictions.
    assert loss == pytest.approx(np.mean((predictions - y) ** 2), rel=1e-5)
    assert mae == pytest.approx(np.mean(np.abs(predictions - y)), rel=1e-5)
    assert model.evaluate(x, y, return_dict=True, verbose=0) == {"loss": loss, "mae": mae}
    plain = dense.Sequential([Dense(1, input_dim=3)])
    plain.compile(optimizer="sgd", loss="mse")
    assert isinstance(plain.evaluate(x, y, verbose=0), float)


def test_predict_computes_the_layers_formula():
    model = dense.Sequential([Dense(2, activation="relu", input_dim=2), Dense(1, activation="sigmoid")])
    model.set_weights([np.array([[1, -1], [2, 0.5]]), np.array([0.1, -0.2]), np.array([[0.3], [-0.7]]),
                       np.array([0.05])])
    x = np.array([[0.5, -1.0], [2.0, 1.0]], dtype=np.float32)
    hidden = np.maximum(x @ np.array([[1, -1], [2, 0.5]]) + [0.1, -0.2], 0)
    expected = 1 / (1 + np.exp(-(hidden @ np.array([[0.3], [-0.7]]) + 0.05)))
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-6)


def test_weights_come_in_keras_order_and_shapes():
    model = dense.Sequential([Dense(4, input_dim=3), Dropout(0.5), Dense(2, use_bias=False)])
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(3, 4), (4,), (4, 2)]
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert model.count_params() == 3 * 4 + 4 + 4 * 2
    assert [layer.count_params() for layer in model.layers] == [16, 0, 8]


def test_set_weights_round_trips_and_layers_see_them():
    model = dense.Sequential([Dense(2, input_dim=2), Dense(1)])
    weights = [np.arange(4.0).reshape(2, 2), np.array([1.0, 2.0]), np.array([[3.0], [4.0]]), np.array([5.0])]
    model.set_weights(weights)
    for got, wanted in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, wanted)
    np.testing.assert_array_equal(model.layers[0].kernel, weights[0])
    np.testing.assert_array_equal(model.layers[1].bias, weights[3])
    model.layers[1].set_weights([np.zeros((2, 1)), np.array([7.0])])
    assert model.get_weights()[3][0] == 7.0


def test_layers_get_keras_names_and_report_their_shapes():
    model = dense.Sequential([dense.Input(shape=(5,)), Dense(4, activation="tanh"), Dense(4), Activation("softmax")])
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "activation"]
    assert model.built and model.input_shape == (None, 5) and model.output_shape == (None, 4)
    assert model.layers[0].output_shape == (None, 4)
    assert model.layers[0].get_config()["activation"] == "tanh"


def test_get_layer_finds_a_layer_by_name_or_index_as_keras_3():
    # keras/src/models/model.py: get_layer(name=None, index=None), a ValueError naming the choices.
    model = dense.Sequential([Dense(4, input_dim=3, name="hidden"), Dropout(0.5), Dense(1, name="out")])
    assert model.get_layer("out") is model.layers[2] and model.get_layer(index=1) is model.layers[1]
    assert model.get_layer(name="hidden").get_config()["units"] == 4
    with pytest.raises(ValueError, match=r"No such layer: outt. Existing layers are: \['hidden', 'dropout', 'out'\]"):
        model.get_layer("outt")
    with pytest.raises(ValueError, match="Was asked to retrieve layer at index 3 but model only has 3 layers"):
        model.get_layer(index=3)
    with pytest.raises(ValueError, match="Provide only a layer name or a layer index"):
        model.get_layer("out", 2)
    with pytest.raises(ValueError, match="Provide either a layer name or layer index at `get_layer`"):
        model.get_layer()


def test_model_builds_from_the_data_when_no_input_width_is_declared(regression_data):
    x, y = regression_data
    model = dense.Sequential()
    model.add(Dense(4, activation="relu"))
    model.add(Dense(1))
    assert not model.built
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    assert model.built and model.input_shape == (None, 3)


def test_summary_prints_keras_table(capsys):
    small_model().summary()
    text = capsys.readouterr().out
    assert 'Model: "sequential"' in text
    assert "dense (Dense)" in text and "(None, 8)" in text
    assert "Total params: 41" in text  # 3·8 + 8 + 8·1 + 1


def test_summary_rows_line_up_for_layer_names_beyond_ascii():
    # Every line of the table is as wide on screen (in characters) as its heading, whatever the names.
    model = dense.Sequential([Dense(2, input_dim=3, name="kurz_ä"), Dense(2, name="Größenschätzung_für_Übermaß_äöü"),
                              Dense(2, name="a" * 40)])
    lines = []
    model.summary(print_fn=lines.append)
    table = [line for line in lines[0].splitlines() if line[:1] in "┏┃┡│├└"]
    assert len({len(line) for line in table}) == 1, "\n".join(table)
    assert "│ kurz_ä (Dense) " in lines[0] and "│ Größenschätzung_für_Übermaß_äö… │" in lines[0]


def test_verbose_fit_prints_progress_through_python(regression_data, capsys):
    x, y = regression_data
    small_model().fit(x, y, epochs=2, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out and "loss:" in out


# Keras' Progbar (keras/src/utils/progbar.py), once a call is done: verbose=1 draws the whole bar
# of 20 ━, the seconds it took ("%.0fs"), the time a step and the logs; verbose=2 the same
# without the bar, the fields joined by " - ". Off a terminal that final line is all there is.
STEP_TIME = r"\d+(s|ms|us)/step"


def test_fit_progress_lines_give_the_time_in_whole_seconds_as_keras(regression_data, capsys):
    x, y = regression_data  # 120 rows: 3 batches of 40
    small_model().fit(x, y, epochs=2, batch_size=40, verbose=1)
    epoch = rf"3/3 ━{{20}} \d+s {STEP_TIME} - loss: \S+ - mae: \S+\n"
    assert re.fullmatch(rf"Epoch 1/2\n{epoch}Epoch 2/2\n{epoch}", capsys.readouterr().out)
    small_model().fit(x, y, epochs=2, batch_size=40, verbose=2)
    epoch = rf"3/3 - \d+s - {STEP_TIME} - loss: \S+ - mae: \S+\n"
    assert re.fullmatch(rf"Epoch 1/2\n{epoch}Epoch 2/2\n{epoch}", capsys.readouterr().out)


def test_fit_of_one_epoch_prints_no_epoch_heading_as_keras(regression_data, capsys):
    # Keras' ProgbarLogger prints "Epoch 1/3" before an epoch only when fit has more than one.
    x, y = regression_data
    small_model().fit(x, y, epochs=1, batch_size=40, verbose=2)
    assert re.fullmatch(rf"3/3 - \d+s - {STEP_TIME} - loss: \S+ - mae: \S+\n", capsys.readouterr().out)
    small_model().fit(x, y, epochs=5, initial_epoch=4, batch_size=40, verbose=2)
    assert capsys.readouterr().out.startswith("Epoch 5/5\n3/3 - ")


def test_evaluate_prints_keras_progress_line(regression_data, capsys):
    x, y = regression_data  # 120 rows: 4 batches of 32
    model = small_model()
    loss, mae = model.evaluate(x, y, verbose=1)
    assert re.fullmatch(rf"4/4 ━{{20}} \d+s {STEP_TIME} - loss: {loss:.4f} - mae: {mae:.4f}\n", capsys.readouterr().out)
    model.evaluate(x, y, batch_size=50, verbose=2)
    assert re.fullmatch(rf"3/3 - \d+s - {STEP_TIME} - loss: {loss:.4f} - mae: {mae:.4f}\n", capsys.readouterr().out)
    model.evaluate(x, y)  # verbose="auto" is 1
    assert re.fullmatch(rf"4/4 ━{{20}} .*\n", capsys.readouterr().out)
    model.evaluate(x, y, verbose=0)
    assert capsys.readouterr().out == ""


def test_predict_prints_keras_progress_line(regression_data, capsys):
    x, _ = regression_data
    model = small_model()
    model.predict(x, verbose=1)
    assert re.fullmatch(rf"4/4 ━{{20}} \d+s {STEP_TIME}\n", capsys.readouterr().out)
    model.predict(x, batch_size=100, verbose=2)
    assert re.fullmatch(rf"2/2 - \d+s - {STEP_TIME}\n", capsys.readouterr().out)
    model.predict(x, out=np.empty((120, 1), np.float32))  # verbose="auto" is 1
    assert re.fullmatch(rf"4/4 ━{{20}} .*\n", capsys.readouterr().out)
    model.predict(x, verbose=0)
    assert capsys.readouterr().out == ""


def test_optimizer_objects_names_and_learning_rate_changes(regression_data):
    x, y = regression_data
    model = dense.Sequential([Dense(1, input_dim=3)])
    model.compile(optimizer=dense.optimizers.SGD(learning_rate=0.05, momentum=0.5), loss="mse")
    assert isinstance(model.optimizer, dense.optimizers.SGD)
    assert model.optimizer.learning_rate == pytest.approx(0.05)
    model.optimizer.learning_rate = 0.01
    assert model.optimizer.learning_rate == pytest.approx(0.01)
    model.fit(x, y, epochs=2, batch_size=30, verbose=0)
    assert model.optimizer.iterations == 8
    model.compile(optimizer="RMSprop", loss=dense.losses.Huber(delta=0.5))
    assert model.optimizer.learning_rate == pytest.approx(0.001)  # Keras' default


def test_learning_rate_schedule_is_followed_step_by_step(regression_data):
    x, y = regression_data
    schedule = dense.optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5, staircase=True)
    model = dense.Sequential([Dense(1, input_dim=3)])
    model.compile(optimizer=dense.optimizers.SGD(schedule), loss="mse")
    model.fit(x, y, epochs=1, batch_size=30, verbose=0)  # 4 steps: lr(4) = 0.1 · 0.5^(4 // 2)
    assert model.optimizer.learning_rate == pytest.approx(0.025)


def test_a_trained_model_with_a_schedule_pickles_saves_and_resumes_on_it(regression_data, tmp_path):
    """A built model pickles as its .dense bytes, which could not hold a schedule: pickling, save
    and ModelCheckpoint failed after the first fit. Now the schedule comes back and training goes on
    exactly as the original's."""
    import pickle
    x, y = regression_data
    schedule = dense.optimizers.schedules.CosineDecay(0.05, decay_steps=20, alpha=0.1)
    model = dense.Sequential([Dense(4, activation="tanh", input_dim=3), Dense(1)], seed=4)
    model.compile(optimizer=dense.optimizers.Adam(schedule), loss="mse")
    model.fit(x, y, epochs=1, batch_size=30, verbose=0)
    model.save(tmp_path / "m.dense")
    for copy in (pickle.loads(pickle.dumps(model)), dense.load_model(tmp_path / "m.dense")):
        assert isinstance(copy.optimizer._learning_rate, dense.optimizers.schedules.CosineDecay)
        assert copy.optimizer._learning_rate.get_config() == schedule.get_config()
        assert copy.optimizer.learning_rate == model.optimizer.learning_rate
        copy.fit(x, y, epochs=1, batch_size=30, shuffle=False, verbose=0)
    model.fit(x, y, epochs=1, batch_size=30, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), copy.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_train_on_batch_takes_one_step(regression_data):
    x, y = regression_data
    model = small_model()
    before = [w.copy() for w in model.get_weights()]
    loss, mae = model.train_on_batch(x[:10], y[:10])
    assert loss > 0 and mae > 0 and model.optimizer.iterations == 1
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_train_on_batch_returns_the_batch_loss_and_metrics_as_keras_3(regression_data):
    # Keras 3: train_on_batch(x, y=None, sample_weight=None, class_weight=None, return_dict=False)
    # gives the loss alone without metrics, else [loss, *metrics], or a dict; of this batch alone
    # (the metrics are reset first), from the forward pass before the step's update.
    x, y = regression_data
    model = dense.Sequential([Dense(1, input_dim=3)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    for rows in (slice(0, 20), slice(20, 30)):
        kernel, bias = model.get_weights()
        errors = x[rows].astype(np.float64) @ kernel + bias - y[rows]  # the layer's formula, computed here
        logs = model.train_on_batch(x[rows], y[rows], return_dict=True)
        assert logs == {"loss": pytest.approx(np.mean(errors**2), rel=1e-5),
                        "mae": pytest.approx(np.mean(np.abs(errors)), rel=1e-5)}
    assert len(model.train_on_batch(x[:20], y[:20])) == 2
    model.compile(optimizer="sgd", loss="mse")
    assert isinstance(model.train_on_batch(x[:20], y[:20]), float)
    for weights in ({"sample_weight": np.ones(20)}, {"class_weight": {0: 1.0}}):
        name = next(iter(weights))
        with pytest.raises(dense.UsageError, match=f"train_on_batch: {name} is not supported"):
            model.train_on_batch(x[:20], y[:20], **weights)


def test_test_on_batch_and_predict_on_batch_are_evaluate_and_predict_of_one_batch(regression_data):
    # Keras 3: test_on_batch(x, y, sample_weight=None, return_dict=False) gives the loss and the
    # metrics of the batch as evaluate does; predict_on_batch(x) the batch's outputs.
    x, y = regression_data
    model = dense.Sequential([Dense(1, input_dim=3)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    kernel, bias = model.get_weights()
    outputs = x[:20].astype(np.float64) @ kernel + bias  # the layer's formula, computed here
    np.testing.assert_allclose(model.predict_on_batch(x[:20]), outputs, rtol=1e-5)
    loss, mae = model.test_on_batch(x[:20], y[:20])
    assert loss == pytest.approx(np.mean((outputs - y[:20]) ** 2), rel=1e-5)
    assert mae == pytest.approx(np.mean(np.abs(outputs - y[:20])), rel=1e-5)
    assert model.test_on_batch(x[:20], y[:20], return_dict=True) == {"loss": loss, "mae": mae}
    with pytest.raises(dense.UsageError, match="test_on_batch: sample_weight is not supported"):
        model.test_on_batch(x[:20], y[:20], np.ones(20))


def test_setting_model_trainable_freezes_every_layer_as_keras(regression_data):
    # Keras' transfer-learning guide: setting trainable on a model sets it on every layer in it;
    # fit then changes none of the weights.
    x, y = regression_data
    model = small_model()
    model.trainable = False
    assert [layer.trainable for layer in model.layers] == [False, False] and model.trainable is False
    before = model.get_weights()
    model.fit(x, y, epochs=2, verbose=0)
    for got, wanted in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(got, wanted)
    model.trainable = True
    assert model.trainable is True
    model.fit(x, y, epochs=1, verbose=0)
    assert not np.array_equal(model.get_weights()[0], before[0])


def test_float64_models_compute_in_float64(regression_data):
    x, y = regression_data
    model = dense.Sequential([Dense(4, input_dim=3), Dense(1)], dtype="float64")
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    assert model.predict(x).dtype == np.float64
    assert all(w.dtype == np.float64 for w in model.get_weights())


def test_same_seed_same_weights_and_different_seed_different_weights(regression_data):
    x, y = regression_data

    def trained(seed):
        model = small_model(seed=seed)
        model.fit(x, y, epochs=2, batch_size=8, verbose=0)
        return np.concatenate([w.ravel() for w in model.get_weights()])

    assert trained(1).tobytes() == trained(1).tobytes()
    assert trained(1).tobytes() != trained(2).tobytes()


def test_pandas_dataframes_are_accepted(regression_data):
    x, y = regression_data
    frame = pandas.DataFrame(x, columns=["a", "b", "c"])
    model = small_model()
    model.fit(frame, pandas.Series(y.ravel()), epochs=1, verbose=0)
    np.testing.assert_array_equal(model.predict(frame), model.predict(x))


def test_the_public_api_answers_help():
    # help(dense.Sequential.fit), help(dense.losses.Huber), ...: each public class, function,
    # method and property says what it does.
    from dense.sklearn import DenseClassifier, DenseRegressor
    owners = [dense.Sequential, dense.layers.Layer, dense.layers.Dense, DenseClassifier, DenseRegressor]
    for module in (dense.layers, dense.losses, dense.schedules):
        owners += [value for name, value in vars(module).items()
                   if not name.startswith("_") and inspect.isclass(value) and value.__module__ == module.__name__]
    functions = [value for module in (dense, dense.layers, dense.losses, dense.schedules)
                 for name, value in vars(module).items() if not name.startswith("_") and inspect.isfunction(value)]
    undocumented = [value.__qualname__ for value in owners + functions if not inspect.getdoc(value)]
    for owner in owners:
        for name, member in vars(owner).items():
            member = member.fget if isinstance(member, property) else member
            if not name.startswith("_") and name != "spec" and inspect.isfunction(member) and not member.__doc__:
                undocumented.append(f"{owner.__qualname__}.{name}")
    assert undocumented == []
