"""numpy in and out: float32 C-contiguous arrays are read where they are, results come back in
the memory the C++ core filled, and everything else is converted once."""
import numpy as np
import pytest

import dense
from dense import _core
from dense._arrays import as_matrix
from dense.layers import Dense


def model(dtype="float32"):
    m = dense.Sequential([Dense(4, activation="relu", input_dim=3), Dense(2)], dtype=dtype)
    m.compile(optimizer="adam", loss="mse")
    return m


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_c_contiguous_array_of_the_model_dtype_is_read_in_place(dtype):
    x = np.random.default_rng(0).normal(size=(20, 3)).astype(dtype)
    converted = as_matrix(x, np.dtype(dtype))
    assert converted is x
    assert _core.input_address(converted) == x.__array_interface__["data"][0]


def test_read_only_and_one_dimensional_arrays_pass_without_copies():
    x = np.arange(6, dtype=np.float32)
    x.flags.writeable = False
    column = as_matrix(x, np.dtype(np.float32))
    assert column.shape == (6, 1)
    assert _core.input_address(column) == x.__array_interface__["data"][0]


@pytest.mark.parametrize("make", [
    lambda x: x.astype(np.float64),               # another dtype
    lambda x: np.asfortranarray(x),               # Fortran order
    lambda x: np.repeat(x, 2, axis=0)[::2],       # strided rows
    lambda x: x.tolist(),                         # a list
    lambda x: x.astype(np.int64),                 # integers
])
def test_other_inputs_are_converted_once_to_the_same_values(make):
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    converted = as_matrix(make(x), np.dtype(np.float32))
    assert converted.flags.c_contiguous and converted.dtype == np.float32
    np.testing.assert_array_equal(converted, x)


def test_fit_trains_on_the_callers_memory_not_a_copy():
    """A value a callback changes between batches reaches the next batch: fit reads x where it is."""
    x = np.ones((10, 3), dtype=np.float32)
    y = np.ones((10, 2), dtype=np.float32)
    poison = dense.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: x.__setitem__(slice(4, None), np.nan))
    history = model().fit(x, y, epochs=1, batch_size=2, shuffle=False, callbacks=[poison], verbose=0)
    assert np.isnan(history.history["loss"][0])
    copied = np.ones((10, 3), dtype=np.float64)  # converted once: the callback's change comes too late
    poison = dense.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: copied.__setitem__(slice(4, None), np.nan))
    history = model().fit(copied, y, epochs=1, batch_size=2, shuffle=False, callbacks=[poison], verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_predictions_come_back_in_the_memory_dense_filled():
    predictions = model().predict(np.ones((5, 3), dtype=np.float32))
    assert predictions.shape == (5, 2) and predictions.dtype == np.float32
    assert not predictions.flags.owndata  # not a numpy allocation the results were copied into
    assert predictions.flags.c_contiguous and predictions.flags.writeable


def test_predict_into_out_writes_there_and_returns_it():
    m = model()
    x = np.random.default_rng(1).normal(size=(7, 3)).astype(np.float32)
    out = np.full((7, 2), np.nan, dtype=np.float32)
    result = m.predict(x, out=out)
    assert result is out
    assert result.__array_interface__["data"][0] == out.__array_interface__["data"][0]
    np.testing.assert_array_equal(out, m.predict(x))


def test_predict_into_an_out_of_the_wrong_shape_or_dtype_is_refused():
    m = model()
    x = np.ones((7, 3), dtype=np.float32)
    with pytest.raises(dense.DataError, match=r"`out` has shape \(7, 3\) but the predictions have shape \(7, 2\)"):
        m.predict(x, out=np.zeros((7, 3), dtype=np.float32))
    with pytest.raises(TypeError, match="out must be"):
        m.predict(x, out=np.zeros((7, 2), dtype=np.float64))


def test_predict_into_an_out_that_overlaps_x_gives_the_same_predictions():
    m = dense.Sequential([Dense(3, input_dim=3)])
    x = np.random.default_rng(3).normal(size=(5, 3)).astype(np.float32)
    wanted = m.predict(x).copy()
    rows = np.zeros((6, 3), dtype=np.float32)
    rows[:5] = x
    # out is x shifted down a row: batch 1's input row is where batch 0's prediction goes
    np.testing.assert_array_equal(m.predict(rows[:5], batch_size=1, out=rows[1:]), wanted)
    same = x.copy()
    np.testing.assert_array_equal(m.predict(same, out=same), wanted)


def test_weights_round_trip_through_numpy_exactly():
    m = model(dtype="float64")
    weights = [np.random.default_rng(2).normal(size=w.shape) for w in m.get_weights()]
    m.set_weights(weights)
    for got, wanted in zip(m.get_weights(), weights):
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got, wanted)
