"""Layers, as Keras names them: Dense, Dropout, Activation (and LeakyReLU, ELU, ReLU, Softmax as
activation layers), and Input to declare the width of the model's inputs.

A layer describes itself until it is added to a model; from then on it is a view of that model's
layer: ``model.layers[0].get_weights()`` reads the weights the model trains.
"""
import numbers

from dense import _core, initializers, regularizers


class Layer:
    """What every layer shares: a name, whether fit trains it, and once in a model, its weights."""

    def __init__(self, name=None, trainable=True):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"a layer name is a string, got {name!r}")
        self._name = name
        self._trainable = bool(trainable)
        self._model = None
        self._index = None

    def spec(self):
        """The layer as the C++ core builds it."""
        raise NotImplementedError

    def _attach(self, model, index):
        self._model, self._index = model, index

    def _info(self):
        return self._model._core.layer_info(self._index) if self._model is not None else None

    @property
    def name(self):
        """The name given, or once in a model the one it has there (Keras' "dense", "dense_1", ...)."""
        info = self._info()
        return info["name"] if info else self._name

    @property
    def trainable(self):
        """Keras' trainable: False freezes the layer's weights in fit (gradients still pass through it)."""
        info = self._info()
        return info["trainable"] if info else self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        if self._model is not None:
            self._model._core.set_layer_trainable(self._index, self._trainable)

    @property
    def built(self):
        """True once the layer's weights exist (its model is built)."""
        info = self._info()
        return bool(info and info["built"])

    @property
    def input_dim(self):
        """The width of the layer's inputs once in a model (0 until known), else None."""
        info = self._info()
        return info["input_dim"] if info else None

    @property
    def output_shape(self):
        """(None, outputs) once in a model, else None."""
        info = self._info()
        return (None, info["output_dim"]) if info and info["output_dim"] else None

    def count_params(self):
        """The layer's weights and biases (0 before it is built)."""
        info = self._info()
        return info["params"] if info else 0

    def get_weights(self):
        """The layer's weights as numpy arrays, in Keras' order (Dense: kernel [inputs, units], bias [units])."""
        if self._model is None:
            return []
        return self._model._core.layer_weights(self._index)

    def set_weights(self, weights):
        """Copies ``weights`` (arrays in get_weights' order and shapes) into the layer."""
        self._require_model("set_weights")
        self._model._core.set_layer_weights(self._index, self._model._weight_arrays(weights))

    @property
    def weights(self):
        """The same as get_weights()."""
        return self.get_weights()

    def get_config(self):
        """The layer's arguments as a dict, as Keras' get_config (the name it has in its model)."""
        config = self.spec()
        config.pop("type", None)
        if self._model is not None:
            config["name"] = self.name
        return config

    def _require_model(self, what):
        if self._model is None:
            raise ValueError(f"{what}: layer {self._name or type(self).__name__} is not in a model yet; "
                             "add it to a Sequential model first")

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


