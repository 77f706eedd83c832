// Gradient checks in float64: every layer, activation, loss and regularizer, alone and combined
// in a model, against central finite differences of the value the library computes.
#include <cmath>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace dense {
namespace {

using testing::central_differences;
using testing::expect_gradients_match;
using testing::uniform_matrix;

constexpr ActivationKind kAllActivations[] = {
    ActivationKind::linear,   ActivationKind::relu,     ActivationKind::leaky_relu,   ActivationKind::elu,
    ActivationKind::selu,     ActivationKind::gelu,     ActivationKind::sigmoid,      ActivationKind::hard_sigmoid,
    ActivationKind::tanh,     ActivationKind::softmax,  ActivationKind::softplus,     ActivationKind::softsign,
    ActivationKind::swish,    ActivationKind::exponential, ActivationKind::relu6,    ActivationKind::mish,
    ActivationKind::hard_silu, ActivationKind::log_softmax};

// Values in ±[0.1, 1.5]: away from the kinks of relu-like activations at 0 and of
// hard_sigmoid at ±3.
Matrix<double> inputs_away_from_kinks(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    Rng rng(seed);
    Matrix<double> m(rows, cols);
    for (auto& v : m.values()) v = (rng.uniform() < 0.5 ? -1.0 : 1.0) * rng.uniform(0.1, 1.5);
    return m;
}

// For L = Σ c ⊙ layer(x) with fixed random c (so dL/dy = c): compares the layer's dL/dx and
// the gradients of its parameters with finite differences. `rng_seed` fixes Dropout's mask.
void check_layer(Layer<double>& layer, Matrix<double> x, bool training, const std::string& what,
                 std::uint64_t rng_seed = 5) {
    const Matrix<double> c = uniform_matrix(x.rows(), layer.output_dim(), -1.0, 1.0, 99);
    auto objective = [&] {
        Rng rng(rng_seed);
        const Matrix<double>& y = layer.forward(x, training, rng);
        double sum = 0;
        for (std::size_t i = 0; i < y.size(); ++i) sum += c.data()[i] * y.data()[i];
        return sum;
    };
    objective();
    const Matrix<double>& dx = layer.backward(c, true);
    const std::vector<double> analytic_dx(dx.values().begin(), dx.values().end());
    std::vector<std::vector<double>> analytic_params;
    for (const auto& p : layer.parameters()) analytic_params.emplace_back(p.gradient.begin(), p.gradient.end());

    expect_gradients_match(analytic_dx, central_differences(x.values(), objective), (what + " dL/dx").c_str());
    auto params = layer.parameters();
    for (std::size_t k = 0; k < params.size(); ++k)
        expect_gradients_match(analytic_params[k], central_differences(params[k].value, objective),
                               (what + " dL/d" + params[k].name).c_str());
}

TEST(GradientCheck, ActivationLayerMatchesFiniteDifferencesForEveryActivation) {
    for (ActivationKind kind : kAllActivations) {
        f64::ActivationLayer layer{Activation(kind)};
        Rng rng(1);
        layer.build(4, rng);
        check_layer(layer, inputs_away_from_kinks(3, 4, 11), true, "Activation(" + std::string(Activation(kind).name()) + ")");
    }
}

TEST(GradientCheck, ActivationsWithNonDefaultAlphaMatchFiniteDifferences) {
    for (Activation activation : {Activation(ActivationKind::leaky_relu, 0.05), Activation(ActivationKind::elu, 0.7)}) {
        f64::ActivationLayer layer{activation};
        Rng rng(1);
        layer.build(4, rng);
        check_layer(layer, inputs_away_from_kinks(3, 4, 12), true, std::string(activation.name()) + " alpha");
    }
}

// Keras' ReLU with every option, on inputs away from its kinks at the threshold and max_value.
TEST(GradientCheck, ReluWithOptionsMatchesFiniteDifferences) {
    f64::ActivationLayer layer{Activation(ReluOptions{.max_value = 1.0, .negative_slope = 0.3, .threshold = 0.25})};
    Rng rng(1);
    layer.build(4, rng);
    check_layer(layer, Matrix<double>{{-1.2, -0.4, 0.1, 0.5}, {0.7, 1.4, 2.5, -0.05}}, true, "relu_general");
}

// The Dense kernel, bias and input gradients, for every activation, with and without a bias.
TEST(GradientCheck, DenseLayerMatchesFiniteDifferencesForEveryActivation) {
    for (bool use_bias : {true, false}) {
        for (ActivationKind kind : kAllActivations) {
            const std::string what = std::string("Dense(") + std::string(Activation(kind).name()) +
                                     (use_bias ? ", bias)" : ", no bias)");
            f64::Dense layer(3, Activation(kind),
                             {.use_bias = use_bias, .bias_initializer = initializers::random_uniform(-0.5, 0.5)});
            Rng rng(3);
            layer.build(4, rng);
            Matrix<double> x = uniform_matrix(5, 4, -1.0, 1.0, 21);
            Rng unused(0);
            layer.forward(x, true, unused);
            double closest_to_kink = 1e9;  // relu-like activations are not differentiable at z = 0
            for (std::size_t r = 0; r < x.rows(); ++r)
                for (std::size_t u = 0; u < 3; ++u) {
                    double z = use_bias ? layer.bias()[u] : 0.0;  // z = Σ x·w + b, by hand
                    for (std::size_t i = 0; i < 4; ++i) z += x(r, i) * layer.kernel()(i, u);
                    closest_to_kink = std::min(closest_to_kink, std::abs(z));
                }
            ASSERT_GT(closest_to_kink, 1e-3) << what << ": pick other inputs, z lies on a kink";
            check_layer(layer, x, true, what);
        }
    }
}

TEST(GradientCheck, DropoutInInferencePassesGradientsThrough) {
    f64::Dropout layer(0.5);
    Rng rng(1);
    layer.build(6, rng);
    check_layer(layer, uniform_matrix(4, 6, -1.0, 1.0, 31), false, "Dropout inference");
}

TEST(GradientCheck, DropoutWithFixedMaskMatchesFiniteDifferences) {
    f64::Dropout layer(0.4);
    Rng rng(1);
    layer.build(6, rng);
    Matrix<double> x = uniform_matrix(4, 6, 0.5, 1.0, 31);
    Rng mask_rng(5);
    const Matrix<double> y = layer.forward(x, true, mask_rng);
    std::size_t dropped = 0, kept = 0;  // the mask must really drop and scale, or the check proves little
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (y.data()[i] == 0.0) ++dropped;
        else if (std::abs(y.data()[i] - x.data()[i] / 0.6) < 1e-12) ++kept;
    }
    ASSERT_GT(dropped, 0u);
    ASSERT_EQ(dropped + kept, y.size()) << "kept values are scaled by 1 / (1 - rate)";
    check_layer(layer, x, true, "Dropout training", 5);
}

