"""The course's first lesson: one neuron learns to turn Celsius into Fahrenheit. The numbers are
those `dense demo` prints for it: the same model, data and seed give the same weights, bit for bit.

    python examples/python/celsius_to_fahrenheit.py
"""
import numpy as np

import dense
from dense.layers import Dense

celsius = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=np.float32)
fahrenheit = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=np.float32)


def lesson_model(seed=42):
    model = dense.Sequential([Dense(1, input_dim=1)], seed=seed)  # f = w·c + b
    model.compile(optimizer=dense.optimizers.Adam(0.1), loss="mean_squared_error")
    return model


def line(model):
    kernel, bias = model.get_weights()
    return kernel[0, 0], bias[0]


model = lesson_model()
history = model.fit(celsius, fahrenheit, epochs=500, verbose=0)
w, b = line(model)
print("Dense(1), Adam(0.1), mean squared error, 500 epochs, as the course:")
print(f"  f = {w:.7f}·c + {b:.7f};  f(100) = {model.predict([100.0], verbose=0)[0, 0]:.2f}"
      f";  loss {history.history['loss'][-1]:.4f}")
print("After 500 epochs Adam has not converged: where it stands depends on the random first weight.")
runs = []
for seed in range(1, 6):
    run = lesson_model(seed)
    run.fit(celsius, fahrenheit, epochs=500, verbose=0)
    runs.append("({:.4f}, {:.3f})".format(*line(run)))
print("The same recipe from five seeds:", ", ".join(runs))

# Training on, with the learning rate halved whenever the loss stops falling, settles on the
# least-squares line of these points; the course's rounded Fahrenheit values keep it off 1.8·c + 32.
plateau = dense.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=20, min_delta=0, min_lr=1e-7)
model.fit(celsius, fahrenheit, epochs=3000, initial_epoch=500, callbacks=[plateau], verbose=0)
w, b = line(model)
slope, intercept = np.polyfit(celsius.astype(np.float64), fahrenheit.astype(np.float64), 1)
print(f"Epochs 500–3000: f = {w:.7f}·c + {b:.7f}; least squares: f = {slope:.7f}·c + {intercept:.7f}")
