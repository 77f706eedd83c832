"""Keras' losses, with its "sum over batch size" reduction. By name (``loss="mse"``) or as objects
for their options (``loss=dense.losses.Huber(delta=2.0)``,
``dense.losses.SparseCategoricalCrossentropy(from_logits=True)``)."""


class Loss:
    """What the losses share: a name the C++ core knows, and their options."""
    name = None

    def __init__(self, from_logits=False, delta=1.0):
        self.from_logits, self.delta = bool(from_logits), float(delta)

    def spec(self):
        return {"name": self.name, "from_logits": self.from_logits, "delta": self.delta}

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """mean((y_true - y_pred)²); by name "mean_squared_error" or "mse"."""
    name = "mean_squared_error"

    def __init__(self):
        super().__init__()


class MeanAbsoluteError(Loss):
    """mean(|y_true - y_pred|); by name "mean_absolute_error" or "mae"."""
    name = "mean_absolute_error"

    def __init__(self):
        super().__init__()


class Huber(Loss):
    """Squared error up to ``delta`` (½·e²), linear past it (delta·(|e| - ½·delta)); by name "huber"."""
    name = "huber"

    def __init__(self, delta=1.0):
        super().__init__(delta=delta)


class BinaryCrossentropy(Loss):
    """-mean(y·log p + (1 - y)·log(1 - p)) for 0/1 targets; ``from_logits=True`` for outputs without a sigmoid."""
    name = "binary_crossentropy"

    def __init__(self, from_logits=False):
        super().__init__(from_logits=from_logits)


class CategoricalCrossentropy(Loss):
    """-mean(Σ y·log p) for one-hot targets; ``from_logits=True`` for outputs without a softmax."""
    name = "categorical_crossentropy"

    def __init__(self, from_logits=False):
        super().__init__(from_logits=from_logits)


class SparseCategoricalCrossentropy(Loss):
    """-mean(log p[label]) for integer class labels; ``from_logits=True`` for outputs without a softmax."""
    name = "sparse_categorical_crossentropy"

    def __init__(self, from_logits=False):
        super().__init__(from_logits=from_logits)


def spec(loss):
    """A loss name or Loss object as what the C++ core reads."""
    if isinstance(loss, str):
        return {"name": loss}
    if isinstance(loss, Loss):
        return loss.spec()
    if loss is None:
        raise ValueError("compile: give a loss, e.g. loss='mse' or loss='sparse_categorical_crossentropy'")
    raise TypeError(f"loss is a name such as 'mse' or a dense.losses object, got {loss!r}")


_BY_NAME = {cls.name: cls for cls in (MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy,
                                      CategoricalCrossentropy, SparseCategoricalCrossentropy)}


def from_spec(spec):
    """The loss a spec describes, with its options (delta, from_logits); a name when it has none."""
    cls = _BY_NAME.get(spec["name"])
    if cls is None:
        return spec["name"]
    if cls is Huber:
        return Huber(delta=spec.get("delta", 1.0))
    if cls in (MeanSquaredError, MeanAbsoluteError):
        return cls()
    return cls(from_logits=spec.get("from_logits", False))
