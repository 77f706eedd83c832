"""Callbacks, as Keras': Python ones (subclass Callback, or LambdaCallback with functions;
ModelCheckpoint, LearningRateScheduler) and dense's own, which run in C++ without the GIL
(EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, CSVLogger).

Hooks: on_train_begin(logs), on_epoch_begin(epoch, logs), on_train_batch_begin(batch, logs),
on_train_batch_end(batch, logs), on_epoch_end(epoch, logs), on_train_end(logs) (and Keras' older
on_batch_begin, on_batch_end); epochs and batches count from 0. A callback stops
training with ``self.model.stop_training = True``.
"""
import math
import os
import warnings

import numpy as np

from dense import _core

__all__ = ["Callback", "LambdaCallback", "ModelCheckpoint", "LearningRateScheduler", "EarlyStopping",
           "ReduceLROnPlateau", "TerminateOnNaN", "CSVLogger", "History"]

_HOOKS = ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end", "on_train_end")
# Keras 3 calls a hook's older name too.
_OLDER_NAMES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


class Callback:
    """Base class of Python callbacks; override the hooks you need (the others cost nothing)."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        """Keras' older name of on_train_batch_begin, still called in its place."""

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)

    def on_batch_end(self, batch, logs=None):
        """Keras' older name of on_train_batch_end, still called in its place."""

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def _calls(self, hook):
        """Whether fit calls ``hook``: only the hooks a subclass overrides (itself or by its older
        name) cost anything."""
        def overridden(name):
            return getattr(type(self), name) is not getattr(Callback, name)
        return overridden(hook) or (hook in _OLDER_NAMES and overridden(_OLDER_NAMES[hook]))

    def _after_fit(self):
        """What the callback does once fit has returned: nothing (a Python callback has on_train_end)."""

    def _helpers(self):
        """Python callbacks fit runs right after this one: none."""
        return []

    def _native(self, suffix):
        """This callback as the C++ core calls it: the hooks of _calls."""
        def hook(name, adapt):
            return adapt(getattr(self, name)) if self._calls(name) else None
        return getattr(_core, "PythonCallback" + suffix)(
            on_train_begin=hook("on_train_begin", lambda f: lambda: f({})),
            on_epoch_begin=hook("on_epoch_begin", lambda f: lambda epoch: f(epoch, {})),
            on_train_batch_begin=hook("on_train_batch_begin", lambda f: lambda batch: f(batch, {})),
            on_train_batch_end=hook("on_train_batch_end", lambda f: f),
            on_epoch_end=hook("on_epoch_end", lambda f: f),
            on_train_end=hook("on_train_end", lambda f: lambda: f({})))


