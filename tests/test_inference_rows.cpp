// Inference splits a batch's rows over the threads, each running every layer on its own rows
// (Layer::begin_rows / forward_rows). These tests check that predict and evaluate give the same
// bits that way as layer by layer on one thread, for batches that do and do not fill whole row
// tiles, against a double-precision reference, and that the split happens only as it should: whole
// row tiles, parts no smaller than every layer allows, none when a layer takes whole batches only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <vector>

#include <dense/dense.hpp>

#include "kernels/gemm.hpp"

namespace dense {
namespace {

// 1000 inputs: the first layer's sums run in 3 blocks of k, packed or not.
constexpr std::size_t inputs = 1000, hidden = 64, classes = 7;

Matrix<float> random_matrix(std::size_t r, std::size_t c, std::uint64_t seed) {
    Matrix<float> m(r, c);
    Rng rng(seed);
    for (float& v : m.values()) v = static_cast<float>(rng.uniform(-1.0, 1.0));
    return m;
}

// y = x, recording the parts forward_rows was given; rows_apart() as the test sets it (0: whole
// batches only, the default of Layer).
class RecordingLayer : public Layer<float> {
public:
    struct Log {
        std::mutex mutex;
        std::vector<std::pair<std::size_t, std::size_t>> parts;  // (first, count)
        int whole_batches = 0;
    };
    RecordingLayer(std::size_t least, std::shared_ptr<Log> log) : least_(least), log_(std::move(log)) {}
    std::unique_ptr<Layer<float>> clone() const override { return std::make_unique<RecordingLayer>(*this); }
    std::string_view type() const noexcept override { return "Recording"; }
    void build(std::size_t input_dim, Rng&) override { input_dim_ = input_dim; }
    std::size_t output_dim() const noexcept override { return input_dim_; }
    const Matrix<float>& forward(const Matrix<float>& x, bool, Rng&) override {
        ++log_->whole_batches;
        return x;
    }
    const Matrix<float>& backward(const Matrix<float>& dy, bool) override { return dy; }
    std::size_t rows_apart() const noexcept override { return least_; }
    const Matrix<float>& begin_rows(const Matrix<float>& x) override { return x; }
    void forward_rows(const Matrix<float>&, std::size_t first, std::size_t count) override {
        const std::lock_guard lock(log_->mutex);
        log_->parts.emplace_back(first, count);
    }

private:
    std::size_t least_;
    std::shared_ptr<Log> log_;
};

// Dense layers with a ReLU, a plain and a sigmoid activation, Dropout and an Activation layer:
// every kind of layer that runs apart.
Sequential classifier() {
    Sequential model({Dense(hidden, "relu", {.input_dim = inputs}), Dropout(0.3), Dense(hidden, "sigmoid"),
                      Dense(hidden), Dense(classes), ActivationLayer(activations::softmax)});
    model.compile(Adam(0.01), "categorical_crossentropy", {"accuracy"});
    model.build(inputs);
    return model;
}

// f(x) in double from get_weights(), for the classifier above.
std::vector<double> reference(const Sequential& model, const Matrix<float>& x) {
    const std::vector<Tensor<float>> w = model.get_weights();
    std::vector<double> out;
    for (std::size_t i = 0; i < x.rows(); ++i) {
        std::vector<double> a(x.row(i).begin(), x.row(i).end());
        for (std::size_t layer = 0; layer < 4; ++layer) {
            const Tensor<float>& kernel = w[2 * layer];
            const Tensor<float>& bias = w[2 * layer + 1];
            const std::size_t units = bias.values.size();
            std::vector<double> z(units);
            for (std::size_t j = 0; j < units; ++j) {
                z[j] = bias.values[j];
                for (std::size_t p = 0; p < a.size(); ++p) z[j] += a[p] * kernel.values[p * units + j];
                if (layer == 0) z[j] = std::max(z[j], 0.0);
                if (layer == 1) z[j] = 1.0 / (1.0 + std::exp(-z[j]));
            }
            a = z;
        }
        const double top = *std::max_element(a.begin(), a.end());
        double sum = 0.0;
        for (double& v : a) sum += v = std::exp(v - top);
        for (double v : a) out.push_back(v / sum);
    }
    return out;
}

class InferenceRows : public ::testing::Test {
protected:
    void TearDown() override { set_num_threads(0); }
};

TEST_F(InferenceRows, PredictGivesTheBitsOfOneThreadForEveryBatchAndThreadCount) {
    Sequential model = classifier();
    const Matrix<float> x = random_matrix(300, inputs, 1);
    for (const std::size_t batch : {1, 7, 12, 13, 17, 64, 101, 256, 300}) {
        set_num_threads(1);
        const Matrix<float> one_thread = model.predict(x, {.batch_size = batch});
        for (const std::size_t threads : {2, 3, 4}) {
            set_num_threads(threads);
            EXPECT_EQ(model.predict(x, {.batch_size = batch}), one_thread) << "batch " << batch << ", threads " << threads;
        }
    }
    const std::vector<double> want = reference(model, x);
    const Matrix<float> got = model.predict(x, {.batch_size = 64});
    for (std::size_t i = 0; i < want.size(); ++i) ASSERT_NEAR(got.data()[i], want[i], 1e-5) << "value " << i;
}

// A row's prediction does not depend on the rows predicted with it: a batch of fewer rows than a
// row tile is summed unpacked, a product of a few hundred multiply-adds (the one-output layer at
// small batches) in plain loops, and a larger one packed, all in the same blocks of k with the same
// roundings. Widths of 1000 (3 blocks of k read in place), 1024 (4 packed blocks: rows 4 KiB
// apart) and 784 (2 blocks, which two threads take one each below a row tile).
// The plain C++ kernels too (PortableKernels: 4 packed blocks of k at 1000 or 1024, 256 deep).
TEST_F(InferenceRows, EachRowGetsTheSameBitsWhateverTheBatchItIsIn) {
    const kernels::Isa best = kernels::best_isa();
    for (const kernels::Isa isa : {best, kernels::Isa::portable})
        for (const std::size_t width : {std::size_t{1000}, std::size_t{1024}, std::size_t{784}}) {
            kernels::use_isa(isa);
            Sequential model({Dense(24, "relu", {.input_dim = width}), Dense(8, "tanh"), Dense(1)});
            model.compile(Adam(0.01), "mean_squared_error");
            model.build(width);
            const Matrix<float> x = random_matrix(40, width, width);
            for (const std::size_t threads : {1, 2}) {
                set_num_threads(threads);
                const Matrix<float> whole = model.predict(x, {.batch_size = 40});
                for (const std::size_t batch : {1, 2, 5, 6, 7, 13})
                    EXPECT_EQ(model.predict(x, {.batch_size = batch}), whole) << "width " << width << ", batch " << batch
                                                                               << ", threads " << threads
                                                                               << (isa == best ? "" : ", portable");
            }
        }
    kernels::use_isa(best);
    Sequential model = classifier();
    const Matrix<float> x = random_matrix(40, inputs, 2);
    const Matrix<float> whole = model.predict(x, {.batch_size = 40});
    for (const std::size_t batch : {1, 3, 6, 11}) EXPECT_EQ(model.predict(x, {.batch_size = batch}), whole) << "batch " << batch;
}

TEST_F(InferenceRows, EvaluateGivesTheSameLossOnAnyThreadCount) {
    Sequential model = classifier();
    const Matrix<float> x = random_matrix(200, inputs, 2);
    Matrix<float> y(200, classes);
    for (std::size_t i = 0; i < y.rows(); ++i) y(i, i % classes) = 1.0f;
    set_num_threads(1);
    const Logs one_thread = model.evaluate(x, y, {.batch_size = 100});
    set_num_threads(2);
    EXPECT_EQ(model.evaluate(x, y, {.batch_size = 100}), one_thread);
}

// The parts of each batch: whole row tiles from row 0, the last part taking the rows past the
// last whole tile, each at least the layers' rows_apart, together every row once.
TEST_F(InferenceRows, PartsAreWholeRowTilesOfAtLeastWhatEveryLayerAllows) {
    set_num_threads(2);
    const std::size_t tile = kernels::row_tile();
    for (const std::size_t least : {1, 6, 20}) {
        auto log = std::make_shared<RecordingLayer::Log>();
        Sequential model({Dense(hidden, "relu", {.input_dim = inputs})});
        model.add(std::make_unique<RecordingLayer>(least, log));
        model.add(Dense(classes));
        const Matrix<float> x = random_matrix(2 * tile * 4 + 5, inputs, 3);
        model.predict(x, {.batch_size = x.rows()});
        ASSERT_EQ(log->whole_batches, 0) << "rows_apart " << least;
        std::sort(log->parts.begin(), log->parts.end());
        ASSERT_EQ(log->parts.size(), 2u) << "rows_apart " << least;
        std::size_t next = 0;
        for (const auto& [first, count] : log->parts) {
            EXPECT_EQ(first, next);
            EXPECT_EQ(first % tile, 0u);
            EXPECT_GE(count, std::max(least, tile));
            next = first + count;
        }
        EXPECT_EQ(next, x.rows());
    }
}

TEST_F(InferenceRows, BatchesGoWholeWhenALayerOrTheirSizeDoesNotAllowParts) {
    set_num_threads(2);
    auto log = std::make_shared<RecordingLayer::Log>();
    Sequential whole_only({Dense(hidden, "relu", {.input_dim = inputs})});
    whole_only.add(std::make_unique<RecordingLayer>(0, log));
    whole_only.predict(random_matrix(120, inputs, 4), {.batch_size = 120});
    EXPECT_EQ(log->whole_batches, 1);
    EXPECT_TRUE(log->parts.empty());

    // Fewer rows than two parts of a whole row tile each.
    log = std::make_shared<RecordingLayer::Log>();
    Sequential model({Dense(hidden, "relu", {.input_dim = inputs})});
    model.add(std::make_unique<RecordingLayer>(1, log));
    model.predict(random_matrix(2 * kernels::row_tile() - 1, inputs, 5));
    EXPECT_EQ(log->whole_batches, 1);
    EXPECT_TRUE(log->parts.empty());
}

}  // namespace
}  // namespace dense
