"""Optimizers with Keras 3's names, defaults and equations (the equations are in dense's C++
headers, include/dense/optimizers/). ``compile(optimizer="adam")`` takes Keras' defaults;
``compile(optimizer=dense.optimizers.Adam(1e-3))`` chooses.

Once compiled, ``model.optimizer.learning_rate`` reads and sets the rate the model trains with,
so a callback can change it between epochs.
"""
import inspect
import numbers

from dense import schedules


class Optimizer:
    """What every optimizer shares: a learning rate (a number or a schedule) and gradient clipping."""

    name = None
    _CLIPPING = ("clipnorm", "clipvalue", "global_clipnorm")

    def __init__(self, learning_rate, clipping, **options):
        if not isinstance(learning_rate, schedules.LearningRateSchedule):
            learning_rate = _positive(learning_rate, "learning_rate")
        self._learning_rate = learning_rate
        self._clipping = self._checked_clipping(clipping)
        self._options = options
        self._model = None

    def _checked_clipping(self, clipping):
        """The clipping arguments (each None or > 0); any other keyword is a TypeError, as in Keras 3."""
        unknown = [key for key in clipping if key not in self._CLIPPING]
        if unknown:
            accepted = [name for name in inspect.signature(type(self)).parameters if name != "clipping"]
            raise TypeError(f"{type(self).__name__}: unknown argument {', '.join(map(repr, unknown))}; it takes "
                            f"{', '.join(accepted + list(self._CLIPPING))}")
        return {key: None if clipping.get(key) is None else _positive(clipping[key], key) for key in self._CLIPPING}

    def get_config(self):
        rate = self._learning_rate
        config = {"name": self.name,
                  "learning_rate": rate.spec() if isinstance(rate, schedules.LearningRateSchedule) else rate}
        config.update({k: float(v) for k, v in self._clipping.items() if v is not None})
        config.update(self._options)
        return config

    @property
    def learning_rate(self):
        """The rate of the next step (a schedule's current value once the model trains)."""
        if self._model is not None:
            return self._model._core.optimizer_info()["learning_rate"]
        rate = self._learning_rate
        return rate.get_config()["initial_learning_rate"] if isinstance(rate, schedules.LearningRateSchedule) else rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = _positive(value, "learning_rate")
        if self._model is not None:
            self._model._core.set_learning_rate(self._learning_rate)

    @property
    def iterations(self):
        """Training steps taken so far."""
        return self._model._core.optimizer_info()["iterations"] if self._model is not None else 0

    def __repr__(self):
        return f"{type(self).__name__}(learning_rate={self.learning_rate!r})"


def _positive(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{what} must be a positive number, got {value!r}")
    return float(value)


def _between(value, what, low, high, high_included=True):
    """value in [low, high] (or [low, high) without high_included), as a float."""
    inside = isinstance(value, numbers.Real) and not isinstance(value, bool) and \
        (low <= value <= high if high_included else low <= value < high)
    if not inside:
        raise ValueError(f"{what} must be a number in [{low}, {high}{']' if high_included else ')'}, got {value!r}")
    return float(value)


def _non_negative(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{what} must be a number >= 0, got {value!r}")
    return float(value)


class SGD(Optimizer):
    """w ← w − lr·g; with momentum m ← μ·m − lr·g, w ← w + m (nesterov: w ← w + μ·m − lr·g)."""

    name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **clipping):
        super().__init__(learning_rate, clipping, momentum=_between(momentum, "momentum", 0, 1),
                         nesterov=bool(nesterov))


def _adam_betas(beta_1, beta_2, epsilon):
    """Adam's decay rates in [0, 1) and its ε ≥ 0."""
    return {"beta_1": _between(beta_1, "beta_1", 0, 1, high_included=False),
            "beta_2": _between(beta_2, "beta_2", 0, 1, high_included=False),
            "epsilon": _non_negative(epsilon, "epsilon")}


class Adam(Optimizer):
    """m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε)."""

    name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, **clipping):
        super().__init__(learning_rate, clipping, **_adam_betas(beta_1, beta_2, epsilon), amsgrad=bool(amsgrad))


class AdamW(Optimizer):
    """Adam after a decoupled weight decay w ← w − w·weight_decay·lr."""

    name = "adamw"

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **clipping):
        super().__init__(learning_rate, clipping, weight_decay=_non_negative(weight_decay, "weight_decay"),
                         **_adam_betas(beta_1, beta_2, epsilon), amsgrad=bool(amsgrad))


class RMSprop(Optimizer):
    """v ← ρv + (1 − ρ)g², w ← w − lr·g / √(v + ε) (centered and momentum as Keras)."""

    name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **clipping):
        super().__init__(learning_rate, clipping, rho=_between(rho, "rho", 0, 1),
                         momentum=_between(momentum, "momentum", 0, 1), epsilon=_non_negative(epsilon, "epsilon"),
                         centered=bool(centered))


class Adagrad(Optimizer):
    """a ← a + g², w ← w − lr·g / √(a + ε)."""

    name = "adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **clipping):
        super().__init__(learning_rate, clipping,
                         initial_accumulator_value=_non_negative(initial_accumulator_value,
                                                                 "initial_accumulator_value"),
                         epsilon=_non_negative(epsilon, "epsilon"))


class Nadam(Optimizer):
    """Adam with Nesterov momentum (Keras 3's μ schedule, decay 0.96)."""

    name = "nadam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **clipping):
        super().__init__(learning_rate, clipping, **_adam_betas(beta_1, beta_2, epsilon))


_BY_NAME = {cls.name: cls for cls in (SGD, Adam, AdamW, RMSprop, Adagrad, Nadam)}


def get(identifier):
    """An optimizer from a name ("adam", "SGD", ...) with Keras' defaults, or the optimizer itself."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            from dense._core import UsageError
            raise UsageError(f"unknown optimizer '{identifier}'; use one of: {', '.join(_BY_NAME)}")
        return cls()
    raise TypeError(f"optimizer is a name such as 'adam' or a dense.optimizers object, got {identifier!r}")


def from_config(config):
    """The optimizer a loaded model was compiled with, from the core's description."""
    cls = _BY_NAME[config["name"]]
    options = {k: v for k, v in config.items() if k not in ("name", "iterations", "learning_rate_schedule")}
    schedule = config.get("learning_rate_schedule") or options.get("learning_rate")
    if isinstance(schedule, dict):
        options["learning_rate"] = schedules.from_spec(schedule)
    for key in ("clipnorm", "clipvalue", "global_clipnorm"):
        if not options.get(key):
            options.pop(key, None)
    return cls(**options)
