// Inference keeps each Dense kernel packed from one predict call to the next while the layer's
// weights_version stays. These tests change the weights every way the API allows and check that
// the next prediction follows: against a plain double-precision X·W + b computed here from
// get_weights(), and bit for bit against the same products run without a kept packing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include <dense/dense.hpp>

#include "kernels/gemm.hpp"

namespace dense {
namespace {

// 64 rows × 40 → 48 → 20: large enough for the packed, two-thread product that keeps W packed.
constexpr std::size_t rows = 64, inputs = 40, hidden = 48, outputs = 20;

Sequential regressor() {
    Sequential model({Dense(hidden, "relu", {.input_dim = inputs}), Dense(outputs)});
    model.compile(Adam(0.01), "mse");
    return model;
}

Matrix<float> random_matrix(std::size_t r, std::size_t c, std::uint64_t seed) {
    Matrix<float> m(r, c);
    Rng rng(seed);
    for (float& v : m.values()) v = static_cast<float>(rng.uniform(-1.0, 1.0));
    return m;
}

// relu(X·W₁ + b₁)·W₂ + b₂ in double, from the model's weights as get_weights returns them.
std::vector<double> reference(const Sequential& model, const Matrix<float>& x) {
    const std::vector<Tensor<float>> w = model.get_weights();
    std::vector<double> h(rows * hidden), y(rows * outputs);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < hidden; ++j) {
            double z = w[1].values[j];
            for (std::size_t p = 0; p < inputs; ++p) z += double(x(i, p)) * w[0].values[p * hidden + j];
            h[i * hidden + j] = std::max(z, 0.0);
        }
        for (std::size_t j = 0; j < outputs; ++j) {
            double z = w[3].values[j];
            for (std::size_t p = 0; p < hidden; ++p) z += h[i * hidden + p] * w[2].values[p * outputs + j];
            y[i * outputs + j] = z;
        }
    }
    return y;
}

// The same two products through kernels::gemm with nothing kept: the bits predict must give.
Matrix<float> unkept(const Sequential& model, const Matrix<float>& x) {
    const std::vector<Tensor<float>> w = model.get_weights();
    Matrix<float> h(rows, hidden), y(rows, outputs);
    kernels::gemm<float>(kernels::Transpose::no, kernels::Transpose::no, rows, hidden, inputs, x.data(), inputs,
                         w[0].values.data(), hidden, 0.0f, h.data(), hidden, {w[1].values.data(), true});
    kernels::gemm<float>(kernels::Transpose::no, kernels::Transpose::no, rows, outputs, hidden, h.data(), hidden,
                         w[2].values.data(), outputs, 0.0f, y.data(), outputs, {w[3].values.data(), false});
    return y;
}

class InferenceCache : public ::testing::Test {
protected:
    void SetUp() override { set_num_threads(2); }
    void TearDown() override { set_num_threads(0); }

    // Predicts x twice (packing, then reading the packing kept from the first call) and checks
    // both against the reference and the unkept products; `what` names the change just made.
    void expect_current(Sequential& model, const char* what) {
        for (int call = 0; call < 2; ++call) {
            model.predict_into(x, out, rows);
            EXPECT_EQ(out, unkept(model, x)) << what << ", call " << call;
            const std::vector<double> want = reference(model, x);
            for (std::size_t i = 0; i < want.size(); ++i)
                ASSERT_NEAR(out.data()[i], want[i], 1e-4 * std::max(1.0, std::abs(want[i])))
                    << what << ", call " << call << ", value " << i;
        }
    }

    // Whether the model's predictions of x differ from `before` anywhere.
    bool changed(Sequential& model, const Matrix<float>& before) {
        model.predict_into(x, out, rows);
        return !(out == before);
    }

    Matrix<float> x = random_matrix(rows, inputs, 1), y = random_matrix(rows, outputs, 2), out;
};

