// Frozen layers (Keras' layer.trainable = False): fit leaves their weights as they are, keeps no
// optimizer state for them and leaves their regularizers out of the loss, while the gradient
// still flows through them to the layers before.
#include <string>
#include <vector>

#include "test_support.hpp"

namespace dense {
namespace {

using testing::central_differences;
using testing::expect_gradients_match;
using testing::uniform_matrix;

// dense (3→4, tanh) → dense_1 (4→5, relu, frozen) → dense_2 (5→2): the frozen layer in the middle,
// with a ReLU below a Dense so that fit's gated backward path runs through it.
template <class T>
BasicSequential<T> with_frozen_middle() {
    BasicSequential<T> model({BasicDense<T>(4, activations::tanh, {.input_dim = 3, .kernel_regularizer = regularizers::l2(0.01)}),
                              BasicDense<T>(5, activations::relu, {.bias_initializer = initializers::random_uniform(-0.3, 0.3),
                                                                   .kernel_regularizer = regularizers::l1_l2(0.02, 0.03)}),
                              BasicDense<T>(2)},
                             {.seed = 11});
    model.layer(1).set_trainable(false);
    return model;
}

TEST(FrozenLayers, AreTrainableUntilFrozenAndCopiesKeepTheFlag) {
    Sequential model({Dense(2, {.input_dim = 3}), Dropout(0.5), Dense(1)});
    for (std::size_t i = 0; i < model.layer_count(); ++i) EXPECT_TRUE(model.layer(i).trainable());
    model.layer(2).set_trainable(false);
    const Sequential copy = model;
    EXPECT_FALSE(copy.layer(2).trainable());
    EXPECT_TRUE(copy.layer(0).trainable());
}

TEST(FrozenLayers, FitLeavesTheFrozenWeightsBitIdenticalAndMovesTheOthers) {
    auto model = with_frozen_middle<float>();
    model.compile(Adam(0.05), "mse");
    model.build(3);
    const auto before = model.get_weights();
    const auto x = uniform_matrix<float>(40, 3, -1, 1, 3), y = uniform_matrix<float>(40, 2, -1, 1, 4);
    model.fit(x, y, {.epochs = 5, .batch_size = 8, .verbose = 0});
    const auto after = model.get_weights();
    ASSERT_EQ(after.size(), 6u);
    EXPECT_EQ(after[2], before[2]);  // dense_1's kernel
    EXPECT_EQ(after[3], before[3]);  // dense_1's bias
    for (const std::size_t trained : {0u, 1u, 4u, 5u}) EXPECT_NE(after[trained], before[trained]) << "weight " << trained;
    // Adam keeps m and v for the trainable weights only: (3·4 + 4) + (5·2 + 2) values, twice.
    std::size_t slot_values = 0;
    for (const auto& slot : model.optimizer().slots()) slot_values += slot.size();
    EXPECT_EQ(slot_values, 2u * (16 + 12));
}

// The gradient fit applies to every weight of `model` but those of layer `frozen` (read from an
// SGD(1) step, w₁ = w₀ − g) against finite differences of the loss train_on_batch reports; the
// frozen layer's weights stay bit-identical.
void expect_gradients_around_frozen_layer(f64::Sequential model, std::size_t frozen) {
    for (std::size_t i = 0; i < model.layer_count(); ++i) model.layer(i).set_trainable(i != frozen);
    model.build(3);
    const auto x = uniform_matrix(6, 3, -1.5, 1.5, 21), y = uniform_matrix(6, 2, -1, 1, 22);
    const auto initial = model.get_weights();
    f64::Sequential stepper = model;
    stepper.compile(f64::SGD(1.0), "mse");
    stepper.train_on_batch(x, y);
    const auto stepped = stepper.get_weights();

    f64::Sequential probe = model;
    probe.compile(f64::SGD(0.0), "mse");
    for (std::size_t w = 0; w < initial.size(); ++w) {
        if (w / 2 == frozen) {  // two weights (kernel, bias) per layer
            EXPECT_EQ(stepped[w], initial[w]) << "weight " << w;
            continue;
        }
        std::vector<double> values = initial[w].values;
        auto reported_loss = [&] {
            auto weights = initial;
            weights[w].values = values;
            probe.set_weights(weights);
            return probe.train_on_batch(x, y);
        };
        std::vector<double> applied(values.size());
        for (std::size_t i = 0; i < values.size(); ++i) applied[i] = initial[w].values[i] - stepped[w].values[i];
        expect_gradients_match(applied, central_differences(values, reported_loss), ("weight " + std::to_string(w)).c_str());
    }
}

TEST(FrozenLayers, GradientFlowsThroughAFrozenLayerAsFiniteDifferencesSay) {
    expect_gradients_around_frozen_layer(with_frozen_middle<double>(), 1);
}

// A frozen first layer (the backward pass then stops above it) or a frozen output layer.
TEST(FrozenLayers, FrozenFirstOrLastLayerLeavesTheOthersTheirGradient) {
    for (const std::size_t frozen : {0u, 2u}) expect_gradients_around_frozen_layer(with_frozen_middle<double>(), frozen);
}

// Keras sums the regularization losses of trainable weights only: a frozen layer's L1/L2 penalty
// is in neither the training loss nor evaluate's.
TEST(FrozenLayers, RegularizersOfFrozenLayersLeaveTheLoss) {
    auto frozen = with_frozen_middle<double>();
    frozen.build(3);
    f64::Sequential unregularized({f64::Dense(4, activations::tanh, {.input_dim = 3, .kernel_regularizer = regularizers::l2(0.01)}),
                                   f64::Dense(5, activations::relu), f64::Dense(2)});
    unregularized.build(3);
    unregularized.set_weights(frozen.get_weights());
    frozen.compile(f64::SGD(0.0), "mse");
    unregularized.compile(f64::SGD(0.0), "mse");
    const auto x = uniform_matrix(6, 3, -1.5, 1.5, 23), y = uniform_matrix(6, 2, -1, 1, 24);
    EXPECT_DOUBLE_EQ(frozen.evaluate(x, y).at("loss"), unregularized.evaluate(x, y).at("loss"));
    EXPECT_DOUBLE_EQ(frozen.train_on_batch(x, y), unregularized.train_on_batch(x, y));
}

TEST(FrozenLayers, SummaryCountsTrainableAndNonTrainableParamsAsKeras) {
    auto model = with_frozen_middle<float>();
    model.build(3);
    const std::string text = model.summary();
    // dense: 3·4 + 4 = 16, dense_1 (frozen): 4·5 + 5 = 25, dense_2: 5·2 + 2 = 12; 4 bytes each.
    EXPECT_NE(text.find(" Total params: 53 (212.00 B)\n"), std::string::npos) << text;
    EXPECT_NE(text.find(" Trainable params: 28 (112.00 B)\n"), std::string::npos) << text;
    EXPECT_NE(text.find(" Non-trainable params: 25 (100.00 B)\n"), std::string::npos) << text;
}

// Freezing or unfreezing between fits changes which weights the optimizer updates; its state,
// kept per trainable weight, starts afresh (Keras asks for compile() again).
TEST(FrozenLayers, UnfreezingBetweenFitsTrainsTheLayerWithAFreshOptimizer) {
    auto model = with_frozen_middle<float>();
    model.compile(Adam(0.05), "mse");
    const auto x = uniform_matrix<float>(16, 3, -1, 1, 5), y = uniform_matrix<float>(16, 2, -1, 1, 6);
    model.fit(x, y, {.epochs = 2, .batch_size = 8, .verbose = 0});
    EXPECT_EQ(model.optimizer().iterations(), 4);
    const auto frozen_kernel = model.get_weights()[2];
    model.layer(1).set_trainable(true);
    model.fit(x, y, {.epochs = 1, .batch_size = 8, .verbose = 0});
    EXPECT_EQ(model.optimizer().iterations(), 2);
    EXPECT_NE(model.get_weights()[2], frozen_kernel);
    std::size_t slot_values = 0;
    for (const auto& slot : model.optimizer().slots()) slot_values += slot.size();
    EXPECT_EQ(slot_values, 2u * 53);
}

}  // namespace
}  // namespace dense
