// Initializers against Keras' definitions (keras/src/initializers/random_initializers.py):
// VarianceScaling with fan_in = inputs, fan_out = units of a [inputs, units] kernel.
//   uniform:  U(−limit, limit), limit = √(3·scale / fan)
//   normal:   N(0, σ) truncated at ±2σ, σ = √(scale / fan) / 0.87962566103423978 (so the
//             sample standard deviation is √(scale / fan))
// Sample statistics over 200 000 draws; the tolerances are several standard errors wide.
#include <algorithm>
#include <cmath>
#include <vector>

#include "test_support.hpp"

namespace dense {
namespace {

constexpr std::size_t kFanIn = 400, kFanOut = 500, kDraws = 200'000;

struct Sample {
    double min, max, mean, stddev;
};

Sample draw(const Initializer& initializer, std::uint64_t seed = 7, std::size_t fan_in = kFanIn,
            std::size_t fan_out = kFanOut) {
    std::vector<double> values(kDraws);
    Rng rng(seed);
    initializer.fill(std::span<double>(values), fan_in, fan_out, rng);
    double sum = 0, squares = 0;
    for (double v : values) sum += v;
    const double mean = sum / double(kDraws);
    for (double v : values) squares += (v - mean) * (v - mean);
    return {*std::min_element(values.begin(), values.end()), *std::max_element(values.begin(), values.end()), mean,
            std::sqrt(squares / double(kDraws - 1))};
}

// U(−limit, limit): every draw inside, the extremes close to the limit, σ = limit / √3.
// Relative standard error of a uniform sample's σ is √(0.8 / 4n) ≈ 0.1 %; we allow 0.6 %.
void expect_uniform(const Initializer& initializer, double low, double high) {
    const Sample s = draw(initializer);
    EXPECT_GE(s.min, low);
    EXPECT_LT(s.max, high);
    const double width = high - low;
    EXPECT_LT(s.min, low + width * 1e-3);   // 200 000 draws come within 0.1 % of each end
    EXPECT_GT(s.max, high - width * 1e-3);
    EXPECT_NEAR(s.mean, (low + high) / 2, 5 * width / std::sqrt(12.0 * kDraws));
    EXPECT_NEAR(s.stddev, width / std::sqrt(12.0), 0.006 * width / std::sqrt(12.0));
}

// Normal truncated at ±2σ_draw: |v − mean| ≤ 2σ_draw, sample standard deviation as given
// (relative standard error ≈ 0.15 %; we allow 1 %), mean within 5 standard errors.
void expect_truncated_normal(const Initializer& initializer, double mean, double draw_stddev, double sample_stddev) {
    const Sample s = draw(initializer);
    EXPECT_GE(s.min, mean - 2 * draw_stddev - 1e-12);
    EXPECT_LE(s.max, mean + 2 * draw_stddev + 1e-12);
    EXPECT_LT(s.min, mean - 1.99 * draw_stddev);  // the truncation point is reached, not a smaller one
    EXPECT_GT(s.max, mean + 1.99 * draw_stddev);
    EXPECT_NEAR(s.mean, mean, 5 * sample_stddev / std::sqrt(double(kDraws)));
    EXPECT_NEAR(s.stddev, sample_stddev, 0.01 * sample_stddev);
}

constexpr double kTruncation = 0.87962566103423978;  // σ of N(0, 1) truncated to [−2, 2]

TEST(Initializers, GlorotUniformLimitIsSqrtSixOverFanInPlusFanOut) {
    const double limit = std::sqrt(6.0 / (kFanIn + kFanOut));
    expect_uniform(Initializer("glorot_uniform"), -limit, limit);
}

TEST(Initializers, HeUniformLimitIsSqrtSixOverFanIn) {
    const double limit = std::sqrt(6.0 / kFanIn);
    expect_uniform(Initializer("he_uniform"), -limit, limit);
}

TEST(Initializers, LecunUniformLimitIsSqrtThreeOverFanIn) {
    const double limit = std::sqrt(3.0 / kFanIn);
    expect_uniform(Initializer("lecun_uniform"), -limit, limit);
}

TEST(Initializers, GlorotNormalIsTruncatedWithStddevSqrtTwoOverFanInPlusFanOut) {
    const double target = std::sqrt(2.0 / (kFanIn + kFanOut));
    expect_truncated_normal(Initializer("glorot_normal"), 0.0, target / kTruncation, target);
}

TEST(Initializers, HeNormalIsTruncatedWithStddevSqrtTwoOverFanIn) {
    const double target = std::sqrt(2.0 / kFanIn);
    expect_truncated_normal(Initializer("he_normal"), 0.0, target / kTruncation, target);
}

TEST(Initializers, LecunNormalIsTruncatedWithStddevSqrtOneOverFanIn) {
    const double target = std::sqrt(1.0 / kFanIn);
    expect_truncated_normal(Initializer("lecun_normal"), 0.0, target / kTruncation, target);
}

TEST(Initializers, RandomUniformDefaultsToPlusMinus005) {
    expect_uniform(Initializer("random_uniform"), -0.05, 0.05);
    expect_uniform(initializers::random_uniform(), -0.05, 0.05);
    expect_uniform(initializers::random_uniform(1.0, 3.0), 1.0, 3.0);
}

TEST(Initializers, RandomNormalDefaultsToMeanZeroStddev005) {
    const Sample s = draw(Initializer("random_normal"));
    EXPECT_NEAR(s.mean, 0.0, 5 * 0.05 / std::sqrt(double(kDraws)));
    EXPECT_NEAR(s.stddev, 0.05, 0.0005);
    EXPECT_LT(s.min, -0.05 * 3.5);  // not truncated: 200 000 normal draws pass 3.5σ
    const Sample shifted = draw(initializers::random_normal(2.0, 0.5));
    EXPECT_NEAR(shifted.mean, 2.0, 5 * 0.5 / std::sqrt(double(kDraws)));
    EXPECT_NEAR(shifted.stddev, 0.5, 0.005);
}

// Keras' TruncatedNormal draws N(mean, stddev) and redraws beyond 2·stddev, without the
// variance correction of VarianceScaling: the sample σ is 0.8796·stddev.
TEST(Initializers, TruncatedNormalDefaultsToStddev005CutAtTwoStddevs) {
    expect_truncated_normal(Initializer("truncated_normal"), 0.0, 0.05, 0.05 * kTruncation);
    expect_truncated_normal(initializers::truncated_normal(1.0, 0.2), 1.0, 0.2, 0.2 * kTruncation);
}

// Keras' RandomNormal(mean=1.0) keeps stddev 0.05 and RandomUniform(minval=-0.1) keeps maxval 0.05:
// a parameter left out takes its default alone. Both given as 0 are taken as given: U(0, 0) and
// N(0, 0) draw only 0 (they used to become the defaults, ±0.05 and 0.05).
TEST(Initializers, AParameterLeftOutTakesKerasDefaultAndZerosAreTakenAsGiven) {
    const Sample shifted = draw(Initializer(InitializerKind::random_normal, 1.0));
    EXPECT_NEAR(shifted.mean, 1.0, 5 * 0.05 / std::sqrt(double(kDraws)));
    EXPECT_NEAR(shifted.stddev, 0.05, 0.0005);
    expect_uniform(Initializer(InitializerKind::random_uniform, -0.1), -0.1, 0.05);
    for (const auto kind : {InitializerKind::random_uniform, InitializerKind::random_normal}) {
        const Sample zero = draw(Initializer(kind, 0.0, 0.0));
        EXPECT_EQ(zero.min, 0.0);
        EXPECT_EQ(zero.max, 0.0);
    }
}

TEST(Initializers, ZerosOnesAndConstantFillExactly) {
    for (auto [initializer, value] : {std::pair{Initializer("zeros"), 0.0}, std::pair{Initializer("ones"), 1.0},
                                      std::pair{initializers::constant(0.37), 0.37}}) {
        std::vector<double> values(10, -9.0);
        Rng rng(1);
        initializer.fill(std::span<double>(values), 3, 4, rng);
        for (double v : values) EXPECT_EQ(v, value) << initializer.name();
    }
}

TEST(Initializers, SameSeedGivesSameValuesAndOtherSeedsDiffer) {
    for (const char* name : {"glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform",
                             "lecun_normal", "random_uniform", "random_normal", "truncated_normal"}) {
        auto fill = [&](std::uint64_t seed) {
            std::vector<float> values(64);
            Rng rng(seed);
            Initializer(name).fill(std::span<float>(values), 8, 8, rng);
            return values;
        };
        EXPECT_EQ(fill(3), fill(3)) << name;
        EXPECT_NE(fill(3), fill(4)) << name;
    }
}

TEST(Initializers, UnknownNameIsAUsageErrorListingKnownNames) {
    try {
        Initializer("glorot");
        FAIL() << "expected a UsageError";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown initializer 'glorot'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("glorot_uniform"), std::string::npos);
    }
}

// Dense's defaults as Keras': kernel glorot_uniform over [inputs, units], bias zeros.
TEST(Initializers, DenseDefaultsToGlorotUniformKernelAndZeroBias) {
    Dense layer(300);
    Rng rng(9);
    layer.build(200, rng);
    const double limit = std::sqrt(6.0 / (200 + 300));
    const auto weights = layer.get_weights();
    ASSERT_EQ(weights[0].shape, (std::vector<std::size_t>{200, 300}));
    double largest = 0;
    for (float w : weights[0].values) largest = std::max(largest, std::abs(double(w)));
    EXPECT_LE(largest, limit);
    EXPECT_GT(largest, 0.99 * limit);
    for (float b : weights[1].values) EXPECT_EQ(b, 0.0f);
}

TEST(Initializers, ModelSeedFixesInitialWeights) {
    auto weights = [](std::uint64_t seed) {
        Sequential model({Dense(8, "relu", {.input_dim = 4}), Dense(2)}, {.seed = seed});
        model.build(4);
        return model.get_weights();
    };
    EXPECT_EQ(weights(1), weights(1));
    EXPECT_NE(weights(1), weights(2));
}

}  // namespace
}  // namespace dense
