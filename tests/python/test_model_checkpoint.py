"""dense.callbacks.ModelCheckpoint, as Keras 3 defines it (keras/src/callbacks/model_checkpoint.py):
the file name is filepath.format(epoch=epoch + 1, **logs), save_best_only keeps the epochs that
improve on the best so far (from +inf, or initial_value_threshold), save_freq=N saves every N
batches counted across epochs, and verbose=1 prints Keras' lines."""
import math

import numpy as np
import pytest

import dense
from dense.callbacks import LambdaCallback, ModelCheckpoint
from dense.layers import Dense


def bumpy_model():
    """A model whose val_loss goes up as well as down over its first epochs (a large step size)."""
    model = dense.Sequential([Dense(16, activation="tanh", input_dim=3), Dense(1)], seed=3)
    model.compile(optimizer=dense.optimizers.SGD(0.3), loss="mse", metrics=["mae"])
    return model


class Recorder:
    """What each epoch ended with: its logs, the model's weights and its predictions of x."""

    def __init__(self, model, x):
        self.logs, self.weights, self.predictions = [], [], []
        self.callback = LambdaCallback(on_epoch_end=lambda epoch, logs: self.record(model, x, logs))

    def record(self, model, x, logs):
        self.logs.append(dict(logs))
        self.weights.append(model.get_weights())
        self.predictions.append(model.predict(x, verbose=0))


def improving_epochs(values, best=math.inf):
    """The 0-based epochs whose value is below every earlier one (and below `best`): Keras' min mode."""
    epochs = []
    for epoch, value in enumerate(values):
        if value < best:
            epochs.append(epoch)
            best = value
    return epochs


def fit_with_checkpoint(regression_data, checkpoint, epochs=8, **fit_arguments):
    x, y = regression_data
    model = bumpy_model()
    recorder = Recorder(model, x)
    model.fit(x[:90], y[:90], validation_data=(x[90:], y[90:]), epochs=epochs, batch_size=10, verbose=0,
              callbacks=[checkpoint, recorder.callback], **fit_arguments)
    return recorder


def test_save_best_only_keeps_the_improving_epochs_with_their_weights(regression_data, tmp_path):
    x, _ = regression_data
    pattern = str(tmp_path / "model-{epoch:02d}-{val_loss:.4f}.dense")
    recorder = fit_with_checkpoint(regression_data, ModelCheckpoint(pattern, save_best_only=True))
    improving = improving_epochs([logs["val_loss"] for logs in recorder.logs])
    assert 1 < len(improving) < len(recorder.logs), "the data should give epochs that do not improve"
    names = {pattern.format(epoch=epoch + 1, **recorder.logs[epoch]): epoch for epoch in improving}
    assert sorted(str(path) for path in tmp_path.iterdir()) == sorted(names)
    for name, epoch in names.items():
        loaded = dense.load_model(name)
        for saved, then in zip(loaded.get_weights(), recorder.weights[epoch], strict=True):
            np.testing.assert_array_equal(saved, then)
        np.testing.assert_array_equal(loaded.predict(x, verbose=0), recorder.predictions[epoch])


def test_a_resumed_checkpoint_trains_on_as_the_model_did(regression_data, tmp_path):
    # A .dense checkpoint holds the optimizer's state: fitting on from it goes where the model went.
    x, y = regression_data
    path = tmp_path / "every-{epoch}.dense"
    recorder = fit_with_checkpoint(regression_data, ModelCheckpoint(str(path)), epochs=4)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"every-{epoch}.dense" for epoch in (1, 2, 3, 4)]
    resumed = dense.load_model(tmp_path / "every-2.dense")
    np.testing.assert_array_equal(resumed.predict(x, verbose=0), recorder.predictions[1])
    resumed.fit(x[:90], y[:90], validation_data=(x[90:], y[90:]), epochs=4, initial_epoch=2, batch_size=10, verbose=0)
    for got, wanted in zip(resumed.get_weights(), recorder.weights[3], strict=True):
        np.testing.assert_array_equal(got, wanted)


def test_max_mode_for_accuracy_and_initial_value_threshold_seeds_the_best(class_data, tmp_path):
    x, y = class_data
    model = dense.Sequential([Dense(3, activation="softmax", input_dim=4)], seed=5)
    model.compile(optimizer=dense.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    accuracies = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: accuracies.append(logs["accuracy"]))
    pattern = str(tmp_path / "acc-{epoch}.keras")
    threshold = 0.5
    model.fit(x, y, epochs=6, batch_size=50, verbose=0, callbacks=[
        ModelCheckpoint(pattern, monitor="accuracy", save_best_only=True, initial_value_threshold=threshold),
        record])
    # mode "auto" maximises a quantity whose name holds "acc"; the threshold is the first best.
    wanted = [epoch for epoch in improving_epochs([-a for a in accuracies], best=-threshold)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"acc-{epoch + 1}.keras" for epoch in wanted)


