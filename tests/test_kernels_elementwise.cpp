// The element-wise kernels against the formulas evaluated in double precision, the AVX2 form
// against the portable one (bit for bit), and 1 to 4 threads against one.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "dense/random.hpp"
#include "dense/threads.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"

namespace {

using dense::kernels::Isa;

std::vector<float> random_values(std::size_t count, double low, double high, std::uint64_t seed) {
    dense::Rng rng(seed);
    std::vector<float> values(count);
    for (auto& v : values) v = static_cast<float>(rng.uniform(low, high));
    return values;
}

TEST(ColumnSums, AddUpEachColumnOfAStridedBlock) {
    const std::size_t rows = 37, cols = 19, ld = 23;
    const std::vector<float> x = random_values(rows * ld, -1, 1, 1);
    std::vector<float> sums(cols);
    dense::kernels::column_sums(rows, cols, x.data(), ld, sums.data());
    for (std::size_t j = 0; j < cols; ++j) {
        double expected = 0;
        for (std::size_t i = 0; i < rows; ++i) expected += x[i * ld + j];
        EXPECT_NEAR(sums[j], expected, 1e-5) << "column " << j;
    }
}

// Adam's state after one step, the three spans being updated in place.
struct AdamState {
    std::vector<float> w, g, m, v;
    explicit AdamState(std::size_t count)
        : w(random_values(count, -1, 1, 2)), g(random_values(count, -1, 1, 3)), m(random_values(count, -0.1, 0.1, 4)),
          v(random_values(count, 0, 0.01, 5)) {}
    void step(float alpha) {
        dense::kernels::adam_update<float>(w, g, m, v, alpha, 0.9f, 0.999f, 1e-7f);
    }
};

TEST(AdamUpdate, FollowsKerasEquations) {
    const AdamState before(1000);
    AdamState after = before;
    after.step(0.01f);
    for (std::size_t i = 0; i < before.w.size(); ++i) {
        const double g = before.g[i];
        const double m = before.m[i] + (g - before.m[i]) * (1 - 0.9);
        const double v = before.v[i] + (g * g - before.v[i]) * (1 - 0.999);
        EXPECT_NEAR(after.m[i], m, 1e-7);
        EXPECT_NEAR(after.v[i], v, 1e-7);
        EXPECT_NEAR(after.w[i], before.w[i] - 0.01 * m / (std::sqrt(v) + 1e-7), 1e-5) << "element " << i;
    }
}

TEST(AdamUpdate, Avx2AndPortableFormsAgreeBitForBit) {
    if (dense::kernels::best_isa() != Isa::avx2_fma) GTEST_SKIP() << "no AVX2/FMA";
    AdamState portable(1003), avx2 = portable;
    dense::kernels::use_isa(Isa::portable);
    portable.step(0.003f);
    dense::kernels::use_isa(Isa::avx2_fma);
    avx2.step(0.003f);
    EXPECT_EQ(avx2.w, portable.w);
    EXPECT_EQ(avx2.m, portable.m);
    EXPECT_EQ(avx2.v, portable.v);
}

// One step of an optimizer's state on 2 to 4 threads gives the weights it gives on one.
template <class State>
void expect_same_weights_on_any_thread_count(const State& start, float rate) {
    dense::set_num_threads(1);
    State single = start;
    single.step(rate);
    for (std::size_t threads = 2; threads <= 4; ++threads) {
        dense::set_num_threads(threads);
        State split = start;
        split.step(rate);
        EXPECT_EQ(split.w, single.w) << threads << " threads";
    }
    dense::set_num_threads(0);
}

TEST(AdamUpdate, ThreadCountDoesNotChangeTheResult) {
    expect_same_weights_on_any_thread_count(AdamState(300001), 0.001f);  // long enough to be split over the pool
}

// RMSprop's state after one step (not centered), with or without momentum.
struct RmspropState {
    std::vector<float> w, g, v, m;
    bool with_momentum;
    RmspropState(std::size_t count, bool momentum)
        : w(random_values(count, -1, 1, 6)), g(random_values(count, -1, 1, 7)), v(random_values(count, 0, 0.01, 8)),
          m(random_values(count, -0.1, 0.1, 9)), with_momentum(momentum) {}
    void step(float rate) {
        dense::kernels::rmsprop_update<float>(w, g, v, with_momentum ? std::span<float>(m) : std::span<float>{}, rate, 0.9f,
                                              0.5f, 1e-7f);
    }
};

TEST(RmspropUpdate, FollowsKerasEquations) {
    for (const bool momentum : {false, true}) {
        const RmspropState before(1000, momentum);
        RmspropState after = before;
        after.step(0.01f);
        for (std::size_t i = 0; i < before.w.size(); ++i) {
            const double g = before.g[i];
            const double v = 0.9 * before.v[i] + (1 - 0.9) * g * g;  // v ← ρ·v + (1 − ρ)·g²
            const double step = 0.01 * g / std::sqrt(v + 1e-7);       // Δ = lr·g / √(v + ε)
            const double m = 0.5 * before.m[i] + step;                // m ← μ·m + Δ
            EXPECT_NEAR(after.v[i], v, 1e-7);
            EXPECT_NEAR(after.w[i], before.w[i] - (momentum ? m : step), 1e-5) << "element " << i;
            if (momentum)
                EXPECT_NEAR(after.m[i], m, 1e-5);
            else
                EXPECT_EQ(after.m[i], before.m[i]) << "m untouched without momentum";
        }
    }
}

TEST(RmspropUpdate, Avx2AndPortableFormsAgreeBitForBit) {
    if (dense::kernels::best_isa() != Isa::avx2_fma) GTEST_SKIP() << "no AVX2/FMA";
    for (const bool momentum : {false, true}) {
        RmspropState portable(1003, momentum), avx2 = portable;
        dense::kernels::use_isa(Isa::portable);
        portable.step(0.003f);
        dense::kernels::use_isa(Isa::avx2_fma);
        avx2.step(0.003f);
        EXPECT_EQ(avx2.w, portable.w);
        EXPECT_EQ(avx2.v, portable.v);
        EXPECT_EQ(avx2.m, portable.m);
    }
}

TEST(RmspropUpdate, ThreadCountDoesNotChangeTheResult) {
    expect_same_weights_on_any_thread_count(RmspropState(300001, true), 0.001f);
}

// Finite-value checks over the pool's parts: one NaN or infinity anywhere (first element, a
// chunk's last, inside the second part, last element) is found on 1 and 3 threads, the largest
// finite and subnormal values pass, and the copying form copies exactly what it checked.
TEST(FiniteCheck, FindsEveryNonFiniteValueWhereverItLies) {
    const std::vector<float> clean = random_values(200003, -1.0, 1.0, 21);
    for (const std::size_t threads : {1, 3}) {
        dense::set_num_threads(threads);
        std::vector<float> copy(clean.size());
        EXPECT_TRUE(dense::kernels::copy_all_finite(std::span<const float>(clean), copy.data()));
        EXPECT_EQ(copy, clean);
        std::vector<float> extremes = clean;
        extremes[7] = std::numeric_limits<float>::max();
        extremes[8] = -std::numeric_limits<float>::denorm_min();
        EXPECT_TRUE(dense::kernels::all_finite(std::span<const float>(extremes)));
        for (const std::size_t at : {std::size_t{0}, std::size_t{4095}, std::size_t{150000}, clean.size() - 1})
            for (const float bad : {std::nanf(""), std::numeric_limits<float>::infinity(),
                                    -std::numeric_limits<float>::infinity()}) {
                std::vector<float> values = clean;
                values[at] = bad;
                EXPECT_FALSE(dense::kernels::all_finite(std::span<const float>(values))) << at << " " << threads;
                EXPECT_FALSE(dense::kernels::copy_all_finite(std::span<const float>(values), copy.data())) << at;
            }
    }
    const std::vector<double> wide = {1.0, std::numeric_limits<double>::quiet_NaN()};
    EXPECT_FALSE(dense::kernels::all_finite(std::span<const double>(wide)));
    EXPECT_TRUE(dense::kernels::all_finite(std::span<const double>(wide.data(), 1)));
    dense::set_num_threads(0);
}

}  // namespace