// Loss::gradient against finite differences of Loss::value, over the predictions.
void check_loss(const Loss& loss, const Matrix<double>& y_true, Matrix<double> y_pred, const std::string& what) {
    Matrix<double> gradient;
    loss.gradient(y_true, y_pred, gradient);
    const std::vector<double> analytic(gradient.values().begin(), gradient.values().end());
    expect_gradients_match(analytic, central_differences(y_pred.values(), [&] { return loss.value(y_true, y_pred); }),
                           what.c_str());
}

// Targets at a distance from the predictions of ±[0.2, 0.7] or ±[1.4, 2.5]: both branches of
// huber (δ = 1), and never on the kink of mae at zero error.
Matrix<double> targets_off_by_both_branches(const Matrix<double>& y_pred, std::uint64_t seed) {
    Rng rng(seed);
    Matrix<double> y = y_pred;
    std::size_t i = 0;
    for (auto& v : y.values()) {
        const double sign = rng.uniform() < 0.5 ? -1.0 : 1.0;
        v += sign * (i++ % 2 ? rng.uniform(0.2, 0.7) : rng.uniform(1.4, 2.5));
    }
    return y;
}

Matrix<double> one_hot(const Matrix<double>& labels, std::size_t classes) {
    Matrix<double> m(labels.rows(), classes);
    for (std::size_t r = 0; r < labels.rows(); ++r) m(r, std::size_t(labels(r, 0))) = 1.0;
    return m;
}

Matrix<double> class_labels(std::size_t rows, std::size_t classes, std::uint64_t seed) {
    Rng rng(seed);
    Matrix<double> m(rows, 1);
    for (auto& v : m.values()) v = double(rng.below(classes));
    return m;
}

