// Hyperparameters: the models they describe and how they are written.
#include "dense/tune/hyperparameters.hpp"

#include <gtest/gtest.h>

namespace dense::tune {
namespace {

Objective regression(std::size_t outputs) {
    Objective objective;
    objective.outputs = outputs;
    return objective;
}

TEST(Hyperparameters, CountsParametersAsKerasSummaryDoes) {
    // 784 → 128 → 64 → 10: (784+1)·128 + (128+1)·64 + (64+1)·10 = 100480 + 8256 + 650.
    const Hyperparameters h{.hidden_units = {128, 64}};
    EXPECT_EQ(parameter_count(h, 784, 10), 109386u);
    EXPECT_EQ(parameter_count(Hyperparameters{}, 1, 1), 2u);  // the articles' single neuron: w and b
}

TEST(Hyperparameters, BuildsTheModelTheyDescribe) {
    const Hyperparameters h{.hidden_units = {8, 4}, .activation = "tanh", .dropout = 0.2};
    auto model = make_model(h, 3, regression(2), 1);
    // Dense(8), Dropout, Dense(4), Dropout, Dense(2)
    ASSERT_EQ(model.layer_count(), 5u);
    EXPECT_EQ(model.layer(1).type(), "Dropout");
    EXPECT_EQ(model.parameter_count(), parameter_count(h, 3, 2));
    EXPECT_TRUE(model.compiled());
    EXPECT_EQ(model.optimizer().name(), "adam");
}

TEST(Hyperparameters, NoHiddenLayerIsOneDenseLayer) {
    auto model = make_model(Hyperparameters{}, 1, regression(1), 1);
    ASSERT_EQ(model.layer_count(), 1u);
    EXPECT_EQ(model.parameter_count(), 2u);
}

TEST(Hyperparameters, DescribesArchitectureAndTraining) {
    const Hyperparameters h{.hidden_units = {64, 32}, .optimizer = "sgd", .learning_rate = 0.0031, .batch_size = 16,
                            .l2 = 1e-5};
    EXPECT_EQ(describe_architecture(h), "64 relu → 32 relu");
    EXPECT_EQ(describe_architecture(Hyperparameters{}), "no hidden layer");
    EXPECT_EQ(describe_training(h), "sgd lr 0.0031, batch 16, l2 1e-05");
}

}  // namespace
}  // namespace dense::tune
