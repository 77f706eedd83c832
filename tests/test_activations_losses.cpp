// The values (not only the derivatives) of every activation and loss: Keras' definitions
// written out here, and the worked examples printed in Keras' loss docstrings.
#include <cmath>
#include <functional>
#include <limits>

#include "test_support.hpp"

namespace dense {
namespace {

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

struct Definition {
    ActivationKind kind;
    std::function<double(double)> f;
};

// keras/src/activations/activations.py
const Definition kDefinitions[] = {
    {ActivationKind::linear, [](double x) { return x; }},
    {ActivationKind::relu, [](double x) { return std::max(x, 0.0); }},
    {ActivationKind::leaky_relu, [](double x) { return x > 0 ? x : 0.2 * x; }},  // negative_slope 0.2
    {ActivationKind::elu, [](double x) { return x > 0 ? x : std::exp(x) - 1; }},
    {ActivationKind::selu,
     [](double x) { return 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (std::exp(x) - 1)); }},
    {ActivationKind::gelu, [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }},  // exact
    {ActivationKind::sigmoid, sigmoid},
    {ActivationKind::hard_sigmoid, [](double x) { return std::clamp(x + 3, 0.0, 6.0) / 6; }},  // relu6(x + 3) / 6
    {ActivationKind::tanh, [](double x) { return std::tanh(x); }},
    {ActivationKind::softplus, [](double x) { return std::log(1 + std::exp(x)); }},
    {ActivationKind::softsign, [](double x) { return x / (1 + std::abs(x)); }},
    {ActivationKind::swish, [](double x) { return x * sigmoid(x); }},
    {ActivationKind::exponential, [](double x) { return std::exp(x); }},
    {ActivationKind::relu6, [](double x) { return std::min(std::max(x, 0.0), 6.0); }},
    {ActivationKind::mish, [](double x) { return x * std::tanh(std::log(1 + std::exp(x))); }},
    {ActivationKind::hard_silu, [](double x) { return x * std::clamp(x + 3, 0.0, 6.0) / 6; }},  // x·relu6(x + 3)/6
};

TEST(Activations, ValuesMatchKerasDefinitions) {
    const Matrix<double> z{{-4.0, -1.5, -0.3, 0.0, 0.7, 2.0, 3.5}};
    for (const auto& [kind, f] : kDefinitions) {
        Matrix<double> a;
        Activation(kind).apply(z, a);
        for (std::size_t c = 0; c < z.cols(); ++c)
            EXPECT_NEAR(a(0, c), f(z(0, c)), 1e-14 * std::max(1.0, std::abs(f(z(0, c)))))
                << Activation(kind).name() << "(" << z(0, c) << ")";
    }
}

TEST(Activations, LogSoftmaxIsTheLogOfSoftmaxAndStableForLargeInputs) {
    const Matrix<double> z{{1.0, 2.0, 3.0}, {1000.0, 1001.0, 1002.0}};
    Matrix<double> a;
    activations::log_softmax.apply(z, a);
    const double log_sum = std::log(std::exp(-2.0) + std::exp(-1.0) + 1.0);  // log Σ e^(z − 3) of row 0, by hand
    for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(a(r, c), double(c) - 2.0 - log_sum, 1e-12);
}

TEST(Activations, SoftmaxNormalisesEachRowAndIsStableForLargeInputs) {
    const Matrix<double> z{{1.0, 2.0, 3.0}, {1000.0, 1001.0, 1002.0}, {-5.0, 0.0, 5.0}};
    Matrix<double> a;
    activations::softmax.apply(z, a);
    for (std::size_t r = 0; r < 3; ++r) {
        double sum = 0;
        for (std::size_t c = 0; c < 3; ++c) sum += std::exp(z(r, c) - z(r, 2));
        for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(a(r, c), std::exp(z(r, c) - z(r, 2)) / sum, 1e-15);
    }
    EXPECT_NEAR(a(1, 0), a(0, 0), 1e-15);  // shifting a row does not change its softmax
}

// Keras' ReLU(max_value, negative_slope, threshold): its docstring example, then every piece of
// f(x) = min(x, max_value) above the threshold, negative_slope·(x − threshold) at or below it.
TEST(Activations, ReluWithOptionsMatchesKerasExampleAndHandComputedValues) {
    Matrix<double> a;
    Activation(ReluOptions{.max_value = 10, .negative_slope = 0.5}).apply(Matrix<double>{{-10, -5, 0, 5, 10}}, a);
    EXPECT_EQ(a, (Matrix<double>{{-5, -2.5, 0, 5, 10}}));
    const Activation relu(ReluOptions{.max_value = 1.5, .negative_slope = 0.2, .threshold = 0.3});
    relu.apply(Matrix<double>{{-1.0, 0.3, 0.5, 1.5, 2.0}}, a);
    const double want[] = {0.2 * (-1.0 - 0.3), 0.0, 0.5, 1.5, 1.5};
    for (std::size_t c = 0; c < 5; ++c) EXPECT_NEAR(a(0, c), want[c], 1e-15) << c;
    Activation(ReluOptions{.threshold = 1.5}).apply(Matrix<double>{{-3, -1, 1, 2}}, a);  // Keras 2's docstring
    EXPECT_EQ(a, (Matrix<double>{{0, 0, 0, 2}}));
    EXPECT_EQ(relu.kind(), ActivationKind::relu_general);
    EXPECT_DOUBLE_EQ(relu.relu_options().threshold, 0.3);
    EXPECT_EQ(relu, Activation(ReluOptions{.max_value = 1.5, .negative_slope = 0.2, .threshold = 0.3}));
    EXPECT_NE(relu, Activation(ReluOptions{.max_value = 1.5, .negative_slope = 0.2, .threshold = 0.4}));
}

TEST(Activations, ReluOptionsBelowZeroAreRefusedAsKerasDoes) {
    EXPECT_THROW(Activation(ReluOptions{.max_value = -1}), UsageError);
    EXPECT_THROW(Activation(ReluOptions{.negative_slope = -0.1}), UsageError);
    EXPECT_THROW(Activation(ReluOptions{.threshold = std::nan("")}), UsageError);
}

TEST(Activations, NamesAndAliasesAsInKeras) {
    EXPECT_EQ(Activation("silu").kind(), ActivationKind::swish);
    EXPECT_EQ(Activation("").kind(), ActivationKind::linear);
    EXPECT_EQ(Activation().kind(), ActivationKind::linear);
    EXPECT_DOUBLE_EQ(Activation("leaky_relu").alpha(), 0.2);
    EXPECT_DOUBLE_EQ(Activation("elu").alpha(), 1.0);
    for (const auto& [kind, f] : kDefinitions) EXPECT_EQ(Activation(Activation(kind).name()).kind(), kind);
}

// ---- losses: Keras' docstring examples (keras/src/losses/losses.py) ----

TEST(Losses, MeanSquaredErrorMatchesKerasExample) {
    const Matrix<double> y_true{{0, 1}, {0, 0}}, y_pred{{1, 1}, {1, 0}};
    EXPECT_NEAR(Loss("mean_squared_error").value(y_true, y_pred), 0.5, 1e-15);
    EXPECT_NEAR(Loss("mse").value(y_true, y_pred), 0.5, 1e-15);
}

TEST(Losses, MeanAbsoluteErrorMatchesKerasExample) {
    const Matrix<double> y_true{{0, 1}, {0, 0}}, y_pred{{1, 1}, {1, 0}};
    EXPECT_NEAR(Loss("mae").value(y_true, y_pred), 0.5, 1e-15);
}

TEST(Losses, HuberMatchesKerasExampleAndItsLinearBranch) {
    const Matrix<double> y_true{{0, 1}, {0, 0}}, y_pred{{0.6, 0.4}, {0.4, 0.6}};
    EXPECT_NEAR(Loss("huber").value(y_true, y_pred), 0.155, 1e-12);
    // |e| = 3 > δ = 1: δ·(|e| − δ/2) = 2.5; |e| = 0.5: ½e² = 0.125.
    EXPECT_NEAR(losses::huber().value(Matrix<double>{{0, 0}}, Matrix<double>{{3, -0.5}}), (2.5 + 0.125) / 2, 1e-15);
    EXPECT_NEAR(losses::huber(2.0).value(Matrix<double>{{0}}, Matrix<double>{{3}}), 2.0 * (3 - 1), 1e-15);
}

TEST(Losses, BinaryCrossentropyMatchesKerasExamples) {
    const Matrix<double> y_true{{0, 1}, {0, 0}}, y_pred{{0.6, 0.4}, {0.4, 0.6}};
    EXPECT_NEAR(Loss("binary_crossentropy").value(y_true, y_pred), 0.815, 5e-4);
    const Matrix<double> labels{{0}, {1}, {0}, {0}}, logits{{-18.6}, {0.51}, {2.94}, {-12.8}};
    EXPECT_NEAR(losses::binary_crossentropy(true).value(labels, logits), 0.865, 2e-3);
}

TEST(Losses, BinaryCrossentropyClipsProbabilitiesToEpsilon) {
    // −log(1e-7) for a certain wrong prediction, as Keras' clip to [ε, 1 − ε] with ε = 1e-7.
    EXPECT_NEAR(Loss("binary_crossentropy").value(Matrix<double>{{1}}, Matrix<double>{{0}}), -std::log(1e-7), 1e-9);
    EXPECT_NEAR(Loss("binary_crossentropy").value(Matrix<double>{{0}}, Matrix<double>{{1}}), -std::log(1e-7), 1e-6);
}

TEST(Losses, CategoricalCrossentropiesMatchKerasExamples) {
    const Matrix<double> one_hot{{0, 1, 0}, {0, 0, 1}}, y_pred{{0.05, 0.95, 0}, {0.1, 0.8, 0.1}};
    EXPECT_NEAR(Loss("categorical_crossentropy").value(one_hot, y_pred), 1.177, 5e-4);
    EXPECT_NEAR(Loss("sparse_categorical_crossentropy").value(Matrix<double>{{1}, {2}}, y_pred), 1.177, 5e-4);
}

TEST(Losses, FromLogitsEqualsTheLossOfTheSoftmaxOrSigmoid) {
    const Matrix<double> logits{{0.3, -1.2, 2.0}, {1.5, 0.1, -0.4}};
    Matrix<double> probabilities, sigmoids;
    activations::softmax.apply(logits, probabilities);
    activations::sigmoid.apply(logits, sigmoids);
    const Matrix<double> one_hot{{0, 0, 1}, {1, 0, 0}}, labels{{2}, {0}};
    EXPECT_NEAR(losses::categorical_crossentropy(true).value(one_hot, logits),
                losses::categorical_crossentropy().value(one_hot, probabilities), 1e-12);
    EXPECT_NEAR(losses::sparse_categorical_crossentropy(true).value(labels, logits),
                losses::sparse_categorical_crossentropy().value(labels, probabilities), 1e-12);
    const Matrix<double> binary{{0, 1, 1}, {1, 0, 0}};
    EXPECT_NEAR(losses::binary_crossentropy(true).value(binary, logits),
                losses::binary_crossentropy().value(binary, sigmoids), 1e-12);
    // Logits far beyond float range still give finite values.
    const double big = losses::binary_crossentropy(true).value(Matrix<double>{{1}}, Matrix<double>{{-800}});
    EXPECT_NEAR(big, 800, 1e-9);
}

// The one-pass softmax + cross-entropy of training against softmax, value and gradient taken
// apart, in float with logits 100 apart (where e^(z − max) is far below float's normal range).
TEST(Losses, SoftmaxValueAndGradientEqualsTheSeparateComputations) {
    const Matrix<float> logits{{0.3f, -1.2f, 2.0f, -100.0f}, {1.5f, 0.1f, -0.4f, 7.0f}, {-3.0f, 4.0f, 0.0f, 0.5f}};
    const Matrix<float> labels{{2}, {0}, {3}};
    const Matrix<float> soft{{0.1f, 0.2f, 0.7f, 0.0f}, {1, 0, 0, 0}, {0.25f, 0.25f, 0.25f, 0.25f}};
    Matrix<float> softmax;
    activations::softmax.apply(logits, softmax);
    for (const auto& [loss, targets] : {std::pair{losses::sparse_categorical_crossentropy(), labels},
                                        std::pair{losses::categorical_crossentropy(), soft}}) {
        const Loss from_logits(loss.kind(), true);
        Matrix<float> probabilities, gradient, expected_gradient;
        const double value = loss.softmax_value_and_gradient(targets, logits, probabilities, gradient);
        from_logits.gradient(targets, logits, expected_gradient);
        EXPECT_NEAR(value, from_logits.value(targets, logits), 1e-5 * from_logits.value(targets, logits)) << loss.name();
        for (std::size_t i = 0; i < logits.size(); ++i) {
            EXPECT_NEAR(probabilities.data()[i], softmax.data()[i], 1e-6f) << loss.name() << " p[" << i << "]";
            EXPECT_NEAR(gradient.data()[i], expected_gradient.data()[i], 1e-6f) << loss.name() << " g[" << i << "]";
        }
    }
    Matrix<float> p, g;
    EXPECT_THROW(losses::sparse_categorical_crossentropy().softmax_value_and_gradient(Matrix<float>{{0}, {4}, {1}},
                                                                                      logits, p, g),
                 DataError);
    EXPECT_THROW(losses::mean_squared_error().softmax_value_and_gradient(soft, logits, p, g), UsageError);
}

// Training's one pass gives exactly the numbers of value() and gradient() apart; per-sample mse
// (0.25 + 1)/2 and (4 + 0)/2 average to 1.3125.
TEST(Losses, ValueAndGradientEqualsTheSeparateComputations) {
    const Matrix<float> targets{{0.0f, 1.0f}, {2.0f, 2.0f}};
    const Matrix<float> predictions{{0.5f, 2.0f}, {4.0f, 2.0f}};
    for (const Loss& loss : {Loss("mse"), Loss("mae"), Loss("huber")}) {
        Matrix<float> gradient, expected_gradient;
        const double value = loss.value_and_gradient(targets, predictions, gradient);
        loss.gradient(targets, predictions, expected_gradient);
        EXPECT_EQ(value, loss.value(targets, predictions)) << loss.name();
        EXPECT_EQ(gradient, expected_gradient) << loss.name();
    }
    Matrix<float> gradient;
    EXPECT_DOUBLE_EQ(Loss("mse").value_and_gradient(targets, predictions, gradient), 1.3125);
    EXPECT_FLOAT_EQ(gradient(1, 0), 2 * 2.0f / 4);  // 2e / (outputs · batch)
    EXPECT_THROW(Loss("mse").value_and_gradient(Matrix<float>{{1.0f}}, predictions, gradient), DataError);
}

TEST(Losses, SumOverBatchSizeAveragesPerSampleLosses) {
    // Per-sample mse 1 and 9 → 5, whatever the batch holds.
    EXPECT_NEAR(Loss("mse").value(Matrix<double>{{0}, {0}}, Matrix<double>{{1}, {3}}), 5.0, 1e-15);
    Matrix<double> gradient;
    Loss("mse").gradient(Matrix<double>{{0}, {0}}, Matrix<double>{{1}, {3}}, gradient);
    EXPECT_NEAR(gradient(0, 0), 2 * 1 / 2.0, 1e-15);  // 2e / batch
    EXPECT_NEAR(gradient(1, 0), 2 * 3 / 2.0, 1e-15);
}

TEST(Losses, NamesAsInKeras) {
    EXPECT_EQ(Loss("mse").kind(), LossKind::mean_squared_error);
    EXPECT_EQ(Loss("mae").kind(), LossKind::mean_absolute_error);
    EXPECT_EQ(Loss("mse").name(), "mean_squared_error");
    EXPECT_EQ(Loss("sparse_categorical_crossentropy").name(), "sparse_categorical_crossentropy");
}

}  // namespace
}  // namespace dense
