// Optimizers, gradient clipping and learning-rate schedules against Keras 3's update equations
// (keras/src/optimizers/*.py), re-derived step by step in plain double arithmetic below, and
// against the worked examples printed in Keras' docstrings.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <memory>
#include <utility>
#include <numbers>
#include <vector>

#include "test_support.hpp"

namespace dense {
namespace {

using Values = std::vector<std::vector<double>>;  // one vector per parameter

// Three steps on fixed, different gradients. The middle element is tiny so that where ε is
// added (to √v, not to the bias-corrected √v̂) changes the result, and the second step's
// gradients are smaller than the first's so that amsgrad's max(v̂, v) differs from v.
const Values kStart = {{1.0, -0.5, 0.25}, {0.75, -2.0}};
const std::vector<Values> kGradients = {
    {{0.5, -1e-6, 2.0}, {0.3, -0.7}},
    {{0.1, 3e-6, -0.3}, {-0.05, 0.2}},
    {{-0.4, -2e-6, 0.05}, {0.6, 0.01}},
};

// Applies the optimizer to kStart with kGradients; the weights after each step.
std::vector<Values> run_steps(BasicOptimizer<double>& optimizer, Values w = kStart,
                              const std::vector<Values>& gradients = kGradients) {
    std::vector<Values> trajectory;
    for (const Values& step_gradients : gradients) {
        Values g = step_gradients;  // clipping rewrites gradients in place
        std::vector<Parameter<double>> parameters;
        for (std::size_t k = 0; k < w.size(); ++k) parameters.push_back({"p", w[k], g[k], {}});
        optimizer.apply(parameters);
        trajectory.push_back(w);
    }
    return trajectory;
}

// The hand-computed trajectory: `update(w, g, state_index, t)` changes one element.
template <class Update>
std::vector<Values> reference(Update update, const std::vector<Values>& gradients = kGradients) {
    Values w = kStart;
    std::vector<Values> trajectory;
    for (std::size_t step = 0; step < gradients.size(); ++step) {
        std::size_t index = 0;  // element index across all parameters, for per-element state
        for (std::size_t k = 0; k < w.size(); ++k)
            for (std::size_t i = 0; i < w[k].size(); ++i) update(w[k][i], gradients[step][k][i], index++, int(step) + 1);
        trajectory.push_back(w);
    }
    return trajectory;
}

void expect_trajectories_equal(const std::vector<Values>& actual, const std::vector<Values>& expected) {
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t s = 0; s < actual.size(); ++s)
        for (std::size_t k = 0; k < actual[s].size(); ++k)
            for (std::size_t i = 0; i < actual[s][k].size(); ++i)
                EXPECT_NEAR(actual[s][k][i], expected[s][k][i], 1e-12 * std::max(1.0, std::abs(expected[s][k][i])))
                    << "step " << s + 1 << ", parameter " << k << ", element " << i;
}

constexpr std::size_t kElements = 5;

TEST(SGD, PlainStepsAreLearningRateTimesGradient) {
    f64::SGD sgd(0.1);
    expect_trajectories_equal(run_steps(sgd), reference([](double& w, double g, std::size_t, int) { w -= 0.1 * g; }));
}

TEST(SGD, MomentumAccumulatesVelocity) {
    f64::SGD sgd(0.1, {.momentum = 0.9});
    std::vector<double> m(kElements, 0.0);
    expect_trajectories_equal(run_steps(sgd), reference([&](double& w, double g, std::size_t i, int) {
                                  m[i] = 0.9 * m[i] - 0.1 * g;  // m ← μ·m − lr·g
                                  w += m[i];
                              }));
}

TEST(SGD, NesterovLooksAheadAlongTheVelocity) {
    f64::SGD sgd(0.05, {.momentum = 0.8, .nesterov = true});
    std::vector<double> m(kElements, 0.0);
    expect_trajectories_equal(run_steps(sgd), reference([&](double& w, double g, std::size_t i, int) {
                                  m[i] = 0.8 * m[i] - 0.05 * g;
                                  w += 0.8 * m[i] - 0.05 * g;  // w ← w + μ·m − lr·g
                              }));
}

// Keras' docstring (tf.keras.optimizers.SGD): loss = var²/2 from var = 1 with lr 0.1 and
// momentum 0.9 moves var by 0.1, then by 0.18.
TEST(SGD, MomentumMatchesKerasDocstringExample) {
    f64::SGD sgd(0.1, {.momentum = 0.9});
    const auto trajectory = run_steps(sgd, {{1.0}}, {{{1.0}}, {{0.9}}});
    EXPECT_NEAR(1.0 - trajectory[0][0][0], 0.1, 1e-12);
    EXPECT_NEAR(trajectory[0][0][0] - trajectory[1][0][0], 0.18, 1e-12);
}

std::vector<Values> adam_reference(double lr, double b1, double b2, double eps, bool amsgrad, double weight_decay = 0) {
    std::vector<double> m(kElements, 0.0), v(kElements, 0.0), v_max(kElements, 0.0);
    return reference([=](double& w, double g, std::size_t i, int t) mutable {
        w -= w * weight_decay * lr;  // AdamW: decoupled decay before the step
        m[i] += (g - m[i]) * (1 - b1);
        v[i] += (g * g - v[i]) * (1 - b2);
        const double alpha = lr * std::sqrt(1 - std::pow(b2, t)) / (1 - std::pow(b1, t));
        v_max[i] = std::max(v_max[i], v[i]);
        w -= alpha * m[i] / (std::sqrt(amsgrad ? v_max[i] : v[i]) + eps);
    });
}

TEST(Adam, ThreeStepsFollowKerasEquationsWithBiasCorrection) {
    f64::Adam adam(0.01);
    expect_trajectories_equal(run_steps(adam), adam_reference(0.01, 0.9, 0.999, 1e-7, false));
}

TEST(Adam, NonDefaultBetasAndEpsilonAreUsed) {
    f64::Adam adam(0.02, {.beta_1 = 0.8, .beta_2 = 0.99, .epsilon = 1e-4});
    expect_trajectories_equal(run_steps(adam), adam_reference(0.02, 0.8, 0.99, 1e-4, false));
}

TEST(Adam, AmsgradDividesByTheLargestSecondMomentSoFar) {
    // β₂ = 0.5 lets v fall when the gradients shrink, so the max really matters.
    f64::Adam adam(0.01, {.beta_2 = 0.5, .amsgrad = true});
    const auto trajectory = run_steps(adam);
    expect_trajectories_equal(trajectory, adam_reference(0.01, 0.9, 0.5, 1e-7, true));
    EXPECT_GT(std::abs(trajectory[2][0][0] - adam_reference(0.01, 0.9, 0.5, 1e-7, false)[2][0][0]), 1e-4);
}

// Keras adds ε to √v before bias correction: the first step is lr·g / (|g| + ε/√(1 − β₂)),
// not lr·g / (|g| + ε) as in the paper's ε̂ placement. With g = 1e-6 the two differ fourfold.
TEST(Adam, EpsilonIsAddedToTheUncorrectedRootOfV) {
    f64::Adam adam(0.1);
    const auto trajectory = run_steps(adam, {{0.0}}, {{{1e-6}}});
    const double keras = 0.1 * 1e-6 / (1e-6 + 1e-7 / std::sqrt(0.001));
    EXPECT_NEAR(-trajectory[0][0][0], keras, 1e-15);
    EXPECT_NEAR(-trajectory[0][0][0], 0.02403, 1e-5);
}

// Keras' docstring (tf.keras.optimizers.Adam): loss = var²/2 from 10 with lr 0.1 → 9.9.
TEST(Adam, MatchesKerasDocstringExample) {
    f64::Adam adam(0.1);
    EXPECT_NEAR(run_steps(adam, {{10.0}}, {{{10.0}}})[0][0][0], 9.9, 1e-6);
}

TEST(AdamW, DecaysWeightsByLearningRateTimesDecayBeforeTheAdamStep) {
    f64::AdamW adamw(0.01, {.weight_decay = 0.1});
    expect_trajectories_equal(run_steps(adamw), adam_reference(0.01, 0.9, 0.999, 1e-7, false, 0.1));
}

TEST(AdamW, DefaultWeightDecayIsKeras0004) {
    f64::AdamW adamw;
    EXPECT_DOUBLE_EQ(adamw.weight_decay(), 0.004);
    expect_trajectories_equal(run_steps(adamw), adam_reference(0.001, 0.9, 0.999, 1e-7, false, 0.004));
}

std::vector<Values> rmsprop_reference(double lr, double rho, double momentum, bool centered) {
    std::vector<double> v(kElements, 0.0), mean_g(kElements, 0.0), m(kElements, 0.0);
    return reference([=](double& w, double g, std::size_t i, int) mutable {
        v[i] = rho * v[i] + (1 - rho) * g * g;
        double denominator = v[i] + 1e-7;
        if (centered) {
            mean_g[i] = rho * mean_g[i] + (1 - rho) * g;
            denominator = v[i] - mean_g[i] * mean_g[i] + 1e-7;
        }
        const double increment = lr * g / std::sqrt(denominator);
        if (momentum > 0) {
            m[i] = momentum * m[i] + increment;
            w -= m[i];
        } else {
            w -= increment;
        }
    });
}

TEST(RMSprop, PlainStepsFollowKerasEquations) {
    f64::RMSprop rmsprop(0.01);
    expect_trajectories_equal(run_steps(rmsprop), rmsprop_reference(0.01, 0.9, 0.0, false));
}

TEST(RMSprop, CenteredSubtractsTheSquaredMeanGradient) {
    f64::RMSprop rmsprop(0.01, {.rho = 0.8, .centered = true});
    expect_trajectories_equal(run_steps(rmsprop), rmsprop_reference(0.01, 0.8, 0.0, true));
}

TEST(RMSprop, MomentumAccumulatesIncrements) {
    f64::RMSprop rmsprop(0.01, {.momentum = 0.5});
    expect_trajectories_equal(run_steps(rmsprop), rmsprop_reference(0.01, 0.9, 0.5, false));
    f64::RMSprop both(0.01, {.momentum = 0.5, .centered = true});
    expect_trajectories_equal(run_steps(both), rmsprop_reference(0.01, 0.9, 0.5, true));
}

// Keras' docstring (tf.keras.optimizers.RMSprop): loss = var²/2 from 10 with lr 0.1 → 9.683772.
TEST(RMSprop, MatchesKerasDocstringExample) {
    f64::RMSprop rmsprop(0.1);
    EXPECT_NEAR(run_steps(rmsprop, {{10.0}}, {{{10.0}}})[0][0][0], 9.683772, 1e-6);
}

TEST(Adagrad, AccumulatesSquaredGradientsFromTheInitialValue) {
    f64::Adagrad adagrad(0.1);
    std::vector<double> a(kElements, 0.1);
    expect_trajectories_equal(run_steps(adagrad), reference([&](double& w, double g, std::size_t i, int) {
                                  a[i] += g * g;
                                  w -= 0.1 * g / std::sqrt(a[i] + 1e-7);
                              }));
}

TEST(Adagrad, UsesTheGivenInitialAccumulatorAndEpsilon) {
    f64::Adagrad adagrad(0.05, {.initial_accumulator_value = 0.5, .epsilon = 1e-3});
    std::vector<double> a(kElements, 0.5);
    expect_trajectories_equal(run_steps(adagrad), reference([&](double& w, double g, std::size_t i, int) {
                                  a[i] += g * g;
                                  w -= 0.05 * g / std::sqrt(a[i] + 1e-3);
                              }));
}

TEST(Nadam, ThreeStepsFollowKerasEquationsWithTheMomentumSchedule) {
    f64::Nadam nadam(0.01);
    const double b1 = 0.9, b2 = 0.999;
    std::vector<double> m(kElements, 0.0), v(kElements, 0.0);
    double product = 1.0;  // Π of μ up to the current step
    int product_step = 0;
    auto mu = [&](int t) { return b1 * (1 - 0.5 * std::pow(0.96, t)); };
    expect_trajectories_equal(run_steps(nadam), reference([&](double& w, double g, std::size_t i, int t) {
                                  if (product_step != t) product *= mu(t), product_step = t;  // once per step
                                  m[i] += (g - m[i]) * (1 - b1);
                                  v[i] += (g * g - v[i]) * (1 - b2);
                                  const double m_hat =
                                      mu(t + 1) * m[i] / (1 - product * mu(t + 1)) + (1 - mu(t)) * g / (1 - product);
                                  const double v_hat = v[i] / (1 - std::pow(b2, t));
                                  w -= 0.01 * m_hat / (std::sqrt(v_hat) + 1e-7);
                              }));
}

// Keras' docstring (tf.keras.optimizers.Nadam): loss = var²/2 from 10 with lr 0.2 → "9.8".
TEST(Nadam, MatchesKerasDocstringExample) {
    f64::Nadam nadam(0.2);
    EXPECT_NEAR(run_steps(nadam, {{10.0}}, {{{10.0}}})[0][0][0], 9.8, 0.05);
}

TEST(Optimizers, DefaultsAreKeras3Defaults) {
    EXPECT_DOUBLE_EQ(f64::SGD().learning_rate(), 0.01);
    EXPECT_DOUBLE_EQ(f64::SGD().options().momentum, 0.0);
    EXPECT_FALSE(f64::SGD().options().nesterov);
    EXPECT_DOUBLE_EQ(f64::Adam().learning_rate(), 0.001);
    EXPECT_DOUBLE_EQ(f64::Adam().options().beta_1, 0.9);
    EXPECT_DOUBLE_EQ(f64::Adam().options().beta_2, 0.999);
    EXPECT_DOUBLE_EQ(f64::Adam().options().epsilon, 1e-7);
    EXPECT_FALSE(f64::Adam().options().amsgrad);
    EXPECT_DOUBLE_EQ(f64::AdamW().learning_rate(), 0.001);
    EXPECT_DOUBLE_EQ(f64::RMSprop().learning_rate(), 0.001);
    EXPECT_DOUBLE_EQ(f64::RMSprop().options().rho, 0.9);
    EXPECT_DOUBLE_EQ(f64::RMSprop().options().epsilon, 1e-7);
    EXPECT_DOUBLE_EQ(f64::Adagrad().learning_rate(), 0.001);
    EXPECT_DOUBLE_EQ(f64::Adagrad().options().initial_accumulator_value, 0.1);
    EXPECT_DOUBLE_EQ(f64::Nadam().learning_rate(), 0.001);
    EXPECT_EQ(f64::Nadam().name(), "nadam");
}

// ---- gradient clipping (keras/src/optimizers/base_optimizer.py) ----

double norm(const std::vector<double>& g) {
    double sum = 0;
    for (double v : g) sum += v * v;
    return std::sqrt(sum);
}

// One SGD(1) step shows the clipped gradient: w₁ = w₀ − clip(g).
Values clipped_gradient(GradientClipping clipping, const Values& g) {
    f64::SGD sgd(1.0, {.clipping = clipping});
    const Values start = {{0.0, 0.0, 0.0}, {0.0, 0.0}};
    const auto after = run_steps(sgd, start, {g})[0];
    Values clipped = after;
    for (auto& p : clipped)
        for (auto& v : p) v = -v;
    return clipped;
}

void expect_values_near(const Values& actual, const Values& expected) {
    for (std::size_t k = 0; k < expected.size(); ++k)
        for (std::size_t i = 0; i < expected[k].size(); ++i) EXPECT_NEAR(actual[k][i], expected[k][i], 1e-14);
}

// Whatever an optimizer shares out over the pool (Adam splits a large block into ranges), every
// element is updated the same way: on 2 and 3 threads, blocks of 70 001, 3 and 40 000 values end
// exactly where they end on one.
TEST(Optimizers, UpdatesSplitOverThreadsEqualOneThread) {
    const std::size_t sizes[] = {70001, 3, 40000};
    auto trained = [&](BasicOptimizer<float>& optimizer, std::size_t threads) {
        set_num_threads(threads);
        Rng rng(5);
        std::vector<std::vector<float>> w, g;
        for (std::size_t n : sizes) {
            w.emplace_back(n), g.emplace_back(n);
            for (auto& v : w.back()) v = static_cast<float>(rng.uniform(-1.0, 1.0));
        }
        for (int step = 0; step < 3; ++step) {
            std::vector<Parameter<float>> parameters;
            for (std::size_t k = 0; k < w.size(); ++k) {
                for (auto& v : g[k]) v = static_cast<float>(rng.uniform(-1.0, 1.0));
                parameters.push_back({"p", w[k], g[k], {}});
            }
            optimizer.apply(parameters);
        }
        return w;
    };
    auto optimizers = [] {
        std::vector<std::unique_ptr<BasicOptimizer<float>>> all;
        all.push_back(std::make_unique<SGD>(0.1, SGDOptions{.momentum = 0.9, .nesterov = true}));
        all.push_back(std::make_unique<RMSprop>(0.01, RMSpropOptions{.momentum = 0.5, .centered = true}));
        all.push_back(std::make_unique<Adagrad>(0.01));
        all.push_back(std::make_unique<Adam>(0.01));
        all.push_back(std::make_unique<Adam>(0.01, AdamOptions{.amsgrad = true}));
        all.push_back(std::make_unique<AdamW>(0.01));
        all.push_back(std::make_unique<Nadam>(0.01));
        return all;
    };
    auto single = optimizers(), split_two = optimizers(), split_three = optimizers();
    for (std::size_t i = 0; i < single.size(); ++i) {
        const auto expected = trained(*single[i], 1);
        EXPECT_EQ(trained(*split_two[i], 2), expected) << single[i]->name();
        EXPECT_EQ(trained(*split_three[i], 3), expected) << single[i]->name();
    }
    set_num_threads(0);
}

TEST(GradientClipping, ClipnormRescalesEachGradientAboveTheNormOnItsOwn) {
    const Values g = {{3.0, -4.0, 0.0}, {0.3, 0.4}};  // norms 5 and 0.5
    const Values expected = {{3.0 / 5 * 2, -4.0 / 5 * 2, 0.0}, {0.3, 0.4}};
    expect_values_near(clipped_gradient({.clipnorm = 2.0}, g), expected);
}

TEST(GradientClipping, GlobalClipnormRescalesAllGradientsByTheirJointNorm) {
    const Values g = {{3.0, -4.0, 0.0}, {0.0, 12.0}};  // joint norm 13
    const double scale = 2.6 / 13.0;
    const Values expected = {{3.0 * scale, -4.0 * scale, 0.0}, {0.0, 12.0 * scale}};
    expect_values_near(clipped_gradient({.global_clipnorm = 2.6}, g), expected);
    // Below the threshold nothing changes.
    expect_values_near(clipped_gradient({.global_clipnorm = 20.0}, g), g);
    EXPECT_NEAR(norm(clipped_gradient({.global_clipnorm = 2.6}, g)[0]), 5 * scale, 1e-14);
}

TEST(GradientClipping, ClipvalueClampsEveryElement) {
    const Values g = {{3.0, -4.0, 0.1}, {-0.2, 0.6}};
    const Values expected = {{0.5, -0.5, 0.1}, {-0.2, 0.5}};
    expect_values_near(clipped_gradient({.clipvalue = 0.5}, g), expected);
}

TEST(GradientClipping, ClippedGradientFeedsTheAdamUpdate) {
    f64::Adam adam(0.01, {.clipping = {.clipvalue = 0.2}});
    std::vector<Values> clipped = kGradients;
    for (auto& step : clipped)
        for (auto& p : step)
            for (auto& v : p) v = std::clamp(v, -0.2, 0.2);
    std::vector<double> m(kElements, 0.0), v(kElements, 0.0);
    expect_trajectories_equal(run_steps(adam), reference(
                                                   [&](double& w, double g, std::size_t i, int t) {
                                                       m[i] += (g - m[i]) * 0.1;
                                                       v[i] += (g * g - v[i]) * 0.001;
                                                       const double alpha = 0.01 * std::sqrt(1 - std::pow(0.999, t)) /
                                                                            (1 - std::pow(0.9, t));
                                                       w -= alpha * m[i] / (std::sqrt(v[i]) + 1e-7);
                                                   },
                                                   clipped));
}

// Keras' optimizers raise in their constructor, before any step.
TEST(GradientClipping, MoreThanOneKindIsRejectedAsInKeras) {
    try {
        f64::SGD sgd(0.1, {.clipping = {.clipnorm = 1.0, .clipvalue = 1.0}});
        FAIL() << "expected a UsageError";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("only one of clipnorm, clipvalue and global_clipnorm"), std::string::npos);
    }
}