class LambdaCallback(Callback):
    """Hooks as functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs))``."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None, *,
                 on_train_batch_begin=None, on_train_batch_end=None, on_batch_begin=None, on_batch_end=None):
        super().__init__()
        self._functions = {"on_train_begin": on_train_begin, "on_epoch_begin": on_epoch_begin,
                           "on_train_batch_begin": on_train_batch_begin or on_batch_begin,
                           "on_train_batch_end": on_train_batch_end or on_batch_end,
                           "on_epoch_end": on_epoch_end, "on_train_end": on_train_end}
        for name, function in self._functions.items():
            if function is not None and not callable(function):
                raise TypeError(f"LambdaCallback: {name} must be callable, got {function!r}")

    def _native(self, suffix):
        f = self._functions
        return getattr(_core, "PythonCallback" + suffix)(
            on_train_begin=f["on_train_begin"] and (lambda: f["on_train_begin"]({})),
            on_epoch_begin=f["on_epoch_begin"] and (lambda epoch: f["on_epoch_begin"](epoch, {})),
            on_train_batch_begin=f["on_train_batch_begin"] and (lambda batch: f["on_train_batch_begin"](batch, {})),
            on_train_batch_end=f["on_train_batch_end"],
            on_epoch_end=f["on_epoch_end"],
            on_train_end=f["on_train_end"] and (lambda: f["on_train_end"]({})))


class ModelCheckpoint(Callback):
    """Saves the model (or its weights) during fit, as Keras 3's ModelCheckpoint.

    ``filepath`` is formatted with ``str.format(epoch=epoch + 1, **logs)`` (and ``batch=batch + 1``
    when saving every ``save_freq`` batches): ``"ckpt/{epoch:02d}-{val_loss:.4f}.dense"``. It ends
    in .dense, .keras or .onnx (saved with ``model.save``), or in .weights.h5 with
    ``save_weights_only`` (``model.save_weights``); files are written atomically. With
    ``save_best_only`` only an epoch whose ``monitor`` beats the best so far (``initial_value_threshold``
    at first) is saved; mode "auto" maximises a quantity whose name holds "acc" (as EarlyStopping
    does) and minimises the others. ``verbose=1`` prints Keras' line for each decision.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.save_freq = save_freq
        self._maximize = _maximizes(monitor, mode)
        self.best = initial_value_threshold if initial_value_threshold is not None else (
            -math.inf if self._maximize else math.inf)
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected save_freq are 'epoch' or integer values")
        _check_checkpoint_name(self.filepath, self.save_weights_only)
        self._current_epoch = 0
        self._batches_since_saving = 0
        self._last_batch = 0

    def _calls(self, hook):
        """The batch hook only when saving every save_freq batches: fit's batches stay free of Python otherwise."""
        return super()._calls(hook) and (hook != "on_train_batch_end" or self.save_freq != "epoch")

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._batch_due(batch):
            self._save(self._current_epoch, logs or {}, batch=batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, logs or {})

    def _batch_due(self, batch):
        """Keras' count of batches since the last save, which goes on across epochs."""
        self._batches_since_saving += batch + 1 if batch <= self._last_batch else batch - self._last_batch
        self._last_batch = batch
        if self._batches_since_saving < self.save_freq:
            return False
        self._batches_since_saving = 0
        return True

    def _save(self, epoch, logs, **batch):
        try:
            filepath = self.filepath.format(epoch=epoch + 1, **batch, **logs)
        except KeyError as error:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {error}; the '
                           f"fields are epoch{', batch' if batch else ''} and the logs: {', '.join(logs)}") from None
        if not self._wanted(epoch, logs, filepath):
            return
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        (self.model.save_weights if self.save_weights_only else self.model.save)(filepath)

    def _wanted(self, epoch, logs, filepath):
        """Whether this epoch is saved, saying so with Keras' words when verbose."""
        if not self.save_best_only:
            self._say(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=2)
            return True
        if not (current > self.best if self._maximize else current < self.best):
            self._say(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
            return False
        self._say(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, "
                  f"saving model to {filepath}")
        self.best = current
        return True

    def _say(self, message):
        if self.verbose > 0:
            print(message)


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch to ``schedule(epoch, lr)``, as Keras'
    (epoch from 0, lr the rate in use; a schedule taking only the epoch works too)."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        try:
            learning_rate = self.schedule(epoch, float(self.model.optimizer.learning_rate))
        except TypeError:  # Keras also takes schedule(epoch)
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.floating)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {learning_rate}")
        self.model.optimizer.learning_rate = learning_rate
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {learning_rate}.")


def _maximizes(monitor, mode):
    """Whether a larger ``monitor`` is better: Keras' mode, "auto" meaning max for names holding "acc"."""
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
    return mode == "max" or (mode == "auto" and "acc" in monitor)


def _check_checkpoint_name(filepath, save_weights_only):
    """Keras' check of a checkpoint's extension, before fit starts, with dense's formats."""
    if save_weights_only:
        if not filepath.lower().endswith(".weights.h5"):
            raise ValueError("When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end "
                             f"in `.weights.h5` (Keras weights format). Received: filepath={filepath}")
    elif filepath.lower().endswith(".weights.h5") or not filepath.lower().endswith((".dense", ".keras", ".onnx")):
        raise ValueError("The filepath provided must end in `.dense`, `.keras` or `.onnx` (dense, Keras or ONNX model "
                         f"format; `.weights.h5` with save_weights_only=True). Received: filepath={filepath}")


