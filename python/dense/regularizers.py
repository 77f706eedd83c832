"""Keras' weight penalties: l1·Σ|w| + l2·Σw², added to the training loss."""
import numbers


class Regularizer:
    """``L1L2(l1, l2)``; ``L1(l1)`` and ``L2(l2)`` are its halves."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = _non_negative(l1, "l1"), _non_negative(l2, "l2")

    def spec(self):
        return {"l1": self.l1, "l2": self.l2}

    def __repr__(self):
        return f"L1L2(l1={self.l1}, l2={self.l2})"


def _non_negative(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"regularizers: {what} must be a number >= 0 (0 for no penalty), got {value!r}")
    return float(value)


L1L2 = Regularizer


class L1(Regularizer):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)


class L2(Regularizer):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)


def l1(l1=0.01):
    return L1(l1)


def l2(l2=0.01):
    return L2(l2)


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1, l2)


def spec(regularizer):
    """None, "l1", "l2", "l1_l2" or a Regularizer as what the C++ core reads."""
    if regularizer is None:
        return None
    if isinstance(regularizer, str):
        named = {"l1": l1, "l2": l2, "l1_l2": l1_l2}.get(regularizer)
        if named is None:
            raise ValueError(f"unknown regularizer '{regularizer}'; use l1, l2 or l1_l2")
        return named().spec()
    if isinstance(regularizer, Regularizer):
        return regularizer.spec()
    raise TypeError(f"a regularizer is None, a name or a dense.regularizers object, got {regularizer!r}")
