// kernels::gemm against a naive double-precision product: every transpose combination, sizes
// that leave partial tiles and blocks, β and the bias/ReLU epilogue, each instruction set, and
// bit-identical results for 1 to 4 threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "dense/random.hpp"
#include "dense/threads.hpp"
#include "kernels/gemm.hpp"

namespace {

using dense::kernels::Epilogue;
using dense::kernels::Isa;
using dense::kernels::Transpose;

struct Shape {
    std::size_t m, n, k;
};

// Operands stored as gemm reads them: A is m×k (or k×m when transposed), B k×n (or n×k),
// with a leading dimension larger than the row so that strides are exercised.
template <class T>
struct Problem {
    Shape shape;
    Transpose trans_a, trans_b;
    std::size_t lda, ldb, ldc;
    std::vector<T> a, b, c, bias, gate;  // gate: m × ldc, about half of it ≤ 0

    // a_row_length: A's leading dimension, by default 3 more than its rows hold.
    Problem(Shape s, Transpose ta, Transpose tb, std::uint64_t seed, std::size_t a_row_length = 0)
        : shape(s), trans_a(ta), trans_b(tb) {
        dense::Rng rng(seed);
        const auto random_values = [&](std::size_t count) {
            std::vector<T> values(count);
            for (auto& v : values) v = static_cast<T>(rng.uniform(-1.0, 1.0));
            return values;
        };
        const std::size_t a_rows = ta == Transpose::no ? s.m : s.k, a_cols = ta == Transpose::no ? s.k : s.m;
        const std::size_t b_rows = tb == Transpose::no ? s.k : s.n, b_cols = tb == Transpose::no ? s.n : s.k;
        lda = a_row_length ? a_row_length : a_cols + 3;
        ldb = b_cols + 5;
        ldc = s.n + 2;
        a = random_values(a_rows * lda);
        b = random_values(b_rows * ldb);
        c = random_values(s.m * ldc);
        bias = random_values(s.n);
        gate = random_values(s.m * ldc);
        for (std::size_t i = 0; i < gate.size(); i += 7) gate[i] = T(0);  // zero closes the gate too
    }

    double a_at(std::size_t i, std::size_t p) const {
        return trans_a == Transpose::no ? a[i * lda + p] : a[p * lda + i];
    }
    double b_at(std::size_t p, std::size_t j) const {
        return trans_b == Transpose::no ? b[p * ldb + j] : b[j * ldb + p];
    }

    // relu(Σₚ op(A)[i][p]·op(B)[p][j] + β·C[i][j] + bias[j]), then 0 where the gate is ≤ 0, in
    // double precision.
    std::vector<double> expected(T beta, const Epilogue<T>& epilogue) const {
        std::vector<double> out(shape.m * shape.n);
        for (std::size_t i = 0; i < shape.m; ++i)
            for (std::size_t j = 0; j < shape.n; ++j) {
                double sum = beta == T(0) ? 0.0 : double(beta) * c[i * ldc + j];
                for (std::size_t p = 0; p < shape.k; ++p) sum += a_at(i, p) * b_at(p, j);
                if (epilogue.bias) sum += epilogue.bias[j];
                if (epilogue.relu) sum = std::max(sum, 0.0);
                if (epilogue.gate && !(epilogue.gate[i * epilogue.ld_gate + j] > T(0))) sum = 0.0;
                out[i * shape.n + j] = sum;
            }
        return out;
    }