TEST(GradientCheck, RegressionLossesMatchFiniteDifferences) {
    const Matrix<double> y_pred = uniform_matrix(6, 3, -2.0, 2.0, 41);
    const Matrix<double> y_true = targets_off_by_both_branches(y_pred, 42);
    check_loss(losses::mean_squared_error(), y_true, y_pred, "mse");
    check_loss(losses::mean_absolute_error(), y_true, y_pred, "mae");
    check_loss(losses::huber(), y_true, y_pred, "huber");
    check_loss(losses::huber(1.9), y_true, y_pred, "huber(delta 1.9)");
}

TEST(GradientCheck, BinaryCrossentropyMatchesFiniteDifferencesWithAndWithoutLogits) {
    Matrix<double> y_true = uniform_matrix(6, 2, 0.0, 1.0, 51);
    for (auto& v : y_true.values()) v = v < 0.4 ? 0.0 : v < 0.8 ? 1.0 : 0.3;  // hard and soft labels
    check_loss(losses::binary_crossentropy(), y_true, uniform_matrix(6, 2, 0.05, 0.95, 52), "binary_crossentropy");
    check_loss(losses::binary_crossentropy(true), y_true, uniform_matrix(6, 2, -4.0, 4.0, 53),
               "binary_crossentropy(from_logits)");
}

TEST(GradientCheck, CategoricalCrossentropiesMatchFiniteDifferencesWithAndWithoutLogits) {
    const Matrix<double> labels = class_labels(5, 4, 61);
    Matrix<double> soft = uniform_matrix(5, 4, 0.0, 1.0, 62);  // soft labels summing to 1
    for (std::size_t r = 0; r < soft.rows(); ++r) {
        double sum = 0;
        for (double v : soft.row(r)) sum += v;
        for (double& v : soft.row(r)) v /= sum;
    }
    // Unnormalised positive scores: Keras divides them by their row sum before the log.
    const Matrix<double> scores = uniform_matrix(5, 4, 0.1, 1.0, 63);
    const Matrix<double> logits = uniform_matrix(5, 4, -3.0, 3.0, 64);
    check_loss(losses::categorical_crossentropy(), one_hot(labels, 4), scores, "categorical_crossentropy one-hot");
    check_loss(losses::categorical_crossentropy(), soft, scores, "categorical_crossentropy soft");
    check_loss(losses::categorical_crossentropy(true), one_hot(labels, 4), logits, "categorical_crossentropy(logits)");
    check_loss(losses::categorical_crossentropy(true), soft, logits, "categorical_crossentropy(logits) soft");
    check_loss(losses::sparse_categorical_crossentropy(), labels, scores, "sparse_categorical_crossentropy");
    check_loss(losses::sparse_categorical_crossentropy(true), labels, logits,
               "sparse_categorical_crossentropy(logits)");
}

// The whole model: the gradient train_on_batch applies (read from an SGD(1) step, w₁ = w₀ − g)
// against finite differences of the loss train_on_batch reports (with SGD(0), which leaves the
// weights as they are). This covers the fused softmax/sigmoid + cross-entropy path of fit, and
// the regularization penalty added to the loss.
std::vector<double> flatten(const std::vector<Tensor<double>>& weights) {
    std::vector<double> flat;
    for (const auto& w : weights) flat.insert(flat.end(), w.values.begin(), w.values.end());
    return flat;
}

std::vector<Tensor<double>> unflatten(std::span<const double> flat, std::vector<Tensor<double>> shapes) {
    std::size_t next = 0;
    for (auto& w : shapes)
        for (auto& v : w.values) v = flat[next++];
    return shapes;
}

void check_model(f64::Sequential model, const Loss& loss, const Matrix<double>& x, const Matrix<double>& y,
                 const std::string& what) {
    model.build(x.cols());
    const auto initial = model.get_weights();
    f64::Sequential stepper = model;
    stepper.compile(f64::SGD(1.0), loss);
    stepper.train_on_batch(x, y);
    const std::vector<double> before = flatten(initial), after = flatten(stepper.get_weights());
    std::vector<double> analytic(before.size());
    for (std::size_t i = 0; i < before.size(); ++i) analytic[i] = before[i] - after[i];

    f64::Sequential probe = model;
    probe.compile(f64::SGD(0.0), loss);
    std::vector<double> flat = before;
    auto reported_loss = [&] {
        probe.set_weights(unflatten(flat, initial));
        return probe.train_on_batch(x, y);
    };
    expect_gradients_match(analytic, central_differences(flat, reported_loss), what.c_str());
}

