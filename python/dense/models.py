"""Sequential: Keras' stack of layers, trained and run by dense's C++ core.

Arrays go in and out without copies where none are needed: a float32 (or, for dtype="float64"
models, float64) C-contiguous array is read in place, and predictions come back in memory the C++
core filled. Other inputs are converted once (see dense._arrays). The GIL is released while the
core trains, evaluates and predicts.
"""
import math
import numbers
import os
import warnings

import numpy as np

from dense import _core, _keras_archive
from dense._core import UsageError
from dense import callbacks as callbacks_module
from dense import layers as layers_module
from dense import losses, optimizers
from dense._arrays import as_dtype, as_matrix

_CORE_MODELS = {np.dtype(np.float32): _core.Model32, np.dtype(np.float64): _core.Model64}
_SUFFIX = {np.dtype(np.float32): "32", np.dtype(np.float64): "64"}


class Sequential:
    """A stack of layers: ``Sequential([Dense(64, activation="relu", input_dim=4), Dense(1)])``.

    ``seed`` draws the initial weights (and, unless fit gets its own, shuffling and dropout): the
    same seed and thread count give bit-identical weights. ``dtype`` is "float32" (default, fast)
    or "float64".
    """

    def __init__(self, layers=None, name="sequential", seed=42, dtype="float32"):
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {name!r}")
        if isinstance(layers, (layers_module.Layer, layers_module.InputLayer)):
            raise TypeError(f"Sequential takes a list of layers, got one {type(layers).__name__}; "
                            f"write Sequential([{type(layers).__name__}(...)])")
        self.dtype = as_dtype(dtype)
        self._core = _CORE_MODELS[self.dtype](name, _seed(seed, "seed"))
        self._layers = []
        self._input_dim = 0
        self.optimizer = self.loss = self.history = None
        for layer in layers or ():
            self.add(layer)

    @classmethod
    def _wrap(cls, core):
        """A Python model around a core model that was loaded or unpickled."""
        model = cls.__new__(cls)
        model.dtype = np.dtype(np.float32 if isinstance(core, _core.Model32) else np.float64)
        model._core = core
        model._layers = []
        model._input_dim = 0
        model.history = None
        for index in range(core.layer_count):
            layer = layers_module.from_spec(core.layer_info(index))
            layer._attach(model, index)
            model._layers.append(layer)
        model.optimizer = model.loss = None
        if core.compiled:
            model.optimizer = optimizers.from_config(core.optimizer_info())
            model.optimizer._model = model
            model.loss = core.loss_info()["name"]
        return model

    # ---- building ---------------------------------------------------------------------------

    def add(self, layer):
        """Appends a layer (or, first, a dense.Input declaring the input width)."""
        if isinstance(layer, layers_module.InputLayer):
            if self._layers:
                raise ValueError("add: an Input goes before the first layer")
            self._input_dim = layer.input_dim
            return
        if not isinstance(layer, layers_module.Layer):
            raise TypeError(f"add takes a dense layer (dense.layers.Dense, Dropout, Activation), got {layer!r}")
        if layer._model is not None:
            raise UsageError(f"add: this {type(layer).__name__} layer already belongs to model "
                             f"'{layer._model.name}'; a layer is in one model only, so make a new layer for this one")
        spec = layer.spec()
        first = not self._layers
        if first and self._input_dim and spec["type"] == "Dense":
            spec["input_dim"] = self._declared_width(spec["input_dim"])
        self._core.add(spec)
        layer._attach(self, len(self._layers))
        self._layers.append(layer)
        # A declared input width builds the model at once, as Keras does; later layers are built
        # as they are added, drawing their initial weights in the same order as one build would.
        declared = spec.get("input_dim") or self._input_dim
        if first and declared and not self._core.built:
            self._core.build(declared)

    def _declared_width(self, layer_input_dim):
        """The first layer's input width when an Input declared it: the same, or not given."""
        if layer_input_dim and layer_input_dim != self._input_dim:
            raise UsageError(f"add: the Input declares {self._input_dim} features but the first layer's input_dim "
                             f"is {layer_input_dim}; give one of them, or make them agree")
        return self._input_dim

    def build(self, input_shape):
        """Creates the weights for inputs of ``input_shape`` ((None, features), (features,) or features)."""
        shape = (input_shape,) if isinstance(input_shape, numbers.Integral) else tuple(input_shape)
        if not 1 <= len(shape) <= 2:
            raise ValueError(f"build: input_shape must be (None, features), (features,) or features, got "
                             f"{input_shape!r}: dense models take 2-D data (samples, features); flatten other inputs")
        self._core.build(layers_module._input_width(None, shape[-1:]))

    @property
    def layers(self):
        """The model's layers, in order (a new list; the layers are views of the model's)."""
        return list(self._layers)

    def get_layer(self, name=None, index=None):
        """A layer by its name or its index in ``layers``, as Keras' get_layer."""
        if name is not None and index is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        if index is not None:
            if len(self._layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only has "
                                 f"{len(self._layers)} layers.")
            return self._layers[index]
        if name is None:
            raise ValueError("Provide either a layer name or layer index at `get_layer`.")
        for layer in self._layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in self._layers]}.")

    @property
    def trainable(self):
        """Keras' trainable: setting it sets every layer's (False freezes the whole model in fit);
        True when every layer trains."""
        return all(layer.trainable for layer in self._layers)

    @trainable.setter
    def trainable(self, value):
        for layer in self._layers:
            layer.trainable = value

    @property
    def name(self):
        """The model's name, as given to Sequential (default "sequential")."""
        return self._core.name

    @property
    def built(self):
        """True once the weights exist: after build, a declared input width, or the first fit or predict."""
        return self._core.built

    @property
    def input_shape(self):
        """(None, features) once the input width is known, else None."""
        return (None, self._core.input_dim) if self._layers and self._core.input_dim else None

    @property
    def output_shape(self):
        """(None, outputs): the last Dense layer's units."""
        return (None, self._core.output_dim) if self._layers else None

    def count_params(self):
        """The number of weights and biases, trainable or not (0 before the model is built)."""
        return self._core.count_params()

    @property
    def stop_training(self):
        """Set to True (from a callback) to end fit after the current batch."""
        return self._core.stop_training

    @stop_training.setter
    def stop_training(self, value):
        self._core.stop_training = bool(value)

    # ---- training and inference -------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, metrics=None):
        """``compile(optimizer="adam" | dense.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])``."""
        optimizer = optimizers.get(optimizer)
        loss_spec = losses.spec(loss)
        if isinstance(metrics, dict):
            raise TypeError(f"compile: metrics is a list of names such as ['mae'] (a dict gives each output of a "
                            f"multi-output model its metrics; a dense model has one output), got {metrics!r}")
        metrics = [metrics] if isinstance(metrics, str) else list(metrics or [])  # "mae" is ["mae"], as Keras
        for metric in metrics:
            if not isinstance(metric, str):
                raise TypeError(f"metrics are names such as 'accuracy' or 'mae', got {metric!r}")
        self._core.compile(optimizer.get_config(), loss_spec, metrics)
        if optimizer._model is not None and optimizer._model is not self:
            optimizer = optimizers.from_config({**optimizer.get_config(), "learning_rate": optimizer._learning_rate})
        optimizer._model = self
        self.optimizer, self.loss = optimizer, loss

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, initial_epoch=0, seed=None, shuffle_validation_split=False,
            class_weight=None, sample_weight=None):
        """Trains for ``epochs`` epochs (from ``initial_epoch``) and returns a History.

        ``seed`` (dense's own) seeds shuffling and dropout for this fit; by default they follow
        the model's seed. Ctrl-C stops training after the current batch and raises
        KeyboardInterrupt; the model keeps the weights of the batches done. Keras' class_weight and
        sample_weight are not supported: every row weighs the same.
        """
        _refuse_weights("fit", class_weight=class_weight, sample_weight=sample_weight)
        x, y = self._matrix(x, "x"), self._matrix(y, "y")
        validation = self._validation(validation_data)
        batch_size = _batch_size(batch_size)
        epochs = _count(epochs, "epochs")
        verbose = _verbosity(verbose)
        validation_split = _fraction(validation_split, "validation_split")
        train_rows = x.shape[0] if validation else math.floor(x.shape[0] * (1 - validation_split))
        params = {"epochs": epochs, "steps": math.ceil(train_rows / batch_size), "verbose": verbose}
        native = []
        if isinstance(callbacks, (callbacks_module.Callback, callbacks_module.NativeCallback)):
            callbacks = [callbacks]  # one callback without a list, as Keras 3 takes it
        for callback in callbacks or ():
            native.extend(callbacks_module.native(callback, self, _SUFFIX[self.dtype]))
            if isinstance(callback, callbacks_module.Callback):
                callback.set_params(params)
        epoch, history = self._core.fit(
            x, y, epochs=epochs, batch_size=batch_size, shuffle=bool(shuffle),
            validation_split=validation_split, validation_data=validation,
            initial_epoch=_count(initial_epoch, "initial_epoch"), callbacks=native, verbose=verbose,
            seed=None if seed is None else _seed(seed, "seed"), shuffle_validation_split=bool(shuffle_validation_split))
        for callback in callbacks or ():
            callback._after_fit()
        self.history = callbacks_module.History(epoch, _keras_order(history, self._core.metrics), params, self)
        return self.history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", return_dict=False):
        """The loss (and metrics) over the data: a number, or [loss, *metrics] as Keras; a dict with return_dict.
        verbose 1 ("auto") prints Keras' progress bar, 2 its line without the bar, as predict does."""
        logs = self._core.evaluate(self._matrix(x, "x"), self._matrix(y, "y"), batch_size=_batch_size(batch_size),
                                   verbose=_verbosity(verbose))
        return self._results(logs, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", out=None):
        """Predictions, shape (samples, outputs). With ``out`` (a C-contiguous array of that shape and
        the model's dtype) they are written there, without allocating, and ``out`` is returned."""
        x = self._matrix(x, "x")
        batch_size = _batch_size(batch_size)
        verbose = _verbosity(verbose)
        if out is None:
            return self._core.predict(x, batch_size=batch_size, verbose=verbose)
        if not (isinstance(out, np.ndarray) and out.dtype == self.dtype and out.ndim == 2
                and out.flags.c_contiguous and out.flags.writeable):
            raise TypeError(f"predict: out must be a writeable C-contiguous 2-D {self.dtype} numpy array")
        if np.shares_memory(x, out):  # batch by batch, rows written to out would be read again as inputs
            x = x.copy()
        self._core.predict_into(x, out, batch_size=batch_size, verbose=verbose)
        return out

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One training step on one batch, as Keras 3's: returns the batch's loss, or [loss, *metrics]
        when compiled with metrics, or a dict with return_dict. They are of this batch alone, from the
        step's forward pass (before its update), as test_on_batch gives them after it."""
        _refuse_weights("train_on_batch", sample_weight=sample_weight, class_weight=class_weight)
        logs = self._core.train_on_batch(self._matrix(x, "x"), self._matrix(y, "y"))
        return self._results(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss (and metrics) of one batch, as evaluate gives them, without a progress line."""
        _refuse_weights("test_on_batch", sample_weight=sample_weight)
        x = self._matrix(x, "x")
        return self.evaluate(x, y, batch_size=max(1, x.shape[0]), verbose=0, return_dict=return_dict)

    def predict_on_batch(self, x):
        """The outputs of one batch, as predict gives them, without a progress line."""
        x = self._matrix(x, "x")
        return self.predict(x, batch_size=max(1, x.shape[0]), verbose=0)

    # ---- weights and files ------------------------------------------------------------------

    def get_weights(self):
        """Every layer's weights, in Keras' order: kernel [inputs, units], bias [units], ..."""
        return self._core.get_weights()

    def set_weights(self, weights):
        """Copies ``weights`` (a list of arrays, as get_weights gives them) into the model's layers."""
        self._core.set_weights(self._weight_arrays(weights))

    def summary(self, print_fn=None):
        """Prints Keras' summary table (or hands it to print_fn)."""
        (print_fn or print)(self._core.summary().rstrip("\n"))

    def save(self, filepath, overwrite=True):
        """Saves by extension: .dense (everything, with the optimizer's state), .keras (a Keras 3
        archive) or .onnx. Keras and ONNX files hold float32 models. With overwrite=False an
        existing file is replaced only if you answer y when asked, as in Keras."""
        kind = _format(filepath, ("dense", "keras", "onnx"))
        if _may_write(filepath, overwrite):
            self._core.save(os.fspath(filepath), kind)

    def save_weights(self, filepath, overwrite=True):
        """Writes the weights as a Keras 3 ``.weights.h5`` file (overwrite as in save)."""
        kind = _format(filepath, ("keras_weights",))
        if _may_write(filepath, overwrite):
            self._core.save(os.fspath(filepath), kind)

    def load_weights(self, filepath):
        """Reads weights from a Keras ``.weights.h5`` file or ``.keras`` archive of the same architecture."""
        _format(filepath, ("keras_weights", "keras"))
        self._core.load_keras_weights(os.fspath(filepath))

    def __getstate__(self):
        """Pickles as a .dense file's bytes (weights, compile settings, optimizer state) once built;
        before that, as the layers and compile settings."""
        state = {"dtype": self.dtype.str, "name": self.name, "seed": self._core.seed}
        if self.built:
            try:
                state["model_file"] = self._core.to_bytes()
            except UsageError as error:
                raise UsageError(f"cannot pickle model '{self.name}': {error}") from None
            return state
        state["layers"] = [layer.spec() for layer in self._layers]
        state["input_dim"] = self._input_dim
        if self._core.compiled:
            state["compile"] = (self.optimizer.get_config(), losses.spec(self.loss), self._core.metrics)
        return state

    def __setstate__(self, state):
        if "model_file" in state:
            self.__dict__.update(Sequential._wrap(_core.from_bytes(state["model_file"], "a pickled model")).__dict__)
            self._rebind()
            return
        self.__init__(name=state["name"], seed=state["seed"], dtype=state["dtype"])
        self._input_dim = state["input_dim"]
        for spec in state["layers"]:
            self.add(layers_module.from_spec(spec))
        if "compile" in state:
            optimizer, loss, metrics = state["compile"]
            self.compile(optimizers.from_config(optimizer), losses.from_spec(loss), metrics)

    def _rebind(self):
        """Points the layers and optimizer at this object (after its state came from another)."""
        for layer in self._layers:
            layer._model = self
        if self.optimizer is not None:
            self.optimizer._model = self

    def __repr__(self):
        return f"<dense.Sequential name={self.name!r} layers={len(self._layers)} dtype={self.dtype.name}>"

    # ---- conversions ------------------------------------------------------------------------

    def _results(self, logs, return_dict):
        """Keras' return value of evaluate and the *_on_batch methods: the loss alone, [loss, *metrics]
        in compile order, or the logs as a dict with return_dict."""
        if return_dict:
            return logs
        names = self._core.metrics
        return logs["loss"] if not names else [logs["loss"]] + [logs[name] for name in names]

    def _matrix(self, data, what):
        return as_matrix(data, self.dtype, what)

    def _validation(self, validation_data):
        if validation_data is None:
            return None
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (x_val, y_val)")
        return self._matrix(validation_data[0], "validation x"), self._matrix(validation_data[1], "validation y")

    def _weight_arrays(self, weights):
        if not isinstance(weights, (list, tuple)):
            raise TypeError(f"set_weights takes a list of arrays, got {type(weights).__name__}")
        return [np.ascontiguousarray(w, dtype=self.dtype) for w in weights]


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """A model from a .dense file, a Keras .keras or legacy .h5 file, or an ONNX file (by extension).

    A .keras archive's compile settings (optimizer, loss, metrics) compile the model, as Keras'
    load_model(compile=True) does; a .dense file holds them (and the optimizer's state) itself.
    With compile=False the model comes back not compiled, as Keras': it predicts, and fits once
    compiled. custom_objects and safe_mode are Keras' arguments, taken so that Keras code runs:
    dense's layers, activations, losses and optimizers are its own, built in C++, so it has no use
    for Python objects (a warning names those given) and runs no code from a file (every load is
    as safe as Keras' safe_mode=True)."""
    _warn_unused_custom_objects(custom_objects)
    loaders = {"dense": lambda path: _core.load_dense(path, compile=bool(compile)), "keras": _core.load_keras,
               "keras_h5": _core.load_keras, "onnx": _core.load_onnx}
    kind = _format(filepath, tuple(loaders))
    model = Sequential._wrap(loaders[kind](os.fspath(filepath)))
    if compile and kind == "keras" and not model._core.compiled:
        _keras_archive.compile_from_archive(model, os.fspath(filepath))
    return model


def _warn_unused_custom_objects(custom_objects):
    if custom_objects is None:
        return
    if not isinstance(custom_objects, dict):
        raise TypeError(f"load_model: custom_objects must be a dict of names to objects, or None, got "
                        f"{type(custom_objects).__name__}")
    if custom_objects:
        warnings.warn(f"load_model: custom_objects {sorted(map(str, custom_objects))} are not used: dense's layers, "
                      "activations, losses and optimizers are built into its C++ core, which cannot run Python "
                      "objects; a file that needs one fails to load, or loads uncompiled, with a message naming "
                      "it. Leave custom_objects out to silence this warning", UserWarning, stacklevel=3)


_EXTENSIONS = ((".weights.h5", "keras_weights"), (".keras", "keras"), (".h5", "keras_h5"), (".onnx", "onnx"),
               (".dense", "dense"))


def _format(filepath, allowed):
    path = os.fspath(filepath)
    if not isinstance(path, str):
        raise TypeError(f"a file path is a string or path-like object, got {filepath!r}")
    for extension, kind in _EXTENSIONS:
        if path.lower().endswith(extension):
            if kind in allowed:
                return kind
            break
    names = [extension for extension, kind in _EXTENSIONS if kind in allowed]
    raise ValueError(f"'{path}': the file name must end in {' or '.join(names)}")


def _may_write(filepath, overwrite):
    """Keras' overwrite: True writes over any file; False asks first, on stdin, when one is there."""
    if overwrite or not os.path.exists(filepath):
        return True
    answer = input(f"[WARNING] {os.fspath(filepath)} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True


def _refuse_weights(what, **weights):
    for name, value in weights.items():
        if value is not None:
            raise UsageError(f"{what}: {name} is not supported by dense (every row weighs the same); repeat the rows "
                             f"that should weigh more, or leave {name} out")


def _keras_order(history, metrics):
    """History's keys as Keras orders them: loss, the metrics in compile order, then val_ of each, then the rest."""
    names = ["loss", *metrics]
    order = names + ["val_" + name for name in names]
    ordered = [key for key in order if key in history] + sorted(key for key in history if key not in order)
    return {key: history[key] for key in ordered}


def _seed(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}")
    return int(value) & 0xFFFFFFFFFFFFFFFF


_MOST_EPOCHS = 2**31 - 1  # the C++ core counts epochs in an int


def _count(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}")
    if value > _MOST_EPOCHS:
        raise ValueError(f"{what} must be at most {_MOST_EPOCHS}, got {value!r}; to train until a callback stops "
                         "fit, give a large number below that")
    return int(value)


def _fraction(value, what):
    """A fraction in [0, 1), such as validation_split; NaN and strings are refused here, before any arithmetic."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"fit: {what} must be a number in [0, 1), got {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"fit: {what} must be in [0, 1), got {value!r}")
    return float(value)


def _batch_size(value):
    if value is None:
        return 32
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"batch_size must be a positive integer, got {value!r}")
    return min(int(value), 2**63)  # any batch past the rows is all of them; the core's size_t holds this


def _verbosity(value):
    """Keras' verbose: "auto" (= 1, a progress bar), 0 silent, 1 progress bar, 2 one line per epoch (or call)."""
    if value == "auto":
        return 1
    if isinstance(value, numbers.Integral) and 0 <= value <= 2:
        return int(value)
    raise ValueError(f"verbose must be 'auto', 0, 1 or 2, got {value!r}")
