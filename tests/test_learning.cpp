// Learning end to end: the articles' examples and small classic problems reach the quality
// the issue asks for, with the library's defaults wherever the recipe does not say otherwise.
#include <cmath>
#include <numbers>

#include "test_support.hpp"

namespace dense {
namespace {

// One neuron learns y = 2x + 3 from x = 1..4 (the articles' table), Dense(1) with Adam(0.1),
// mean squared error, full batch. About 900 epochs are needed from the worst of several seeds;
// 1000 gives |w − 2|, |b − 3| < 1e-3 (the articles' Keras run stopped at 2.0123928, 1.3683615).
TEST(Learning, OneNeuronLearnsTwoXPlusThree) {
    const auto x = Matrix<float>::column({1, 2, 3, 4});
    const auto y = Matrix<float>::column({5, 7, 9, 11});
    for (std::uint64_t seed : {42, 1, 7, 100}) {
        Sequential model({Dense(1, {.input_dim = 1})}, {.seed = seed});
        model.compile(Adam(0.1), "mean_squared_error");
        model.fit(x, y, {.epochs = 1000, .verbose = 0});
        const auto weights = model.get_weights();
        ASSERT_EQ(weights[0].shape, (std::vector<std::size_t>{1, 1}));
        ASSERT_EQ(weights[1].shape, (std::vector<std::size_t>{1}));
        EXPECT_NEAR(weights[0].values[0], 2.0, 1e-3) << "seed " << seed;
        EXPECT_NEAR(weights[1].values[0], 3.0, 1e-3) << "seed " << seed;
        EXPECT_NEAR(model.predict(Matrix<float>::column({10}))(0, 0), 23.0, 1e-2);
    }
}

// The course's Celsius → Fahrenheit lesson, exactly its recipe: Dense(1), Adam(0.1), mse,
// 500 epochs, the 7 samples in one batch. It is not converged at 500 epochs; where it stands
// depends on the random initial weight. Over initial weights across the glorot range
// (seeds 1, 2, 3, 7, 42, 100) dense ends at w 1.8214…1.8294, b 28.34…29.19 and predicts
// 211.27…211.33 for 100 °C; a published Keras run printed 1.8235865, 28.957005 (211.3).
// The tolerances below hold that whole spread: w ± 0.01, b ± 0.7, prediction ± 0.1.
const Matrix<float> kCelsius = Matrix<float>::column({-40, -10, 0, 8, 15, 22, 38});
const Matrix<float> kFahrenheit = Matrix<float>::column({-40, 14, 32, 46, 59, 72, 100});

TEST(Learning, CelsiusLessonLandsWhereKerasDidAfter500Epochs) {
    Sequential model({Dense(1, {.input_dim = 1})});
    model.compile(Adam(0.1), "mean_squared_error");
    const History history = model.fit(kCelsius, kFahrenheit, {.epochs = 500, .verbose = 0});
    ASSERT_EQ(history["loss"].size(), 500u);
    const auto weights = model.get_weights();
    EXPECT_NEAR(weights[0].values[0], 1.8235865, 0.01);
    EXPECT_NEAR(weights[1].values[0], 28.957005, 0.7);
    EXPECT_NEAR(model.predict(Matrix<float>::column({100}))(0, 0), 211.3, 0.1);
}

// Trained on, the neuron reaches the least-squares line of the seven samples. That line is
// not exactly f = 1.8·c + 32: the course's Fahrenheit values are rounded (46.4 → 46,
// 71.6 → 72, 100.4 → 100), and the best fit of the rounded data, solved here from the normal
// equations, is w = 1.797949, b = 31.952526 (b is 0.047 from 32). About 1500 epochs in all
// bring Adam(0.1) to it within 1e-4.
TEST(Learning, CelsiusLessonTrainedOnReachesTheLeastSquaresLine) {
    double n = 0, sc = 0, sf = 0, scc = 0, scf = 0;
    for (std::size_t i = 0; i < kCelsius.rows(); ++i) {
        const double c = kCelsius(i, 0), f = kFahrenheit(i, 0);
        n += 1, sc += c, sf += f, scc += c * c, scf += c * f;
    }
    const double w_best = (n * scf - sc * sf) / (n * scc - sc * sc);
    const double b_best = (sf - w_best * sc) / n;
    EXPECT_NEAR(w_best, 1.8, 3e-3);
    EXPECT_NEAR(b_best, 32.0, 0.05);

    Sequential model({Dense(1, {.input_dim = 1})});
    model.compile(Adam(0.1), "mean_squared_error");
    model.fit(kCelsius, kFahrenheit, {.epochs = 3000, .verbose = 0});
    const auto weights = model.get_weights();
    EXPECT_NEAR(weights[0].values[0], w_best, 1e-4);
    EXPECT_NEAR(weights[1].values[0], b_best, 1e-3);
    EXPECT_NEAR(model.predict(Matrix<float>::column({100}))(0, 0), 100 * w_best + b_best, 1e-2);
}

TEST(Learning, XorNetworkOfTwoFourOneReachesFullAccuracy) {
    const Matrix<float> x{{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    const Matrix<float> y{{0}, {1}, {1}, {0}};
    Sequential model({Dense(4, "tanh", {.input_dim = 2}), Dense(1, "sigmoid")});
    model.compile(Adam(0.05), "binary_crossentropy", {"accuracy"});
    const History history = model.fit(x, y, {.epochs = 300, .batch_size = 4, .verbose = 0});
    EXPECT_DOUBLE_EQ(model.evaluate(x, y).at("accuracy"), 1.0);
    EXPECT_DOUBLE_EQ(history["accuracy"].back(), 1.0);
    const Matrix<float> p = model.predict(x);
    for (std::size_t r = 0; r < 4; ++r) EXPECT_EQ(p(r, 0) > 0.5f, y(r, 0) > 0.5f) << "row " << r;
}

// sin(x) on [−π, π] with two tanh layers of 32. Adam with a cosine-decaying learning rate
// (0.02 → 0 over the 1200 steps of 150 epochs) ends below 4e-4 for each of seeds 1–5 and 42;
// a constant Adam(0.01) sometimes stalls near 3e-3.
TEST(Learning, SineRegressionReachesMseBelowOneThousandth) {
    Matrix<float> x(256, 1), y(256, 1);
    for (std::size_t i = 0; i < 256; ++i) {
        x(i, 0) = float(-std::numbers::pi + 2 * std::numbers::pi * double(i) / 255.0);
        y(i, 0) = std::sin(x(i, 0));
    }
    Sequential model({Dense(32, "tanh", {.input_dim = 1}), Dense(32, "tanh"), Dense(1)});
    model.compile(Adam(LearningRate::cosine_decay(0.02, 1200)), "mse");
    model.fit(x, y, {.epochs = 150, .verbose = 0});
    EXPECT_LT(model.evaluate(x, y).at("loss"), 1e-3);
}

// Three Gaussian blobs (σ = 0.5) around corners of a triangle of side ≈ 3.5: the Bayes error
// is far below 5 %, so a softmax classifier must pass 95 %.
TEST(Learning, ThreeClassSoftmaxWithSparseCrossentropyPassesNinetyFivePercent) {
    const double centers[3][2] = {{0, 2}, {-1.7, -1}, {1.7, -1}};
    Rng rng(11);
    Matrix<float> x(300, 2), y(300, 1);
    for (std::size_t i = 0; i < 300; ++i) {
        const std::size_t k = i % 3;
        x(i, 0) = float(centers[k][0] + 0.5 * rng.normal());
        x(i, 1) = float(centers[k][1] + 0.5 * rng.normal());
        y(i, 0) = float(k);
    }
    Sequential model({Dense(16, "relu", {.input_dim = 2}), Dense(3, "softmax")});
    model.compile(Adam(0.01), "sparse_categorical_crossentropy", {"accuracy"});
    model.fit(x, y, {.epochs = 30, .verbose = 0});
    EXPECT_GT(model.evaluate(x, y).at("accuracy"), 0.95);
    const Matrix<float> p = model.predict(x);
    for (std::size_t r = 0; r < 3; ++r) {  // each row of the output is a distribution
        double sum = 0;
        for (float v : p.row(r)) sum += v;
        EXPECT_NEAR(sum, 1.0, 1e-5);
    }
}

}  // namespace
}  // namespace dense
