"""One neuron learns y = 2x + 3: the articles' first example, from Python.

    python examples/python/one_neuron.py
"""
import numpy as np

import dense

x = np.array([-1, 0, 1, 2, 3, 4], dtype=np.float32)
y = 2 * x + 3

model = dense.Sequential([dense.layers.Dense(1, input_dim=1)])  # y = w·x + b
model.compile(optimizer=dense.optimizers.Adam(0.1), loss="mean_squared_error")
model.fit(x, y, epochs=500, verbose=0)

kernel, bias = model.get_weights()
print(f"learned: y = {kernel[0, 0]:.7f}x + {bias[0]:.7f}   (the truth: y = 2x + 3)")
for value, predicted in zip([1, 2, 3, 4], model.predict([1, 2, 3, 4], verbose=0).ravel()):
    print(f"  x = {value}: {predicted:.7f}, exactly {2 * value + 3}")