TEST_F(InferenceCache, PredictionsFollowTrainingSteps) {
    Sequential model = regressor();
    expect_current(model, "built");
    Matrix<float> before = out;
    model.train_on_batch(x, y);
    EXPECT_TRUE(changed(model, before));
    expect_current(model, "train_on_batch");
    before = out;
    model.fit(x, y, {.epochs = 2, .batch_size = 16, .verbose = 0});
    EXPECT_TRUE(changed(model, before));
    expect_current(model, "fit");
}

TEST_F(InferenceCache, PredictionsFollowSetWeights) {
    Sequential model = regressor();
    expect_current(model, "built");
    const Matrix<float> before = out;
    std::vector<Tensor<float>> weights = model.get_weights();
    for (auto& tensor : weights)
        for (float& v : tensor.values) v = 0.5f * v + 0.01f;
    model.set_weights(weights);  // same shapes, same storage: only the values differ
    EXPECT_TRUE(changed(model, before));
    expect_current(model, "model.set_weights");
    weights[2].values[7] = 3.0f;
    model.layer(1).set_weights({weights[2], weights[3]});
    expect_current(model, "layer.set_weights");
}

TEST_F(InferenceCache, PredictionsFollowWritesThroughParameters) {
    Sequential model = regressor();
    expect_current(model, "built");
    const Matrix<float> before = out;
    const std::vector<Parameter<float>> parameters = model.layer(0).parameters();
    for (float& v : parameters[0].value) v = -v;  // the kernel, negated in place
    EXPECT_TRUE(changed(model, before));
    expect_current(model, "written through parameters()");

    // Spans kept across a prediction: the write is announced by weights_changed().
    std::vector<Parameter<float>> kept = model.layer(1).parameters();
    expect_current(model, "before writing through kept spans");
    const Matrix<float> unwritten = out;
    kept[1].value[3] += 1.0f;  // the bias
    kept[0].value[5] *= 2.0f;  // the kernel
    model.layer(1).weights_changed();
    EXPECT_TRUE(changed(model, unwritten));
    expect_current(model, "written through kept spans, then weights_changed()");
}

TEST_F(InferenceCache, CopiesKeepTheirOwnPackingAndPredictConcurrently) {
    Sequential original = regressor();
    expect_current(original, "original");
    const Matrix<float> original_out = out;
    Sequential copy = original;
    expect_current(copy, "copy");
    std::vector<Tensor<float>> weights = copy.get_weights();
    for (float& v : weights[0].values) v += 0.25f;
    copy.set_weights(weights);
    expect_current(copy, "copy after set_weights");
    const Matrix<float> copy_out = out;
    EXPECT_FALSE(copy_out == original_out);
    original.predict_into(x, out, rows);
    EXPECT_EQ(out, original_out);

    Matrix<float> original_again, copy_again;
    std::thread first([&] {
        for (int call = 0; call < 50; ++call) original.predict_into(x, original_again, rows);
    });
    std::thread second([&] {
        for (int call = 0; call < 50; ++call) copy.predict_into(x, copy_again, rows);
    });
    first.join();
    second.join();
    EXPECT_EQ(original_again, original_out);
    EXPECT_EQ(copy_again, copy_out);
}

TEST_F(InferenceCache, VersionsAreNewOnEveryChangeAndKeptByCopies) {
    Sequential model = regressor();
    model.build(inputs);
    Layer<float>& layer = model.layer(0);
    std::vector<std::uint64_t> seen{layer.weights_version()};
    layer.set_weights(layer.get_weights());
    seen.push_back(layer.weights_version());
    layer.parameters();
    seen.push_back(layer.weights_version());
    layer.weights_changed();
    seen.push_back(layer.weights_version());
    model.train_on_batch(x, y);
    seen.push_back(layer.weights_version());
    seen.push_back(model.layer(1).weights_version());
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
    EXPECT_NE(seen.front(), 0u);
    const std::uint64_t version = layer.weights_version();
    model.predict_into(x, out, rows);
    model.evaluate(x, y);  // reads the weights (its penalty) without changing their version
    EXPECT_EQ(layer.weights_version(), version);
    const Sequential copy = model;
    EXPECT_EQ(copy.layer(0).weights_version(), version);
}

}  // namespace
}  // namespace dense
