// interop::with_output_scaling: the folded model predicts y'·stddev + mean, computed here from the
// original model's outputs; layers that cannot take the scale are refused.
#include <gtest/gtest.h>

#include "dense/dense.hpp"
#include "dense/interop/output_scaling.hpp"

namespace {

using namespace dense;

TEST(OutputScaling, FoldedModelPredictsInTargetUnits) {
    Sequential model({Dense(4, "tanh", {.input_dim = 3}), Dense(2)});
    model.build(3);
    Matrix<float> x(5, 3);
    Rng rng(7);
    for (auto& v : x.values()) v = static_cast<float>(rng.normal());
    const std::vector<double> mean{150.0, -3.0}, stddev{78.0, 0.5};
    const auto folded = interop::with_output_scaling(model, mean, stddev);
    const auto standardised = model.predict(x);
    const auto scaled = Sequential(folded).predict(x);
    for (std::size_t r = 0; r < x.rows(); ++r)
        for (std::size_t j = 0; j < 2; ++j) {
            const double want = double(standardised(r, j)) * stddev[j] + mean[j];
            EXPECT_NEAR(scaled(r, j), want, 1e-5 * std::abs(want) + 1e-5) << r << "," << j;
        }
    EXPECT_EQ(model.get_weights()[0], folded.get_weights()[0]);  // only the last layer changes
}

TEST(OutputScaling, RefusesALastLayerThatIsNotLinearWithABias) {
    const std::vector<double> mean{1.0}, stddev{2.0};
    Sequential sigmoid({Dense(1, "sigmoid", {.input_dim = 2})});
    sigmoid.build(2);
    EXPECT_THROW(interop::with_output_scaling(sigmoid, mean, stddev), UsageError);
    Sequential no_bias({Dense(1, DenseOptions{.input_dim = 2, .use_bias = false})});
    no_bias.build(2);
    EXPECT_THROW(interop::with_output_scaling(no_bias, mean, stddev), UsageError);
    Sequential two_outputs({Dense(2, DenseOptions{.input_dim = 2})});
    two_outputs.build(2);
    EXPECT_THROW(interop::with_output_scaling(two_outputs, mean, stddev), UsageError);
}

}  // namespace
