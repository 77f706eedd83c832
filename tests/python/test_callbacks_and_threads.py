"""Callbacks in Python and in C++, Ctrl-C during fit, and the GIL released while dense computes."""
import math
import os
import re
import signal
import threading
import time

import numpy as np
import pytest

import dense
from dense.callbacks import (Callback, CSVLogger, EarlyStopping, LambdaCallback, LearningRateScheduler, ReduceLROnPlateau,
                             TerminateOnNaN)
from dense.layers import Dense


def model(seed=42):
    m = dense.Sequential([Dense(8, activation="relu", input_dim=3), Dense(1)], seed=seed)
    m.compile(optimizer="adam", loss="mse")
    return m


def test_lambda_callback_hooks_run_in_keras_order_with_logs(regression_data):
    x, y = regression_data
    calls = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: calls.append(("train_begin",)),
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_train_batch_end=lambda batch, logs: calls.append(("batch_end", batch, sorted(logs))),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, sorted(logs))),
        on_train_end=lambda logs: calls.append(("train_end",)))
    model().fit(x, y, epochs=2, batch_size=60, validation_split=0.5, callbacks=[callback], verbose=0)
    assert calls == [("train_begin",),
                     ("epoch_begin", 0), ("batch_end", 0, ["loss"]), ("epoch_end", 0, ["loss", "val_loss"]),
                     ("epoch_begin", 1), ("batch_end", 0, ["loss"]), ("epoch_end", 1, ["loss", "val_loss"]),
                     ("train_end",)]


def test_callback_subclass_sees_the_model_and_stops_training(regression_data):
    x, y = regression_data

    class StopAfterTwoEpochs(Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.seen_params = self.params
            # A callback may use the model it trains: predict takes the same (recursive) lock fit holds.
            self.prediction_shape = self.model.predict(x[:5]).shape
            if epoch == 1:
                self.model.stop_training = True

    callback = StopAfterTwoEpochs()
    history = model().fit(x, y, epochs=10, callbacks=[callback], verbose=0)
    assert history.epoch == [0, 1]
    assert callback.seen_params["epochs"] == 10
    assert callback.prediction_shape == (5, 1)


def test_a_callback_overriding_on_batch_end_is_called_after_each_batch_as_keras_3(regression_data):
    # keras/src/callbacks/callback.py: on_batch_end is on_train_batch_end's backwards-compatible
    # alias, which the base class's on_train_batch_end calls.
    class CountBatches(Callback):
        def __init__(self):
            super().__init__()
            self.batches = []

        def on_batch_end(self, batch, logs=None):
            self.batches.append((batch, sorted(logs)))

    x, y = regression_data
    counter = CountBatches()
    model().fit(x, y, epochs=2, batch_size=40, verbose=0, callbacks=[counter])
    assert counter.batches == [(batch, ["loss"]) for batch in (0, 1, 2)] * 2


def test_batch_begin_hooks_run_before_each_batch_as_keras(regression_data):
    # Keras 3: on_train_batch_begin(batch, logs) before each training batch, on_batch_begin its
    # older name (called by the base class's on_train_batch_begin); LambdaCallback takes either.
    class Trace(Callback):
        def __init__(self, calls):
            super().__init__()
            self.calls = calls

        def on_batch_begin(self, batch, logs=None):
            self.calls.append(("begin", batch))

        def on_train_batch_end(self, batch, logs=None):
            self.calls.append(("end", batch))

    x, y = regression_data
    calls, lambda_calls = [], []
    by_lambda = LambdaCallback(on_train_batch_begin=lambda batch, logs: lambda_calls.append(("begin", batch)),
                               on_batch_end=lambda batch, logs: lambda_calls.append(("end", batch)))
    model().fit(x, y, epochs=2, batch_size=60, verbose=0, callbacks=[Trace(calls), by_lambda])
    assert calls == lambda_calls == [("begin", 0), ("end", 0), ("begin", 1), ("end", 1)] * 2


def test_stop_training_from_a_batch_ends_the_epoch_there(regression_data):
    x, y = regression_data
    m = model()

    def stop_at_third_batch(batch, logs):
        if batch == 2:
            m.stop_training = True

    m.fit(x, y, epochs=5, batch_size=10, callbacks=[LambdaCallback(on_train_batch_end=stop_at_third_batch)], verbose=0)
    assert m.optimizer.iterations == 3


def test_an_exception_in_a_callback_reaches_the_caller_and_leaves_the_model_usable(regression_data):
    x, y = regression_data
    m = model()

    def fail(epoch, logs):
        raise RuntimeError(f"callback failed at epoch {epoch}")

    with pytest.raises(RuntimeError, match="callback failed at epoch 0"):
        m.fit(x, y, epochs=3, callbacks=[LambdaCallback(on_epoch_end=fail)], verbose=0)
    assert m.fit(x, y, epochs=1, verbose=0).epoch == [0]


def test_early_stopping_restores_the_best_weights(regression_data):
    x, y = regression_data
    m = model()
    weights_by_epoch = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: weights_by_epoch.append(m.get_weights()))
    stopper = EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)
    # A learning rate far too large makes the loss climb after the first epochs.
    m.compile(optimizer=dense.optimizers.SGD(0.9), loss="mse")
    history = m.fit(x, y, epochs=50, batch_size=120, callbacks=[record, stopper], verbose=0)
    losses = history.history["loss"]
    assert len(losses) < 50 and stopper.stopped_epoch == len(losses) - 1
    best = int(np.argmin(losses))
    for got, wanted in zip(m.get_weights(), weights_by_epoch[best]):
        np.testing.assert_array_equal(got, wanted)