    std::vector<T> computed(T beta, const Epilogue<T>& epilogue, dense::kernels::StableB<T> stable_b = {}) const {
        std::vector<T> out = c;
        dense::kernels::gemm(trans_a, trans_b, shape.m, shape.n, shape.k, a.data(), lda, b.data(), ldb, beta,
                             out.data(), ldc, epilogue, stable_b);
        return out;
    }
};

// Rounding grows with k: each product and sum loses at most half an ulp of the running total.
template <class T>
void expect_close(const Problem<T>& problem, const std::vector<T>& got, const std::vector<double>& want) {
    const double tolerance = 4.0 * (problem.shape.k + 2) * std::numeric_limits<T>::epsilon();
    for (std::size_t i = 0; i < problem.shape.m; ++i)
        for (std::size_t j = 0; j < problem.shape.n; ++j) {
            const double w = want[i * problem.shape.n + j];
            ASSERT_NEAR(got[i * problem.ldc + j], w, tolerance * std::max(1.0, std::abs(w)))
                << "C[" << i << "][" << j << "] of " << problem.shape.m << "×" << problem.shape.n << "×"
                << problem.shape.k;
        }
}

// Sizes around the register tile (6 × 16), the blocks (KC = 256, MC = 144) and the unpacked
// path (fewer than 6 rows, or tiny; k summed in two halves from 32 768 multiply-adds, an odd k
// among them), plus the shapes of the Fashion-MNIST MLP. Tiny products (≤ 256 multiply-adds)
// sweep columns when rows outnumber the depth ({7, 1, 1}, {6, 16, 1}, {12, 2, 5}) and take dot
// products otherwise ({1, 1, 1}, {2, 3, 40}), as does an empty sum ({5, 2, 0}: C = β·C, then the
// epilogue). A row-major A is read in place by the
// AVX2 kernels; GemmTransposes.RowMajorAWithRowsAMultipleOf4KiBApart covers the packed one.
const std::vector<Shape> shapes = {
    {1, 1, 1},     {7, 1, 1},      {1, 10, 784},   {3, 33, 17},   {5, 70, 9},    {6, 16, 1},
    {7, 17, 3},    {13, 31, 57},   {64, 48, 300},  {150, 37, 20}, {37, 150, 513}, {128, 10, 128},
    {2, 300, 260}, {29, 1, 40},    {1, 256, 784},  {4, 40, 205},  {3, 100, 500},  {20, 40, 256},
    {12, 2, 5},    {2, 3, 40},     {5, 2, 0},      {21, 40, 64},
};

class GemmTransposes : public ::testing::TestWithParam<std::tuple<Transpose, Transpose, Isa>> {
protected:
    void SetUp() override {
        const Isa isa = std::get<2>(GetParam());
        if (isa == Isa::avx2_fma && dense::kernels::best_isa() != Isa::avx2_fma) GTEST_SKIP() << "no AVX2/FMA";
        dense::kernels::use_isa(isa);
    }
    void TearDown() override { dense::kernels::use_isa(dense::kernels::best_isa()); }
};

TEST_P(GemmTransposes, FloatMatchesDoublePrecisionProduct) {
    const auto [ta, tb, isa] = GetParam();
    for (const Shape& shape : shapes) {
        const Problem<float> problem(shape, ta, tb, shape.m * 1000 + shape.n + shape.k);
        expect_close(problem, problem.computed(0.0f, {}), problem.expected(0.0f, {}));
    }
}

TEST_P(GemmTransposes, BetaScalesTheOldValues) {
    const auto [ta, tb, isa] = GetParam();
    for (const float beta : {1.0f, 0.5f})
        for (const Shape& shape : shapes) {
            const Problem<float> problem(shape, ta, tb, shape.k + 7);
            expect_close(problem, problem.computed(beta, {}), problem.expected(beta, {}));
        }
}

TEST_P(GemmTransposes, EpilogueAddsBiasThenAppliesRelu) {
    const auto [ta, tb, isa] = GetParam();
    for (const Shape& shape : shapes) {
        const Problem<float> problem(shape, ta, tb, shape.n + 11);
        const Epilogue<float> bias_only{problem.bias.data(), false}, bias_relu{problem.bias.data(), true};
        expect_close(problem, problem.computed(0.0f, bias_only), problem.expected(0.0f, bias_only));
        expect_close(problem, problem.computed(1.0f, bias_relu), problem.expected(1.0f, bias_relu));
    }
}

TEST_P(GemmTransposes, EpilogueGateZeroesWhereTheGateIsNotPositive) {
    const auto [ta, tb, isa] = GetParam();
    for (const Shape& shape : shapes) {
        const Problem<float> problem(shape, ta, tb, shape.m + 13);
        const Epilogue<float> gated{.gate = problem.gate.data(), .ld_gate = problem.ldc};
        const Epilogue<float> bias_gated{problem.bias.data(), false, problem.gate.data(), problem.ldc};
        expect_close(problem, problem.computed(0.0f, gated), problem.expected(0.0f, gated));
        expect_close(problem, problem.computed(1.0f, bias_gated), problem.expected(1.0f, bias_gated));
        const Problem<double> wide(shape, ta, tb, shape.n + 17);
        const Epilogue<double> double_gated{.gate = wide.gate.data(), .ld_gate = wide.ldc};
        expect_close(wide, wide.computed(0.0, double_gated), wide.expected(0.0, double_gated));
    }
}

TEST_P(GemmTransposes, DoubleMatchesDoublePrecisionProduct) {
    const auto [ta, tb, isa] = GetParam();
    for (const Shape& shape : shapes) {
        const Problem<double> problem(shape, ta, tb, shape.m + 3);
        expect_close(problem, problem.computed(0.5, {}), problem.expected(0.5, {}));
    }
}

// The AVX2 kernels pack a row-major A only when its rows lie a multiple of 4 KiB apart (then
// they would share L1 sets), through 8 × 8 register transposes with a scalar tail for the steps
// of k past a multiple of 8 (205 here) and zero rows below a partial sliver.
TEST_P(GemmTransposes, RowMajorAWithRowsAMultipleOf4KiBApart) {
    const auto [ta, tb, isa] = GetParam();
    if (ta == Transpose::yes) GTEST_SKIP() << "only a row-major A is read in place";
    const std::pair<Shape, std::size_t> cases[] = {{{20, 40, 256}, 1024}, {{37, 150, 205}, 1024}, {{13, 31, 57}, 2048}};
    for (const auto& [shape, row_length] : cases) {
        const Problem<float> problem(shape, ta, tb, shape.k + 19, row_length);
        const Epilogue<float> bias_relu{problem.bias.data(), true};
        expect_close(problem, problem.computed(0.0f, bias_relu), problem.expected(0.0f, bias_relu));
    }
}

INSTANTIATE_TEST_SUITE_P(AllTransposes, GemmTransposes,
                         ::testing::Combine(::testing::Values(Transpose::no, Transpose::yes),
                                            ::testing::Values(Transpose::no, Transpose::yes),
                                            ::testing::Values(Isa::portable, Isa::avx2_fma)));

class GemmThreads : public ::testing::Test {
protected:
    void TearDown() override { dense::set_num_threads(0); }
};

TEST_F(GemmThreads, ResultsAreBitIdenticalForOneToFourThreadsAndOnRepeat) {
    const Shape shapes_split[] = {{128, 256, 784}, {784, 256, 128}, {1, 256, 784}, {300, 70, 40}, {3, 128, 256}};
    for (const Shape& shape : shapes_split) {
        for (const Transpose trans_b : {Transpose::no, Transpose::yes}) {
            const Problem<float> problem(shape, Transpose::no, trans_b, 5);
            const Epilogue<float> epilogue{problem.bias.data(), true};
            dense::set_num_threads(1);
            const std::vector<float> single = problem.computed(1.0f, epilogue);
            for (std::size_t threads = 1; threads <= 4; ++threads) {
                dense::set_num_threads(threads);
                ASSERT_EQ(dense::num_threads(), threads);
                EXPECT_EQ(problem.computed(1.0f, epilogue), single) << threads << " threads";
                EXPECT_EQ(problem.computed(1.0f, epilogue), single) << threads << " threads, repeated";
            }
        }
    }
}

// A packed A (transposed, or row-major with rows 4 KiB apart) is packed once, by all threads, and
// shared by blocks of columns: rows past one MC block (300 > 144), a partial last sliver (m = 100,
// 301), three blocks of k (600), and an A too large to share (2050 × 2050 floats: one block a
// thread, each packing its own) all match the exact product and give the same bits on 1 to 3
// threads, for every AVX2 and portable kernel.
TEST_F(GemmThreads, ASharedOncePackedMatchesTheProductOnAnyThreadCount) {
    const std::pair<Shape, Transpose> cases[] = {{{300, 96, 128}, Transpose::yes}, {{100, 70, 600}, Transpose::yes},
                                                 {{301, 40, 1024}, Transpose::no}, {{2050, 20, 2050}, Transpose::yes}};
    for (const Isa isa : {Isa::portable, Isa::avx2_fma}) {
        if (isa == Isa::avx2_fma && dense::kernels::best_isa() != Isa::avx2_fma) continue;
        dense::kernels::use_isa(isa);
        for (const auto& [shape, ta] : cases) {
            const Problem<float> problem(shape, ta, Transpose::no, 9, ta == Transpose::no ? 1024 : 0);
            const Epilogue<float> epilogue{problem.bias.data(), true};
            dense::set_num_threads(1);
            const std::vector<float> single = problem.computed(0.0f, epilogue);
            expect_close(problem, single, problem.expected(0.0f, epilogue));
            for (std::size_t threads = 2; threads <= 3; ++threads) {
                dense::set_num_threads(threads);
                EXPECT_EQ(problem.computed(0.0f, epilogue), single) << shape.m << "×" << shape.n << "×" << shape.k
                                                                    << ", " << threads << " threads";
            }
        }
    }
    dense::kernels::use_isa(dense::kernels::best_isa());
}

// A product given a StableB packs B whole into it once and later products read that copy, with
// the same bits as products that pack B themselves: two Bs of the same shape taken in turn, each
// with its own PackedB (one with 3 blocks of k and 3 of columns) or both through one, which is
// then packed again at each change of B. A B changed under a new version is packed again; so is
// one whose blocking changes with the instruction set, under the same version.
TEST_F(GemmThreads, StableBReusesItsPackedBlocksWithoutChangingResults) {
    using dense::kernels::PackedB;
    using dense::kernels::StableB;
    dense::set_num_threads(2);
    for (const Shape shape : {Shape{256, 300, 700}, Shape{64, 2100, 1100}}) {
        for (const Transpose trans_b : {Transpose::no, Transpose::yes}) {
            Problem<float> first(shape, Transpose::no, trans_b, 11), second(shape, Transpose::no, trans_b, 12);
            const Epilogue<float> epilogue{first.bias.data(), true};
            const std::vector<float> first_alone = first.computed(0.0f, epilogue);
            const std::vector<float> second_alone = second.computed(0.0f, epilogue);
            PackedB<float> first_packed, second_packed, shared;
            for (int round = 0; round < 3; ++round) {
                EXPECT_EQ(first.computed(0.0f, epilogue, {&first_packed, 1}), first_alone) << "round " << round;
                EXPECT_EQ(second.computed(0.0f, epilogue, {&second_packed, 2}), second_alone) << "round " << round;
                EXPECT_EQ(first.computed(0.0f, epilogue, {&shared, 1}), first_alone) << "round " << round;
                EXPECT_EQ(second.computed(0.0f, epilogue, {&shared, 2}), second_alone) << "round " << round;
            }
            for (float& value : first.b) value = -value;
            expect_close(first, first.computed(0.0f, epilogue, {&first_packed, 3}), first.expected(0.0f, epilogue));
        }
    }
    if (dense::kernels::best_isa() != Isa::avx2_fma) return;
    // 784 deep: the AVX2 kernels read A in place, in 2 blocks of 392; the portable ones, in 4 of 196.
    const Problem<float> problem(Shape{256, 256, 784}, Transpose::no, Transpose::no, 13);
    PackedB<float> packed;
    EXPECT_EQ(problem.computed(0.0f, {}, {&packed, 4}), problem.computed(0.0f, {}));
    dense::kernels::use_isa(Isa::portable);
    const std::vector<float> portable = problem.computed(0.0f, {}, {&packed, 4});
    const std::vector<float> portable_alone = problem.computed(0.0f, {});
    dense::kernels::use_isa(dense::kernels::best_isa());
    EXPECT_EQ(portable, portable_alone);
    expect_close(problem, portable, problem.expected(0.0f, {}));
}

TEST_F(GemmThreads, ZeroRestoresTheDefaultCountOfCoresOrEnvironment) {
    const char* configured = std::getenv("DENSE_NUM_THREADS");
    const std::size_t expected = configured ? std::stoul(configured) : std::thread::hardware_concurrency();
    dense::set_num_threads(3);
    dense::set_num_threads(0);
    EXPECT_EQ(dense::num_threads(), expected);
}

TEST(Gemm, EmptyDepthLeavesBetaTimesCPlusEpilogue) {
    const std::vector<float> bias = {1.0f, -5.0f};
    std::vector<float> c = {2.0f, 3.0f};
    dense::kernels::gemm<float>(Transpose::no, Transpose::no, 1, 2, 0, nullptr, 0, nullptr, 2, 0.5f, c.data(), 2,
                                {bias.data(), true});
    EXPECT_EQ(c, (std::vector<float>{2.0f, 0.0f}));  // relu(0.5·2 + 1), relu(0.5·3 − 5)
}

TEST(Gemm, ZeroBetaIgnoresNanInTheOutput) {
    const std::vector<float> a = {2.0f}, b = {3.0f};
    std::vector<float> c = {std::nanf("")};
    dense::kernels::gemm(Transpose::no, Transpose::no, 1, 1, 1, a.data(), 1, b.data(), 1, 0.0f, c.data(), 1);
    EXPECT_EQ(c[0], 6.0f);
}

}  // namespace
