// Learns y = 2x + 3 with an installed dense, printing the learned weight and bias.
#include <dense/dense.hpp>

#include <iostream>

int main() {
    const auto x = dense::Matrix<float>::column({-1, 0, 1, 2, 3, 4});
    const auto y = dense::Matrix<float>::column({1, 3, 5, 7, 9, 11});
    dense::Sequential model({dense::Dense(1, {.input_dim = 1})});
    model.compile(dense::Adam(0.1), "mean_squared_error");
    model.fit(x, y, {.epochs = 500, .verbose = 0});
    const auto weights = model.get_weights();
    std::cout << weights[0].values[0] << " " << weights[1].values[0] << "\n";
}
