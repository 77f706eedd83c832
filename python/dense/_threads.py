"""The number of threads dense trains and predicts with."""
import numbers

from dense import _core
from dense._core import UsageError, num_threads


def set_num_threads(count):
    """Trains and predicts with ``count`` threads (0: as many as the machine's cores, or DENSE_NUM_THREADS)."""
    if isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < 0:
        raise UsageError(f"set_num_threads: count must be a whole number >= 0 (0 for the default), got {count!r}")
    _core.set_num_threads(int(count))


__all__ = ["num_threads", "set_num_threads"]