class NativeCallback:
    """A callback dense runs in C++. The C++ object is made for the model's dtype at fit."""

    _kind = None

    def __init__(self, **options):
        self._options = options
        self._last = None

    def _native(self, suffix):
        self._last = getattr(_core, self._kind + suffix)(**self._options)
        return self._last

    def set_model(self, model):
        pass

    def _after_fit(self):
        """What the callback says once fit has returned, where Keras' on_train_end prints it."""

    def _helpers(self):
        """Python callbacks fit runs right after this one: none."""
        return []

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._options.items())})"


class EarlyStopping(NativeCallback):
    """Stops when ``monitor`` has not improved by more than min_delta for ``patience`` epochs (an
    improvement that does not beat ``baseline`` leaves the count running, as in Keras 3)."""

    _kind = "EarlyStopping"

    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor=monitor, min_delta=float(min_delta), patience=int(patience), mode=mode,
                         baseline=None if baseline is None else float(baseline),
                         restore_best_weights=bool(restore_best_weights), start_from_epoch=int(start_from_epoch))
        self.verbose = verbose

    def _after_fit(self):
        """verbose=1: Keras' lines, "Epoch 4: early stopping" and, when it put them back,
        "Restoring model weights from the end of the best epoch: 1."."""
        if self.verbose <= 0:
            return
        if self._last.stopped_epoch > 0:
            print(f"Epoch {self._last.stopped_epoch + 1}: early stopping")
        if self._options["restore_best_weights"] and self._last.best_epoch >= 0:
            print(f"Restoring model weights from the end of the best epoch: {self._last.best_epoch + 1}.")

    @property
    def stopped_epoch(self):
        """The 0-based epoch the last fit stopped at (Keras: 0 when it ran to the end)."""
        return max(self._last.stopped_epoch, 0) if self._last is not None else 0

    @property
    def best_epoch(self):
        return self._last.best_epoch if self._last is not None else 0


class ReduceLROnPlateau(NativeCallback):
    """Multiplies the learning rate by ``factor`` when ``monitor`` stalls for ``patience`` epochs."""

    _kind = "ReduceLROnPlateau"

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0):
        super().__init__(monitor=monitor, factor=float(factor), patience=int(patience), mode=mode,
                         min_delta=float(min_delta), cooldown=int(cooldown), min_lr=float(min_lr))
        self.verbose = verbose

    def _helpers(self):
        """verbose=1: a report of each reduction, after the C++ callback made it."""
        return [_LearningRateReport()] if self.verbose > 0 else []


class _LearningRateReport(Callback):
    """Keras' line for each epoch at whose end ReduceLROnPlateau lowered the learning rate."""

    def on_epoch_begin(self, epoch, logs=None):
        self._rate = self.model.optimizer.learning_rate

    def on_epoch_end(self, epoch, logs=None):
        rate = self.model.optimizer.learning_rate
        if rate < self._rate:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {rate}.")


class TerminateOnNaN(NativeCallback):
    """Stops training as soon as a batch loss is NaN or infinite."""

    _kind = "TerminateOnNaN"

    def __init__(self):
        super().__init__()


class CSVLogger(NativeCallback):
    """One CSV row per epoch: "epoch", then every log in sorted order."""

    _kind = "CSVLogger"

    def __init__(self, filename, separator=",", append=False):
        super().__init__(filename=str(filename), separator=separator, append=bool(append))


class History:
    """What fit returns: ``history.history["loss"]`` holds one value per epoch, as in Keras."""

    def __init__(self, epoch, history, params, model):
        self.epoch = list(epoch)
        self.history = {key: list(values) for key, values in history.items()}
        self.params = params
        self.model = model

    def __repr__(self):
        return f"<History epochs={len(self.epoch)} keys={sorted(self.history)}>"


def native(callback, model, suffix):
    """A callback as the C++ core calls it, then its helpers, after giving them the model."""
    if not isinstance(callback, (Callback, NativeCallback)):
        raise TypeError(f"callbacks must be dense.callbacks objects (Callback, LambdaCallback, EarlyStopping, ...), "
                        f"got {callback!r}")
    together = [callback, *callback._helpers()]
    for each in together:
        each.set_model(model)
    return [each._native(suffix) for each in together]
