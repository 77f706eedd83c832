"""Data into the arrays dense reads: 2-D, C-contiguous, of the model's dtype (float32 or float64).

An array that already is one passes through untouched: dense reads its memory in place, no copy.
Anything else (another dtype, a Fortran-ordered or strided array, a list, a pandas DataFrame) is
converted once, here. A 1-D array is one column (one feature, or one target per sample).
"""
import numpy as np

from dense._core import DataError


def as_matrix(data, dtype, what="x"):
    """``data`` as a C-contiguous (rows, columns) array of ``dtype``; no copy when it already is one."""
    if data is None:
        raise TypeError(f"{what} is None; give an array of numbers")
    if hasattr(data, "tocsr") or hasattr(data, "toarray"):
        raise TypeError(f"{what} is a sparse matrix; dense takes dense arrays (use .toarray())")
    array = data if isinstance(data, np.ndarray) else _from_container(data, dtype, what)
    _refuse_kinds(array.dtype, what)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_) or np.iscomplexobj(array):
        array = _numbers(array, dtype, what)
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    if array.ndim != 2:
        raise DataError(f"{what} must be a 2-D array (samples, features) or 1-D (one feature); "
                        f"got an array of shape {array.shape}")
    return np.ascontiguousarray(array, dtype=dtype)


# numpy would turn these into numbers (nanoseconds since 1970, the number a string spells), which a
# network would train on as if they were measurements: they need converting or encoding first.
_NOT_NUMBERS = {"U": "strings", "S": "byte strings", "M": "dates and times (datetime64)",
                "m": "time spans (timedelta64)"}


def _refuse_kinds(dtype, what):
    if getattr(dtype, "kind", None) in _NOT_NUMBERS:
        raise TypeError(f"{what} holds {_NOT_NUMBERS[dtype.kind]} (dtype {dtype}), not numbers; convert them "
                        "to numbers (or encode them, e.g. one column per category) first")


def _from_container(data, dtype, what):
    """A DataFrame, Series, list or anything array-like as a numpy array."""
    if hasattr(data, "to_numpy"):  # pandas: one conversion straight to the model's dtype
        for column_dtype in data.dtypes if hasattr(data, "columns") else [getattr(data, "dtype", None)]:
            _refuse_kinds(column_dtype, what)
        try:
            return data.to_numpy(dtype=dtype)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{what} must hold numbers only: {error}") from None
    return np.asarray(data)


def _numbers(array, dtype, what):
    """An object, string or complex array as numbers, or a TypeError saying why not."""
    if np.iscomplexobj(array):
        raise TypeError(f"{what} holds complex numbers; dense takes real numbers")
    try:
        return array.astype(dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{what} must hold numbers only: {error}") from None


def as_dtype(dtype):
    """"float32" or "float64" (or the numpy types) as a numpy dtype; anything else is an error."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be 'float32' or 'float64', got {dtype!r}") from None
    if resolved not in (np.float32, np.float64):
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
    return resolved
