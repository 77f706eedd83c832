// average_networks: K networks merged into one whose outputs are the mean of theirs (regression)
// or whose logits are the mean of theirs (classification), checked against each member's forward
// pass computed by hand from its weights.
#include "dense/tune/network_average.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dense/dense.hpp"

namespace dense::tune {
namespace {

Sequential network(std::size_t inputs, std::vector<std::size_t> hidden, std::size_t outputs, Activation last,
                   std::uint64_t seed) {
    Sequential model(SequentialOptions{"member", seed});
    std::size_t width = inputs;
    for (auto units : hidden) {
        model.add(Dense(units, "relu", {.input_dim = width == inputs ? inputs : 0}));
        width = units;
    }
    model.add(Dense(outputs, last, {.input_dim = hidden.empty() ? inputs : 0}));
    model.compile("adam", outputs > 1 && last.kind() == ActivationKind::softmax ? "sparse_categorical_crossentropy" : "mse");
    return model;
}

// Non-zero biases, so that a bias merged wrongly shows.
void randomize_biases(Sequential& model, std::uint64_t seed) {
    Rng rng(seed);
    for (std::size_t i = 0; i < model.layer_count(); ++i) {
        auto weights = model.layer(i).get_weights();
        for (auto& b : weights[1].values) b = static_cast<float>(rng.uniform(-0.5, 0.5));
        model.layer(i).set_weights(weights);
    }
}

Matrix<float> random_inputs(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    Rng rng(seed);
    Matrix<float> x(rows, cols);
    for (auto& v : x.values()) v = static_cast<float>(rng.uniform(-2.0, 2.0));
    return x;
}

// The network's output before its last activation, by hand: a ← relu(a·W + b) layer by layer,
// the last layer without the relu.
std::vector<double> logits_by_hand(const Sequential& model, std::span<const float> x) {
    std::vector<double> a(x.begin(), x.end());
    for (std::size_t i = 0; i < model.layer_count(); ++i) {
        const auto weights = model.layer(i).get_weights();
        const std::size_t inputs = weights[0].shape[0], units = weights[0].shape[1];
        std::vector<double> z(units);
        for (std::size_t u = 0; u < units; ++u) {
            z[u] = weights[1].values[u];
            for (std::size_t k = 0; k < inputs; ++k) z[u] += a[k] * weights[0].values[k * units + u];
            if (i + 1 < model.layer_count()) z[u] = std::max(z[u], 0.0);
        }
        a = std::move(z);
    }
    return a;
}

std::vector<Sequential> members(std::size_t count, std::size_t inputs, std::vector<std::size_t> hidden, std::size_t outputs,
                                Activation last) {
    std::vector<Sequential> list;
    for (std::size_t k = 0; k < count; ++k) {
        list.push_back(network(inputs, hidden, outputs, last, 100 + k));
        randomize_biases(list.back(), 200 + k);
    }
    return list;
}

// mean over the members of their logits for row r.
std::vector<double> mean_logits(const std::vector<Sequential>& list, const Matrix<float>& x, std::size_t r) {
    std::vector<double> mean;
    for (const auto& member : list) {
        const auto logits = logits_by_hand(member, x.row(r));
        mean.resize(logits.size());
        for (std::size_t o = 0; o < logits.size(); ++o) mean[o] += logits[o] / double(list.size());
    }
    return mean;
}

TEST(AverageNetworks, OneHiddenLayerPredictsTheMeanOfTheMembersPredictions) {
    const auto list = members(5, 4, {8}, 2, activations::linear);
    auto merged = average_networks(list);
    ASSERT_EQ(merged.layer_count(), 2u);
    EXPECT_EQ(merged.layer(0).output_dim(), 40u) << "5 × 8 hidden units side by side";
    const auto x = random_inputs(50, 4, 9);
    const auto predicted = merged.predict(x);
    for (std::size_t r = 0; r < x.rows(); ++r) {
        const auto mean = mean_logits(list, x, r);
        for (std::size_t o = 0; o < 2; ++o) EXPECT_NEAR(predicted(r, o), mean[o], 1e-5 * (1 + std::abs(mean[o]))) << r;
    }
}

TEST(AverageNetworks, AClassifierAveragesTheLogitsBeforeItsSoftmax) {
    const auto list = members(3, 5, {6}, 4, activations::softmax);
    auto merged = average_networks(list);
    const auto x = random_inputs(40, 5, 11);
    const auto probabilities = merged.predict(x);
    for (std::size_t r = 0; r < x.rows(); ++r) {
        const auto mean = mean_logits(list, x, r);
        const double top = *std::ranges::max_element(mean);
        double sum = 0;
        for (double z : mean) sum += std::exp(z - top);
        for (std::size_t o = 0; o < 4; ++o) EXPECT_NEAR(probabilities(r, o), std::exp(mean[o] - top) / sum, 1e-5) << r;
    }
}

TEST(AverageNetworks, DeeperNetworksStaySeparateThroughBlockDiagonalLayers) {
    const auto list = members(3, 3, {5, 4}, 1, activations::linear);
    auto merged = average_networks(list);
    EXPECT_EQ(merged.layer(1).output_dim(), 12u);
    const auto x = random_inputs(30, 3, 13);
    const auto predicted = merged.predict(x);
    for (std::size_t r = 0; r < x.rows(); ++r) {
        const double mean = mean_logits(list, x, r)[0];
        EXPECT_NEAR(predicted(r, 0), mean, 1e-5 * (1 + std::abs(mean))) << r;
    }
}

TEST(AverageNetworks, LinearModelsAverageIntoOneLinearModel) {
    const auto list = members(4, 3, {}, 1, activations::linear);
    auto merged = average_networks(list);
    ASSERT_EQ(merged.layer_count(), 1u);
    EXPECT_EQ(merged.parameter_count(), list.front().parameter_count());
    const auto x = random_inputs(20, 3, 15);
    const auto predicted = merged.predict(x);
    for (std::size_t r = 0; r < x.rows(); ++r) EXPECT_NEAR(predicted(r, 0), mean_logits(list, x, r)[0], 1e-5) << r;
    EXPECT_EQ(averaged_name("linear model", 4, merged), "linear model averaged over 4 seeds");
}

TEST(AverageNetworks, TheMergedNetworkIsCompiledFreshAndSaysWhatItIs) {
    auto list = members(2, 3, {4}, 1, activations::linear);
    const auto x = random_inputs(16, 3, 17);
    list[0].fit(x, random_inputs(16, 1, 18), {.epochs = 2, .verbose = 0});
    auto merged = average_networks(list);
    EXPECT_EQ(merged.name(), "average_of_2_networks");
    EXPECT_EQ(merged.optimizer().iterations(), 0) << "the members' optimizer slots belong to their own weights";
    EXPECT_EQ(averaged_name("4 relu", 2, merged), "2 × 4 relu averaged into one network of 8 units");
    EXPECT_EQ(average_networks({list[1]}).name(), "member") << "one network is itself";
}

TEST(AverageNetworks, RefusesNetworksThatCannotBeAveraged) {
    EXPECT_THROW(average_networks({}), UsageError);
    auto a = network(3, {4}, 1, activations::linear, 1);
    auto deeper = network(3, {4, 4}, 1, activations::linear, 2);
    EXPECT_THROW(average_networks({a, deeper}), UsageError);
    auto wider_input = network(4, {4}, 1, activations::linear, 3);
    EXPECT_THROW(average_networks({a, wider_input}), UsageError);
    Sequential mixing(SequentialOptions{"mixing", 4});
    mixing.add(Dense(4, "softmax", {.input_dim = 3}));
    mixing.add(Dense(1));
    EXPECT_THROW(average_networks({mixing, mixing}), UsageError) << "a hidden softmax mixes the units it would join";
}

}  // namespace
}  // namespace dense::tune
