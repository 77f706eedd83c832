// The course's first lesson in dense: one neuron learns to turn Celsius into Fahrenheit.
// Build: cmake --build build --target example_celsius_to_fahrenheit; run: build/examples/celsius_to_fahrenheit
#include <dense/dense.hpp>

#include <iostream>

int main() {
    const auto celsius = dense::Matrix<float>::column({-40, -10, 0, 8, 15, 22, 38});
    const auto fahrenheit = dense::Matrix<float>::column({-40, 14, 32, 46, 59, 72, 100});

    dense::Sequential model({dense::Dense(1, {.input_dim = 1})});
    model.compile(dense::Adam(0.1), "mean_squared_error");
    const dense::History history = model.fit(celsius, fahrenheit, {.epochs = 500, .verbose = 0});

    const auto weights = model.get_weights();  // {kernel [1, 1], bias [1]}, as Keras
    std::cout << model.summary() << "loss after 500 epochs: " << history["loss"].back() << "\n"
              << "learned: f = " << weights[0].values[0] << " * c + " << weights[1].values[0] << "\n"
              << "100 C is " << model.predict(dense::Matrix<float>::column({100}))(0, 0) << " F\n";
}
