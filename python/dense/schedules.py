"""Keras' learning-rate schedules, evaluated by dense at each optimizer step.

    ExponentialDecay:       lr₀ · rate^(step / decay_steps)   (the ratio floored if staircase)
    CosineDecay:            lr₀ · ((1 − α) · ½(1 + cos(π · min(step, decay_steps) / decay_steps)) + α)
    PiecewiseConstantDecay: values[i] for boundaries[i−1] < step ≤ boundaries[i]
"""


class LearningRateSchedule:
    """A learning rate that changes with the optimizer's step, computed by the C++ core."""

    def __init__(self, **config):
        self._config = config

    def get_config(self):
        """The schedule's arguments as a dict, as Keras' get_config."""
        return dict(self._config)

    def spec(self):
        return {"schedule": self.schedule, **self._config}

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._config.items())})"


class ExponentialDecay(LearningRateSchedule):
    """initial_learning_rate · decay_rate^(step / decay_steps) (the exponent floored with staircase)."""
    schedule = "exponential_decay"

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False):
        super().__init__(initial_learning_rate=float(initial_learning_rate), decay_steps=float(decay_steps),
                         decay_rate=float(decay_rate), staircase=bool(staircase))


class CosineDecay(LearningRateSchedule):
    """From initial_learning_rate down to alpha times it over decay_steps, along half a cosine."""
    schedule = "cosine_decay"

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0):
        super().__init__(initial_learning_rate=float(initial_learning_rate), decay_steps=float(decay_steps),
                         alpha=float(alpha))


class PiecewiseConstantDecay(LearningRateSchedule):
    """values[0] up to boundaries[0], values[i] past boundaries[i - 1] up to boundaries[i], the last past the last."""
    schedule = "piecewise_constant"

    def __init__(self, boundaries, values):
        super().__init__(boundaries=[float(b) for b in boundaries], values=[float(v) for v in values])


_BY_SCHEDULE = {cls.schedule: cls for cls in (ExponentialDecay, CosineDecay, PiecewiseConstantDecay)}


def from_spec(spec):
    """The schedule an optimizer's config describes ({"schedule": name, **its arguments})."""
    options = dict(spec)
    return _BY_SCHEDULE[options.pop("schedule")](**options)