@pytest.mark.parametrize("restore", [False, True])
def test_early_stopping_verbose_says_when_it_stopped_as_keras(capsys, restore):
    # keras/src/callbacks/early_stopping.py's example: the loss climbs from the first epoch, so
    # patience=3 stops after 4 epochs; with verbose=1, on_train_end prints "Epoch 4: early
    # stopping", then, restoring, "Restoring model weights from the end of the best epoch: 1.".
    m = dense.Sequential([Dense(10, input_dim=20)])
    m.compile(dense.optimizers.SGD(), loss="mse")
    stopper = EarlyStopping(monitor="loss", patience=3, verbose=1, restore_best_weights=restore)
    history = m.fit(np.arange(100).reshape(5, 20), np.zeros((5, 10)), epochs=10, batch_size=1, callbacks=[stopper],
                    verbose=0)
    assert len(history.history["loss"]) == 4
    restoring = "Restoring model weights from the end of the best epoch: 1.\n" if restore else ""
    assert capsys.readouterr().out == "Epoch 4: early stopping\n" + restoring


@pytest.mark.parametrize("baseline, epochs", [(None, 4), (1e9, 4), (0.0, 3)])
def test_early_stopping_baseline_holds_the_wait_until_beaten_as_keras(regression_data, baseline, epochs):
    # Keras 3's EarlyStopping: an improvement restarts the wait only when it also beats the
    # baseline. A frozen model's loss is the same every epoch: the first epoch improves (on +inf),
    # the next ones do not, so patience=3 stops after epoch 4 (index 3); a baseline of 0 that no
    # loss beats leaves the first epoch counted too, stopping after epoch 3.
    x, y = regression_data
    m = model()
    m.compile(optimizer="sgd", loss="mse")
    m.trainable = False
    stopper = EarlyStopping(monitor="loss", patience=3, baseline=baseline)
    history = m.fit(x, y, epochs=20, batch_size=120, verbose=0, callbacks=[stopper])  # one batch: the same sum
    assert len(history.history["loss"]) == epochs


def test_reduce_lr_on_plateau_lowers_the_rate(regression_data):
    x, y = regression_data
    m = model()
    m.compile(optimizer=dense.optimizers.Adam(0.5), loss="mse")
    m.fit(x, y, epochs=15, callbacks=[ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=10.0)],
          verbose=0)
    assert m.optimizer.learning_rate < 0.5


def test_reduce_lr_on_plateau_verbose_says_each_reduction_as_keras(regression_data, capsys):
    # Keras 3 prints "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.005." where it
    # reduces. A frozen model's loss stays the same: epoch 1 improves on +inf, epochs 2 and 3 do
    # not, so patience=2 halves the rate after epoch 3, and again after epoch 5.
    x, y = regression_data
    m = model()
    m.compile(optimizer=dense.optimizers.SGD(0.01), loss="mse")
    m.trainable = False
    start = m.optimizer.learning_rate
    m.fit(x, y, epochs=5, batch_size=120, verbose=0,
          callbacks=[ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, verbose=1)])
    assert capsys.readouterr().out == (f"\nEpoch 3: ReduceLROnPlateau reducing learning rate to {start * 0.5}.\n"
                                       f"\nEpoch 5: ReduceLROnPlateau reducing learning rate to {start * 0.25}.\n")


