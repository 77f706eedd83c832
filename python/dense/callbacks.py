"""Callbacks, as Keras': Python ones (subclass Callback, or LambdaCallback with functions) and
dense's own, which run in C++ without the GIL (EarlyStopping, ReduceLROnPlateau, TerminateOnNaN,
CSVLogger).

Hooks: on_train_begin(logs), on_epoch_begin(epoch, logs), on_train_batch_end(batch, logs),
on_epoch_end(epoch, logs), on_train_end(logs); epochs and batches count from 0. A callback stops
training with ``self.model.stop_training = True``.
"""
from dense import _core

_HOOKS = ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end", "on_train_end")


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

    def on_train_batch_end(self, batch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def _native(self, suffix):
        """This callback as the C++ core calls it: only the hooks a subclass overrides."""
        def hook(name, adapt):
            overridden = getattr(type(self), name) is not getattr(Callback, name)
            return adapt(getattr(self, name)) if overridden else None
        return getattr(_core, "PythonCallback" + suffix)(
            on_train_begin=hook("on_train_begin", lambda f: lambda: f({})),
            on_epoch_begin=hook("on_epoch_begin", lambda f: lambda epoch: f(epoch, {})),
            on_train_batch_end=hook("on_train_batch_end", lambda f: f),
            on_epoch_end=hook("on_epoch_end", lambda f: f),
            on_train_end=hook("on_train_end", lambda f: lambda: f({})))


class LambdaCallback(Callback):
    """Hooks as functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs))``."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None, *,
                 on_train_batch_end=None, on_batch_end=None):
        super().__init__()
        self._functions = {"on_train_begin": on_train_begin, "on_epoch_begin": on_epoch_begin,
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
            on_train_batch_end=f["on_train_batch_end"],
            on_epoch_end=f["on_epoch_end"],
            on_train_end=f["on_train_end"] and (lambda: f["on_train_end"]({})))


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

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._options.items())})"


class EarlyStopping(NativeCallback):
    """Stops when ``monitor`` has not improved by more than min_delta for ``patience`` epochs."""

    _kind = "EarlyStopping"

    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0, verbose=0, mode="auto",
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor=monitor, min_delta=float(min_delta), patience=int(patience), mode=mode,
                         restore_best_weights=bool(restore_best_weights), start_from_epoch=int(start_from_epoch))

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
    """A callback as the C++ core calls it, after giving it the model."""
    if not isinstance(callback, (Callback, NativeCallback)):
        raise TypeError(f"callbacks must be dense.callbacks objects (Callback, LambdaCallback, EarlyStopping, ...), "
                        f"got {callback!r}")
    callback.set_model(model)
    return callback._native(suffix)
