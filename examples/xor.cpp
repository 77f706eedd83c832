// XOR, the classic problem one neuron cannot solve: a hidden layer of 4 tanh neurons can.
#include <dense/dense.hpp>

#include <iostream>

int main() {
    const dense::Matrix<float> x{{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    const dense::Matrix<float> y{{0}, {1}, {1}, {0}};

    dense::Sequential model({dense::Dense(4, "tanh", {.input_dim = 2}), dense::Dense(1, "sigmoid")});
    model.compile(dense::Adam(0.05), "binary_crossentropy", {"accuracy"});
    model.fit(x, y, {.epochs = 300, .batch_size = 4, .verbose = 0});

    const auto result = model.evaluate(x, y);
    const auto p = model.predict(x);
    for (std::size_t i = 0; i < 4; ++i)
        std::cout << x(i, 0) << " xor " << x(i, 1) << " -> " << p(i, 0) << " (want " << y(i, 0) << ")\n";
    std::cout << "accuracy: " << result.at("accuracy") << ", loss: " << result.at("loss") << "\n";
}