// State handed over with set_state carries on the trajectory exactly; state from a model whose
// parameters differ in size is refused with a DataError before any value is read or written.
TEST(OptimizerState, SetStateContinuesTheTrajectoryAndRefusesSlotsOfAnotherSize) {
    f64::Adam first(0.01);
    const std::vector<Values> whole = run_steps(first);
    f64::Adam interrupted(0.01);
    const std::vector<Values> one_step = run_steps(interrupted, kStart, {kGradients[0]});
    f64::Adam resumed(0.01);
    resumed.set_state(interrupted.state());
    const std::vector<Values> rest = run_steps(resumed, one_step.back(), {kGradients[1], kGradients[2]});
    expect_trajectories_equal(rest, {whole[1], whole[2]});

    f64::Adam mismatched(0.01);
    mismatched.set_state(interrupted.state());
    const Values other_sizes = {{1.0, -0.5, 0.25, 2.0}, {0.75, -2.0}};
    try {
        run_steps(mismatched, other_sizes, {{{0.1, 0.1, 0.1, 0.1}, {0.1, 0.1}}});
        FAIL() << "expected a DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("slot 0 of parameter 'p' holds 3 values, the parameter 4"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(mismatched.iterations(), 1) << "the refused step must not count";
}

// ---- learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py) ----

TEST(LearningRateSchedule, ExponentialDecayIsInitialTimesRateToTheStepRatio) {
    const auto lr = LearningRate::exponential_decay(0.1, 10, 0.5);
    for (int step : {0, 1, 5, 10, 25, 100}) EXPECT_NEAR(lr.at(step), 0.1 * std::pow(0.5, step / 10.0), 1e-15) << step;
}

// Expected (step, rate) pairs.
void expect_rates(const LearningRate& lr, std::initializer_list<std::pair<int, double>> expected) {
    for (const auto& [step, rate] : expected) EXPECT_DOUBLE_EQ(lr.at(step), rate) << "step " << step;
}

TEST(LearningRateSchedule, StaircaseExponentialDecayDropsOnlyEveryDecaySteps) {
    expect_rates(LearningRate::exponential_decay(0.1, 10, 0.5, true),
                 {{0, 0.1}, {9, 0.1}, {10, 0.05}, {19, 0.05}, {25, 0.025}});
}

TEST(LearningRateSchedule, CosineDecayFollowsHalfACosineDownToAlpha) {
    const auto lr = LearningRate::cosine_decay(0.1, 100, 0.2);
    for (int step : {0, 10, 50, 99, 100, 150}) {
        const double progress = std::min(step, 100) / 100.0;
        const double expected = 0.1 * (0.8 * 0.5 * (1 + std::cos(std::numbers::pi * progress)) + 0.2);
        EXPECT_NEAR(lr.at(step), expected, 1e-15) << step;
    }
    EXPECT_NEAR(lr.at(50), 0.1 * (0.8 * 0.5 + 0.2), 1e-15);
    EXPECT_NEAR(lr.at(1000), 0.02, 1e-15);  // stays at α·lr₀ after decay_steps
}

TEST(LearningRateSchedule, PiecewiseConstantSwitchesAfterEachBoundary) {
    // Keras: values[0] while step ≤ boundaries[0], values[1] while step ≤ boundaries[1], ...
    expect_rates(LearningRate::piecewise_constant({10, 20}, {1.0, 0.5, 0.1}),
                 {{0, 1.0}, {10, 1.0}, {11, 0.5}, {20, 0.5}, {21, 0.1}, {1000, 0.1}});
}

TEST(LearningRateSchedule, OptimizerEvaluatesTheScheduleAtItsZeroBasedIterationCount) {
    const auto schedule = LearningRate::exponential_decay(0.1, 1, 0.5);
    f64::SGD sgd(schedule);
    const auto trajectory = run_steps(sgd);
    expect_trajectories_equal(trajectory, reference([&](double& w, double g, std::size_t, int t) {
                                  w -= schedule.at(t - 1) * g;  // steps use lr(0), lr(1), lr(2)
                              }));
    EXPECT_EQ(sgd.iterations(), 3);
    EXPECT_DOUBLE_EQ(sgd.learning_rate(), 0.1 * 0.125);
}

TEST(LearningRateSchedule, InvalidArgumentsAreRejected) {
    EXPECT_THROW(LearningRate::exponential_decay(0.1, 0, 0.5), UsageError);
    EXPECT_THROW(LearningRate::cosine_decay(0.1, -1), UsageError);
    EXPECT_THROW(LearningRate::piecewise_constant({10, 20}, {1.0, 0.5}), UsageError);
    EXPECT_THROW(LearningRate::piecewise_constant({20, 10}, {1.0, 0.5, 0.1}), UsageError);
}

}  // namespace
}  // namespace dense