f64::Sequential two_layers(Activation hidden, f64::Dense output) {
    f64::Sequential model;
    model.add(f64::Dense(4, hidden, {.input_dim = 3, .bias_initializer = initializers::random_uniform(-0.3, 0.3)}));
    model.add(std::move(output));
    return model;
}

TEST(GradientCheck, ModelGradientMatchesReportedLossForEveryHiddenActivation) {
    const Matrix<double> x = uniform_matrix(6, 3, -1.0, 1.0, 71);
    const Matrix<double> y = uniform_matrix(6, 2, -1.0, 1.0, 72);
    for (ActivationKind kind : kAllActivations)
        check_model(two_layers(Activation(kind), f64::Dense(2)), losses::mean_squared_error(), x, y,
                    "hidden " + std::string(Activation(kind).name()) + " + mse");
}

TEST(GradientCheck, ModelGradientMatchesReportedLossForRegressionLosses) {
    const Matrix<double> x = uniform_matrix(6, 3, -1.0, 1.0, 73);
    f64::Sequential model = two_layers(activations::tanh, f64::Dense(2));
    const Matrix<double> y = targets_off_by_both_branches(model.predict(x), 74);
    check_model(model, losses::mean_squared_error(), x, y, "mse");
    check_model(model, losses::mean_absolute_error(), x, y, "mae");
    check_model(model, losses::huber(), x, y, "huber");
}

TEST(GradientCheck, ModelGradientMatchesReportedLossForSigmoidAndBinaryCrossentropy) {
    const Matrix<double> x = uniform_matrix(6, 3, -1.0, 1.0, 75);
    Matrix<double> y = uniform_matrix(6, 2, 0.0, 1.0, 76);
    for (auto& v : y.values()) v = v < 0.5 ? 0.0 : 1.0;
    // Dense(sigmoid) + binary_crossentropy is fused (computed from the logits).
    check_model(two_layers(activations::relu, f64::Dense(2, activations::sigmoid)), losses::binary_crossentropy(), x,
                y, "Dense(sigmoid) + binary_crossentropy");
    check_model(two_layers(activations::relu, f64::Dense(2)), losses::binary_crossentropy(true), x, y,
                "Dense(linear) + binary_crossentropy(from_logits)");
    f64::Sequential separate = two_layers(activations::relu, f64::Dense(2));
    separate.add(f64::ActivationLayer(activations::sigmoid));
    check_model(separate, losses::binary_crossentropy(), x, y, "Dense + Activation(sigmoid) + binary_crossentropy");
    check_model(two_layers(activations::relu, f64::Dense(2, activations::sigmoid)), losses::mean_squared_error(), x, y,
                "Dense(sigmoid) + mse");
}

TEST(GradientCheck, ModelGradientMatchesReportedLossForSoftmaxAndCategoricalCrossentropies) {
    const Matrix<double> x = uniform_matrix(6, 3, -1.0, 1.0, 77);
    const Matrix<double> labels = class_labels(6, 3, 78);
    const Matrix<double> targets = one_hot(labels, 3);
    // Dense(softmax) + (sparse_)categorical_crossentropy is fused (computed from the logits).
    check_model(two_layers(activations::elu, f64::Dense(3, activations::softmax)), losses::categorical_crossentropy(),
                x, targets, "Dense(softmax) + categorical_crossentropy");
    check_model(two_layers(activations::elu, f64::Dense(3, activations::softmax)),
                losses::sparse_categorical_crossentropy(), x, labels, "Dense(softmax) + sparse_categorical_crossentropy");
    check_model(two_layers(activations::elu, f64::Dense(3)), losses::categorical_crossentropy(true), x, targets,
                "Dense(linear) + categorical_crossentropy(from_logits)");
    check_model(two_layers(activations::elu, f64::Dense(3)), losses::sparse_categorical_crossentropy(true), x, labels,
                "Dense(linear) + sparse_categorical_crossentropy(from_logits)");
    // A ReLU hidden layer: its dL/dz comes gated out of the output layer's dL/dx product.
    check_model(two_layers(activations::relu, f64::Dense(3, activations::softmax)),
                losses::sparse_categorical_crossentropy(), x, labels, "relu + Dense(softmax) + sparse_categorical");
    f64::Sequential separate = two_layers(activations::elu, f64::Dense(3));
    separate.add(f64::ActivationLayer(activations::softmax));
    check_model(separate, losses::categorical_crossentropy(), x, targets,
                "Dense + Activation(softmax) + categorical_crossentropy");
    check_model(two_layers(activations::elu, f64::Dense(3, activations::softmax)), losses::mean_squared_error(), x,
                targets, "Dense(softmax) + mse");
}