def _positive_int(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{what} must be a positive integer, got {value!r}")
    if value >= 2**63:  # past what the core's sizes hold (a width no memory could hold anyway)
        raise ValueError(f"{what} must be below 2**63, got {value!r}")
    return int(value)


def _input_width(input_dim, input_shape):
    """Keras 2's input_dim=4 or input_shape=(4,) as one number (0: not given)."""
    if input_shape is not None:
        shape = tuple(input_shape) if not isinstance(input_shape, numbers.Integral) else (input_shape,)
        if len(shape) != 1:
            raise ValueError(f"input_shape must be (features,), got {input_shape!r}: dense models take 2-D data")
        return _positive_int(shape[0], "input_shape[0]")
    return 0 if input_dim is None else _positive_int(input_dim, "input_dim")


def _activation_name(activation):
    if activation is None:
        return "linear"
    if isinstance(activation, str):
        return activation
    raise TypeError(f"activation is a name such as 'relu' (dense computes activations in C++), got {activation!r}")


class Dense(Layer):
    """Fully connected: ``y = activation(x · kernel + bias)`` with kernel [inputs, units]."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, input_dim=None,
                 input_shape=None, name=None, trainable=True):
        super().__init__(name, trainable)
        self.units = _positive_int(units, "Dense: units")
        self.activation = _activation_name(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self._declared_input_dim = _input_width(input_dim, input_shape)
        self._alpha = None
        self._relu_options = {}  # relu_general's max_value and threshold (a Keras model's ReLU options)
        _core.check_layer(self.spec())  # a wrong name is an error here, as in Keras, not at add()

    def spec(self):
        return {"type": "Dense", "name": self._name, "units": self.units, "activation": self.activation,
                "alpha": self._alpha, "use_bias": self.use_bias, "input_dim": self._declared_input_dim,
                "kernel_initializer": initializers.spec(self.kernel_initializer),
                "bias_initializer": initializers.spec(self.bias_initializer),
                "kernel_regularizer": regularizers.spec(self.kernel_regularizer),
                "bias_regularizer": regularizers.spec(self.bias_regularizer), "trainable": self.trainable,
                **self._relu_options}

    @property
    def kernel(self):
        """The kernel [inputs, units] as a numpy array (a copy: set it with set_weights)."""
        weights = self.get_weights()
        return weights[0] if weights else None

    @property
    def bias(self):
        """The bias [units] as a numpy array (a copy), or None without one (use_bias=False)."""
        weights = self.get_weights()
        return weights[1] if len(weights) > 1 else None


class Dropout(Layer):
    """Zeroes each input with probability ``rate`` while training, scaling the rest by 1 / (1 − rate)."""

    def __init__(self, rate, name=None, trainable=True):
        super().__init__(name, trainable)
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be a number in [0, 1), got {rate!r}")
        self.rate = float(rate)

    def spec(self):
        return {"type": "Dropout", "name": self._name, "rate": self.rate, "trainable": self.trainable}


class Activation(Layer):
    """``y = activation(x)``, no weights."""

    def __init__(self, activation, name=None, alpha=None, trainable=True):
        super().__init__(name, trainable)
        self.activation = _activation_name(activation)
        self._alpha = alpha
        self._relu_options = {}  # relu_general's max_value and threshold (see ReLU)
        _core.check_layer(self.spec())  # an unknown activation is an error here, as in Keras

    def spec(self):
        return {"type": "Activation", "name": self._name, "activation": self.activation, "alpha": self._alpha,
                "trainable": self.trainable, **self._relu_options}


def LeakyReLU(negative_slope=0.3, name=None):
    """Keras' LeakyReLU layer: x for x > 0, negative_slope·x below."""
    return Activation("leaky_relu", name=name, alpha=float(negative_slope))


def ELU(alpha=1.0, name=None):
    """Keras' ELU layer: x for x > 0, alpha·(eˣ − 1) below."""
    return Activation("elu", name=name, alpha=float(alpha))


def ReLU(max_value=None, negative_slope=0.0, threshold=0.0, name=None):
    """Keras' ReLU layer: min(x, max_value) for x > threshold, negative_slope·(x − threshold) otherwise
    (relu, leaky_relu or relu6 when it is one of them)."""
    if max_value is None and threshold == 0:
        return Activation("relu", name=name) if negative_slope == 0 else LeakyReLU(negative_slope, name=name)
    if max_value == 6 and threshold == 0 and negative_slope == 0:
        return Activation("relu6", name=name)
    layer = Activation("relu_general", name=name, alpha=float(negative_slope))
    layer._relu_options = {"max_value": None if max_value is None else float(max_value), "threshold": float(threshold)}
    return layer


def Softmax(name=None):
    """Keras' Softmax layer: an Activation("softmax")."""
    return Activation("softmax", name=name)


class InputLayer:
    """Declares the width of the model's inputs: ``Sequential([Input(shape=(4,)), Dense(8)])``."""

    def __init__(self, shape=None, name=None):
        if shape is None:
            raise ValueError("Input: give shape=(features,)")
        self.input_dim = _input_width(None, shape)
        self.name = name


def Input(shape=None, name=None):
    """Keras' Input: ``Sequential([Input(shape=(4,)), Dense(8)])`` declares 4 features and builds the model."""
    return InputLayer(shape, name)


def from_spec(spec):
    """The Python layer for a layer the C++ core describes (after loading a model)."""
    kind = spec["type"]
    if kind == "Dropout":
        return Dropout(spec["rate"], name=spec["name"], trainable=spec["trainable"])
    if kind == "Dense":
        layer = Dense(spec["units"], activation=spec["activation"], use_bias=spec["use_bias"],
                      kernel_initializer=_initializer(spec["kernel_initializer"]),
                      bias_initializer=_initializer(spec["bias_initializer"]),
                      kernel_regularizer=_regularizer(spec["kernel_regularizer"]),
                      bias_regularizer=_regularizer(spec["bias_regularizer"]),
                      input_dim=spec["input_dim"] or None, name=spec["name"], trainable=spec["trainable"])
    else:
        layer = Activation(spec["activation"], name=spec["name"], trainable=spec["trainable"])
    layer._alpha = spec["alpha"]
    layer._relu_options = {key: spec[key] for key in ("max_value", "threshold") if key in spec}
    return layer


def _initializer(spec):
    """A name, or the core's {"name", "a", "b"}."""
    if isinstance(spec, str):
        return spec
    initializer = initializers.Initializer(spec["a"], spec["b"])
    initializer.name = spec["name"]
    return initializer


def _regularizer(spec):
    return regularizers.Regularizer(spec["l1"], spec["l2"]) if spec and (spec["l1"] or spec["l2"]) else None