def test_learning_rate_scheduler_follows_the_keras_docstring_example(capsys):
    # keras/src/callbacks/learning_rate_scheduler.py: SGD's 0.01 kept for ten epochs, then
    # multiplied by exp(-0.1) at the start of each: round(lr, 5) is 0.00607 after 15 epochs.
    def scheduler(epoch, lr):
        return lr if epoch < 10 else lr * math.exp(-0.1)

    model = dense.Sequential([Dense(10, input_dim=20)])
    model.compile(dense.optimizers.SGD(), loss="mse")
    first = model.optimizer.learning_rate
    assert round(first, 5) == 0.01
    model.fit(np.arange(100).reshape(5, 20) / 100, np.zeros((5, 10)), epochs=15, verbose=0,
              callbacks=[LearningRateScheduler(scheduler, verbose=1)])
    assert round(model.optimizer.learning_rate, 5) == 0.00607
    lines = capsys.readouterr().out.split("\n")
    assert lines[:2] == ["", f"Epoch 1: LearningRateScheduler setting learning rate to {first}."]
    assert re.fullmatch(r"Epoch 15: LearningRateScheduler setting learning rate to 0\.0060\d+\.", lines[-2])


def test_learning_rate_scheduler_wants_a_float_from_the_schedule(regression_data):
    x, y = regression_data
    model = dense.Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", loss="mse")
    with pytest.raises(ValueError, match="The output of the `schedule` function should be a float. Got: 1"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[LearningRateScheduler(lambda epoch, lr: 1)])


def test_terminate_on_nan_and_csv_logger(regression_data, tmp_path):
    x, y = regression_data
    m = model()
    m.compile(optimizer=dense.optimizers.SGD(1e6), loss="mse")
    history = m.fit(x, y * 1e6, epochs=20, batch_size=8, callbacks=[TerminateOnNaN()], verbose=0)
    assert len(history.epoch) < 20
    log = tmp_path / "log.csv"
    model().fit(x, y, epochs=3, callbacks=[CSVLogger(log)], verbose=0)
    lines = log.read_text().splitlines()
    assert lines[0] == "epoch,loss" and len(lines) == 4


def test_one_callback_without_a_list_is_taken_as_keras_3_takes_it(regression_data):
    x, y = regression_data
    epochs = []
    history = model().fit(x, y, epochs=3, callbacks=LambdaCallback(on_epoch_end=lambda e, logs: epochs.append(e)),
                          verbose=0)
    assert epochs == [0, 1, 2]
    stopping = EarlyStopping(monitor="loss", patience=0, min_delta=1e9)
    assert len(model().fit(x, y, epochs=5, callbacks=stopping, verbose=0).epoch) == 2
    assert history.epoch == [0, 1, 2]


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_ctrl_c_stops_fit_between_batches_with_keyboard_interrupt():
    x = np.random.default_rng(0).normal(size=(2000, 3)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)
    m = model()
    # Python's own Ctrl-C handler, even where the test runner was started with SIGINT ignored
    # (a background job of a non-interactive shell is): then Python installs none.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    # The timer thread only signals: touching the model there would wait for fit to end.
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    try:
        with pytest.raises(KeyboardInterrupt):
            timer.start()
            m.fit(x, y, epochs=100000, batch_size=4, verbose=0)
    finally:
        timer.join()
        signal.signal(signal.SIGINT, previous)
    # The weights are those after the last whole batch: finite, and the model goes on working.
    assert 0 < m.optimizer.iterations < 100000 * 500
    assert all(np.isfinite(w).all() for w in m.get_weights())
    assert m.predict(x[:3]).shape == (3, 1)


def test_other_python_threads_run_while_dense_trains():
    x = np.random.default_rng(0).normal(size=(4000, 3)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)
    m = model()
    done = threading.Event()
    ticks_during_fit = 0

    def train():
        m.fit(x, y, epochs=30, batch_size=32, verbose=0)
        done.set()

    worker = threading.Thread(target=train)
    worker.start()
    while not done.is_set():
        ticks_during_fit += 1  # pure Python: runs only while fit does not hold the GIL
        time.sleep(0)
    worker.join()
    assert ticks_during_fit > 100


def test_threads_sharing_a_model_take_turns_and_get_right_answers(regression_data):
    x, y = regression_data
    m = model()
    m.fit(x, y, epochs=2, verbose=0)
    expected = m.predict(x, batch_size=7)
    results, errors = [], []

    def predict_many():
        try:
            for _ in range(50):
                results.append(m.predict(x, batch_size=7))
        except Exception as error:  # noqa: BLE001 - any failure is reported below
            errors.append(error)

    threads = [threading.Thread(target=predict_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(np.array_equal(r, expected) for r in results)
