// Dense runs its bias (and, when predicting, its ReLU) inside the matrix product's epilogue:
// predictions must equal relu(x·W + b)·W₂ + b₂ evaluated in double precision from get_weights().
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include <dense/dense.hpp>

namespace {

// Row r of relu(x·W + b) (relu optional), x given as rows of `inputs` values.
std::vector<double> layer(const std::vector<double>& x, std::size_t inputs, const dense::Tensor<float>& kernel,
                          const dense::Tensor<float>& bias, bool relu) {
    const std::size_t units = kernel.shape[1], rows = x.size() / inputs;
    std::vector<double> out(rows * units);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t u = 0; u < units; ++u) {
            double z = bias.values[u];
            for (std::size_t i = 0; i < inputs; ++i) z += x[r * inputs + i] * kernel.values[i * units + u];
            out[r * units + u] = relu ? std::max(z, 0.0) : z;
        }
    return out;
}

TEST(DenseEpilogue, PredictEqualsReluOfAffineThenAffine) {
    // Wide enough for the packed, threaded product; odd sizes leave partial tiles.
    constexpr std::size_t rows = 70, inputs = 45, hidden = 37, outputs = 3;
    dense::Sequential model({dense::Dense(hidden, "relu", {.input_dim = inputs, .bias_initializer = "random_uniform"}),
                             dense::Dense(outputs, {.bias_initializer = "random_uniform"})});
    model.build(inputs);
    const auto weights = model.get_weights();
    dense::Rng rng(17);
    dense::Matrix<float> x(rows, inputs);
    std::vector<double> x_double;
    for (auto& v : x.values()) {
        v = static_cast<float>(rng.uniform(-1.0, 1.0));
        x_double.push_back(v);
    }
    const auto hidden_values = layer(x_double, inputs, weights[0], weights[1], true);
    const auto expected = layer(hidden_values, hidden, weights[2], weights[3], false);
    for (std::size_t batch : {std::size_t(1), std::size_t(32)}) {
        const dense::Matrix<float> predicted = model.predict(x, {.batch_size = batch});
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t o = 0; o < outputs; ++o)
                EXPECT_NEAR(predicted(r, o), expected[r * outputs + o], 1e-4) << "row " << r << ", batch " << batch;
    }
}

}  // namespace