def test_save_freq_counts_batches_across_epochs(regression_data, tmp_path):
    # 90 rows in batches of 10: 9 batches an epoch. Every 4th batch, counted on across epochs as
    # Keras counts them: epoch 1 batches 4 and 8, epoch 2 batches 3 and 7, epoch 3 batches 2 and 6.
    x, y = regression_data
    model = bumpy_model()
    weights = {}
    record = LambdaCallback(on_train_batch_end=lambda batch, logs: weights.setdefault(len(weights), model.get_weights()))
    pattern = str(tmp_path / "e{epoch}-b{batch}.weights.h5")
    model.fit(x[:90], y[:90], epochs=3, batch_size=10, verbose=0, shuffle=False,
              callbacks=[ModelCheckpoint(pattern, save_weights_only=True, save_freq=4), record])
    saved = [(1, 4), (1, 8), (2, 3), (2, 7), (3, 2), (3, 6)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"e{e}-b{b}.weights.h5" for e, b in saved)
    fresh = bumpy_model()
    for epoch, batch in saved:
        fresh.load_weights(pattern.format(epoch=epoch, batch=batch))
        for got, wanted in zip(fresh.get_weights(), weights[(epoch - 1) * 9 + batch - 1], strict=True):
            np.testing.assert_array_equal(got, wanted)


def test_verbose_prints_keras_lines(regression_data, tmp_path, capsys):
    path = str(tmp_path / "best.dense")
    recorder = fit_with_checkpoint(regression_data, ModelCheckpoint(path, save_best_only=True, verbose=1), epochs=6)
    wanted, best = "", math.inf
    for epoch, logs in enumerate(recorder.logs):
        current = logs["val_loss"]
        if current < best:
            wanted += f"\nEpoch {epoch + 1}: val_loss improved from {best:.5f} to {current:.5f}, saving model to {path}\n"
            best = current
        else:
            wanted += f"\nEpoch {epoch + 1}: val_loss did not improve from {best:.5f}\n"
    assert "improved from inf to" in wanted and "did not improve" in wanted
    assert capsys.readouterr().out == wanted


def test_verbose_without_save_best_only_says_each_save(regression_data, tmp_path, capsys):
    path = str(tmp_path / "last.keras")
    fit_with_checkpoint(regression_data, ModelCheckpoint(path, verbose=1), epochs=2)
    assert capsys.readouterr().out == f"\nEpoch 1: saving model to {path}\n\nEpoch 2: saving model to {path}\n"


def test_a_missing_monitor_warns_and_saves_every_epoch(regression_data, tmp_path):
    x, y = regression_data
    model = bumpy_model()
    path = tmp_path / "model.dense"
    with pytest.warns(UserWarning, match="Can save best model only with val_loss available"):
        model.fit(x, y, epochs=2, verbose=0, callbacks=[ModelCheckpoint(path, save_best_only=True)])
    assert path.exists()


@pytest.mark.parametrize("arguments, message", [
    (dict(filepath="model.h5", save_weights_only=True), "must end in `.weights.h5`"),
    (dict(filepath="model.weights.h5"), "must end in `.dense`, `.keras` or `.onnx`"),
    (dict(filepath="model.txt"), "Received: filepath=model.txt"),
    (dict(filepath="model.dense", save_freq="batch"), "Unrecognized save_freq: batch"),
])
def test_wrong_file_names_and_save_freq_are_refused_up_front(arguments, message):
    with pytest.raises(ValueError, match=message):
        ModelCheckpoint(**arguments)


def test_a_failed_save_stops_fit_with_the_reason(regression_data, tmp_path):
    x, y = regression_data
    (tmp_path / "taken.dense").mkdir()  # a folder where the file should go
    with pytest.raises(dense.DataError, match="taken.dense.* is a folder"):
        bumpy_model().fit(x, y, epochs=2, verbose=0, callbacks=[ModelCheckpoint(tmp_path / "taken.dense")])


def test_the_folder_of_the_file_is_made(regression_data, tmp_path):
    x, y = regression_data
    bumpy_model().fit(x, y, epochs=1, verbose=0, callbacks=[ModelCheckpoint(tmp_path / "runs" / "a" / "m.dense")])
    assert (tmp_path / "runs" / "a" / "m.dense").exists()


def test_model_checkpoint_is_exported():
    assert "ModelCheckpoint" in dense.callbacks.__all__


def test_an_unknown_field_in_the_file_name_is_a_key_error_naming_the_logs(regression_data, tmp_path):
    x, y = regression_data
    with pytest.raises(KeyError, match="Failed to format this callback filepath.*val_los.*loss, mae"):
        bumpy_model().fit(x, y, epochs=1, verbose=0, callbacks=[ModelCheckpoint(tmp_path / "{val_los}.dense")])
