// After the first training step, training and predict_into reuse their memory: further steps,
// fit epochs and predictions (repacking changed weights included) make no heap allocation.
// Counted by replacing operator new.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include <dense/dense.hpp>

namespace {
std::atomic<long> allocations{0};

void* counted(std::size_t size, std::size_t alignment) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
    void* p = alignment <= alignof(std::max_align_t) ? std::malloc(size ? size : 1)
                                                       : std::aligned_alloc(alignment, rounded ? rounded : alignment);
    if (!p) throw std::bad_alloc();
    return p;
}
}  // namespace

void* operator new(std::size_t size) { return counted(size, alignof(std::max_align_t)); }
void* operator new[](std::size_t size) { return counted(size, alignof(std::max_align_t)); }
void* operator new(std::size_t size, std::align_val_t a) { return counted(size, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t size, std::align_val_t a) { return counted(size, static_cast<std::size_t>(a)); }
// These operators free what `counted` took from malloc or aligned_alloc, a matched pair; GCC 12
// sees `free` inside an operator delete and warns of a mismatch (with ASan's instrumentation).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

// Big enough for the products to be split over two threads, so that the pool and its
// per-thread packing buffers are part of what is counted.
constexpr std::size_t batch = 64, inputs = 100, classes = 3;

struct Data {
    dense::Matrix<float> x{batch * 4, inputs}, y{batch * 4, 1};
    Data() {
        dense::Rng rng(9);
        for (auto& v : x.values()) v = static_cast<float>(rng.uniform(-1.0, 1.0));
        for (auto& v : y.values()) v = static_cast<float>(rng.below(classes));
    }
};

dense::Sequential classifier() {
    dense::Sequential model({dense::Dense(64, "relu", {.input_dim = inputs}), dense::Dense(32, "tanh"),
                             dense::Dense(classes, "softmax")});
    model.compile(dense::Adam(0.001), "sparse_categorical_crossentropy");
    return model;
}

class NoAllocation : public ::testing::Test {
protected:
    void SetUp() override { dense::set_num_threads(2); }
    void TearDown() override { dense::set_num_threads(0); }
    Data data;
};

TEST_F(NoAllocation, TrainOnBatchAllocatesOnlyInTheFirstStep) {
    dense::Sequential model = classifier();
    dense::Matrix<float> x(batch, inputs), y(batch, 1);
    std::copy_n(data.x.data(), x.size(), x.data());
    std::copy_n(data.y.data(), y.size(), y.data());
    model.train_on_batch(x, y);
    const long before = allocations.load();
    for (int step = 0; step < 5; ++step) model.train_on_batch(x, y);
    EXPECT_EQ(allocations.load() - before, 0);
}

TEST_F(NoAllocation, FitAllocatesNothingBetweenBatchesOfLaterEpochs) {
    dense::Sequential model = classifier();
    std::vector<long> counts;
    counts.reserve(64);
    dense::LambdaCallbackHooks<float> hooks;
    hooks.on_train_batch_end = [&](dense::Sequential&, std::size_t, const dense::Logs&) {
        counts.push_back(allocations.load());
    };
    auto counter = std::make_shared<dense::LambdaCallback>(hooks);
    model.fit(data.x, data.y, {.epochs = 3, .batch_size = batch, .callbacks = {counter}, .verbose = 0});
    ASSERT_EQ(counts.size(), 12u);  // 4 batches × 3 epochs
    for (std::size_t i = 5; i < counts.size(); ++i) {
        if (i % 4 == 0) continue;  // an epoch boundary: History and the epoch's logs grow there
        EXPECT_EQ(counts[i] - counts[i - 1], 0) << "batch " << i % 4 << " of epoch " << i / 4 + 1;
    }
}

TEST_F(NoAllocation, PredictIntoAllocatesOnlyOnTheFirstCall) {
    dense::Sequential model = classifier();
    dense::Matrix<float> out;
    model.predict_into(data.x, out, batch);
    const dense::Matrix<float> first = out;
    const long before = allocations.load();
    for (int call = 0; call < 5; ++call) model.predict_into(data.x, out, batch);
    EXPECT_EQ(allocations.load() - before, 0);
    EXPECT_EQ(out, first);
}

// The plain user loop, one predict_into a batch, with a training step before each: the weights
// change every time, and packing them again fills the buffer the layer already has.
TEST_F(NoAllocation, PredictIntoAfterEachTrainingStepAllocatesNothing) {
    dense::Sequential model = classifier();
    dense::Matrix<float> x(batch, inputs), y(batch, 1), out;
    std::copy_n(data.x.data(), x.size(), x.data());
    std::copy_n(data.y.data(), y.size(), y.data());
    model.train_on_batch(x, y);
    model.predict_into(x, out, batch);
    const long before = allocations.load();
    for (int step = 0; step < 5; ++step) {
        model.train_on_batch(x, y);
        model.predict_into(x, out, batch);
    }
    EXPECT_EQ(allocations.load() - before, 0);
}

}  // namespace
