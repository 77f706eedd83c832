"""Weight initializers with Keras' names and defaults.

Pass a name (``kernel_initializer="he_normal"``) or an object (``RandomNormal(stddev=0.1)``).
dense draws every random number from the model's seed, so initializers take no seed of their own.
"""


class Initializer:
    """An initializer: its name and its two numbers (dense's ``Initializer(kind, a, b)``)."""

    name = None

    def __init__(self, a=0.0, b=0.0):
        self._a, self._b = float(a), float(b)

    def spec(self):
        return {"name": self.name, "a": self._a, "b": self._b}

    def __repr__(self):
        return f"{type(self).__name__}({self._a}, {self._b})"


def _named(class_name, keras_name, doc):
    return type(class_name, (Initializer,), {"name": keras_name, "__doc__": doc})


GlorotUniform = _named("GlorotUniform", "glorot_uniform", "U(−l, l), l = √(6 / (fan_in + fan_out)).")
GlorotNormal = _named("GlorotNormal", "glorot_normal", "Truncated N(0, 2 / (fan_in + fan_out)).")
HeUniform = _named("HeUniform", "he_uniform", "U(−l, l), l = √(6 / fan_in).")
HeNormal = _named("HeNormal", "he_normal", "Truncated N(0, 2 / fan_in).")
LecunUniform = _named("LecunUniform", "lecun_uniform", "U(−l, l), l = √(3 / fan_in).")
LecunNormal = _named("LecunNormal", "lecun_normal", "Truncated N(0, 1 / fan_in).")
Zeros = _named("Zeros", "zeros", "All zeros.")
Ones = _named("Ones", "ones", "All ones.")


class Constant(Initializer):
    """Every weight ``value``."""

    name = "constant"

    def __init__(self, value=0.0):
        super().__init__(value)


class RandomUniform(Initializer):
    """U(minval, maxval)."""

    name = "random_uniform"

    def __init__(self, minval=-0.05, maxval=0.05):
        super().__init__(minval, maxval)


class RandomNormal(Initializer):
    """N(mean, stddev²)."""

    name = "random_normal"

    def __init__(self, mean=0.0, stddev=0.05):
        super().__init__(mean, stddev)


class TruncatedNormal(Initializer):
    """N(mean, stddev²) redrawn beyond two standard deviations."""

    name = "truncated_normal"

    def __init__(self, mean=0.0, stddev=0.05):
        super().__init__(mean, stddev)


def spec(identifier):
    """A name or an Initializer as what the C++ core reads."""
    if isinstance(identifier, str):
        return identifier
    if isinstance(identifier, Initializer):
        return identifier.spec()
    raise TypeError(f"an initializer is a name such as 'glorot_uniform' or a dense.initializers object, "
                    f"got {identifier!r}")
