"""Keras' layer.trainable = False and ReLU(max_value, negative_slope, threshold), through the
Python package."""
import pickle

import numpy as np

import dense
from dense.layers import Dense, ReLU


def test_frozen_layer_keeps_its_weights_through_fit_and_pickling(regression_data):
    x, y = regression_data
    model = dense.Sequential([Dense(6, activation="tanh", input_dim=3), Dense(4, activation="relu", trainable=False),
                              Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    before = model.get_weights()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    after = model.get_weights()
    np.testing.assert_array_equal(after[2], before[2])
    np.testing.assert_array_equal(after[3], before[3])
    assert not np.array_equal(after[0], before[0])
    assert [layer.trainable for layer in model.layers] == [True, False, True]
    lines = []
    model.summary(print_fn=lines.append)
    assert " Non-trainable params: 28 (112.00 B)" in lines[0]  # 6·4 + 4
    copy = pickle.loads(pickle.dumps(model))
    assert [layer.trainable for layer in copy.layers] == [True, False, True]
    model.layers[1].trainable = True
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert not np.array_equal(model.get_weights()[2], before[2])


def test_relu_with_options_computes_keras_formula():
    # f(x) = min(x, 1.5) for x > 0.3, 0.2·(x − 0.3) otherwise, on the identity Dense's outputs.
    model = dense.Sequential([Dense(5, input_dim=5, use_bias=False), ReLU(max_value=1.5, negative_slope=0.2, threshold=0.3)])
    model.build(5)
    model.set_weights([np.eye(5, dtype=np.float32)])
    x = np.array([[-1.0, 0.3, 0.5, 1.5, 2.0]], dtype=np.float32)
    np.testing.assert_allclose(model.predict(x, verbose=0), [[0.2 * -1.3, 0.0, 0.5, 1.5, 1.5]], rtol=1e-6)
    copy = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(copy.predict(x, verbose=0), model.predict(x, verbose=0))
    assert ReLU().activation == "relu" and ReLU(max_value=6).activation == "relu6"
    assert ReLU(negative_slope=0.1).activation == "leaky_relu"