TEST(GradientCheck, ModelGradientIncludesL1AndL2Penalties) {
    const Matrix<double> x = uniform_matrix(6, 3, -1.0, 1.0, 79);
    const Matrix<double> y = uniform_matrix(6, 1, -1.0, 1.0, 80);
    const DenseOptions cases[] = {
        {.input_dim = 3, .bias_initializer = initializers::random_uniform(-0.3, 0.3),
         .kernel_regularizer = regularizers::l1(0.05)},
        {.input_dim = 3, .bias_initializer = initializers::random_uniform(-0.3, 0.3),
         .kernel_regularizer = regularizers::l2(0.05), .bias_regularizer = regularizers::l2(0.1)},
        {.input_dim = 3, .bias_initializer = initializers::random_uniform(-0.3, 0.3),
         .kernel_regularizer = regularizers::l1_l2(0.02, 0.03), .bias_regularizer = regularizers::l1(0.04)},
        {.input_dim = 3, .use_bias = false, .kernel_regularizer = regularizers::l1_l2(0.02, 0.03)},
    };
    int index = 0;
    for (const DenseOptions& options : cases) {
        f64::Sequential model;
        model.add(f64::Dense(4, activations::tanh, options));
        model.add(f64::Dense(1, {.kernel_regularizer = regularizers::l2(0.01)}));
        check_model(model, losses::mean_squared_error(), x, y, "regularized case " + std::to_string(index++));
    }
}

// The fused path must report the same loss as the definition: −log softmax(z)[label] and
// −(y·log σ(z) + (1 − y)·log(1 − σ(z))), computed here by hand from the weights.
TEST(GradientCheck, FusedOutputReportsTheCrossEntropyOfItsDefinition) {
    const Matrix<double> x = uniform_matrix(4, 2, -1.0, 1.0, 81);
    const Matrix<double> labels = class_labels(4, 3, 82);
    auto logits = [&](const f64::Sequential& model, std::size_t r, std::size_t units) {
        const auto w = model.get_weights();
        std::vector<double> z(units);
        for (std::size_t u = 0; u < units; ++u)
            z[u] = x(r, 0) * w[0].values[0 * units + u] + x(r, 1) * w[0].values[1 * units + u] + w[1].values[u];
        return z;
    };
    f64::Sequential softmax_model({f64::Dense(3, activations::softmax, {.input_dim = 2})});
    softmax_model.compile(f64::SGD(0.0), losses::sparse_categorical_crossentropy());
    double expected = 0;
    for (std::size_t r = 0; r < 4; ++r) {
        const auto z = logits(softmax_model, r, 3);
        const double log_sum = std::log(std::exp(z[0]) + std::exp(z[1]) + std::exp(z[2]));
        expected += (log_sum - z[std::size_t(labels(r, 0))]) / 4;
    }
    EXPECT_NEAR(softmax_model.train_on_batch(x, labels), expected, 1e-12);

    const Matrix<double> binary{{0}, {1}, {1}, {0}};
    f64::Sequential sigmoid_model({f64::Dense(1, activations::sigmoid, {.input_dim = 2})});
    sigmoid_model.compile(f64::SGD(0.0), losses::binary_crossentropy());
    expected = 0;
    for (std::size_t r = 0; r < 4; ++r) {
        const double p = 1 / (1 + std::exp(-logits(sigmoid_model, r, 1)[0]));
        expected -= (binary(r, 0) * std::log(p) + (1 - binary(r, 0)) * std::log(1 - p)) / 4;
    }
    EXPECT_NEAR(sigmoid_model.train_on_batch(x, binary), expected, 1e-12);
}

}  // namespace
}  // namespace dense
