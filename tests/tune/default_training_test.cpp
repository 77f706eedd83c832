// dense train's default procedure as a library: early stopping that keeps the best epoch, the
// replayed learning rates of a refit, and the choice between a linear model and a network.
#include "dense/tune/default_training.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "dense/dense.hpp"
#include "dense/tune/hyperparameters.hpp"
#include "dense/tune/model_choice.hpp"
#include "dense/tune/network_average.hpp"

namespace dense::tune {
namespace {

// y = f(x) + noise for x uniform in [-2, 2].
template <class F>
std::pair<Matrix<float>, Matrix<float>> noisy(F f, std::size_t rows, double noise, std::uint64_t seed) {
    Rng rng(seed);
    Matrix<float> x(rows, 1), y(rows, 1);
    for (std::size_t r = 0; r < rows; ++r) {
        x(r, 0) = static_cast<float>(rng.uniform(-2.0, 2.0));
        y(r, 0) = static_cast<float>(f(x(r, 0)) + noise * rng.normal());
    }
    return {x, y};
}

Matrix<float> rows_of(const Matrix<float>& m, std::size_t begin, std::size_t end) {
    Matrix<float> out(end - begin, m.cols());
    for (std::size_t r = begin; r < end; ++r) std::ranges::copy(m.row(r), out.row(r - begin).begin());
    return out;
}

double mean_loss(Sequential& model, const Matrix<float>& x, const Matrix<float>& y) {
    const auto losses = row_losses(model.loss(), y, model.predict(x));
    return std::accumulate(losses.begin(), losses.end(), 0.0) / static_cast<double>(losses.size());
}

Candidate network(std::vector<std::size_t> hidden, std::uint64_t seed) {
    Hyperparameters h = default_network();
    h.hidden_units = std::move(hidden);
    return {h.hidden_units.empty() ? "linear model" : describe_architecture(h),
            make_model(h, 1, Objective{}, seed)};
}

// Pure noise on 60 rows: a 64-unit network fits the training rows ever better and the validation
// rows worse, so early stopping ends the run and restores the weights of the lowest val_loss.
TEST(DefaultTraining, EarlyStoppingKeepsTheWeightsOfTheLowestValidationLoss) {
    const auto [x, y] = noisy([](double) { return 0.0; }, 60, 1.0, 3);
    const auto x_train = rows_of(x, 0, 45), y_train = rows_of(y, 0, 45), x_val = rows_of(x, 45, 60), y_val = rows_of(y, 45, 60);
    auto candidate = network({64}, 5);
    const Fitter fit = [&](Sequential& model, FitOptions<float> options) {
        options.validation_data = {x_val, y_val};
        return model.fit(x_train, y_train, options);
    };
    const auto run = fit_until_stopped(candidate.model, fit, {.max_epochs = 400, .patience = 10, .seed = 7});

    const auto& val_loss = run.history.history.at("val_loss");
    const int lowest = static_cast<int>(std::ranges::min_element(val_loss) - val_loss.begin());
    ASSERT_GE(run.stopped_epoch, 0) << "pure noise: the validation loss stops improving";
    EXPECT_EQ(run.stopped_epoch, lowest + 10) << "ten epochs of patience after the best";
    EXPECT_EQ(run.kept_epoch, lowest);
    EXPECT_EQ(run.refit_epochs(), lowest + 1);
    EXPECT_EQ(run.epochs_done, static_cast<int>(val_loss.size()));
    EXPECT_EQ(run.learning_rates, std::vector<double>(val_loss.size(), 1e-3)) << "Adam's constant 1e-3";
    EXPECT_NEAR(mean_loss(candidate.model, x_val, y_val), val_loss[static_cast<std::size_t>(lowest)], 1e-5)
        << "the restored weights are the lowest val_loss epoch's";
}

TEST(DefaultTraining, ARefitTrainsEachEpochAtTheRateTheValidatedRunUsed) {
    const auto [x, y] = noisy([](double v) { return 2.0 * v + 3.0; }, 40, 0.1, 4);
    auto candidate = network({}, 1);
    std::vector<double> seen;
    const Fitter fit = [&](Sequential& model, FitOptions<float> options) {
        options.callbacks.push_back(std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
            .on_epoch_begin = [&](Sequential& m, int) { seen.push_back(m.optimizer().learning_rate()); }}));
        return model.fit(x, y, options);
    };
    const std::vector<double> rates{0.1, 0.05, 0.025};
    replay_epochs(candidate.model, fit, 3, rates, {});
    ASSERT_EQ(seen.size(), 3u);
    for (std::size_t e = 0; e < 3; ++e) EXPECT_FLOAT_EQ(static_cast<float>(seen[e]), static_cast<float>(rates[e]));
}

// On a noisy line the network's validation loss is no better than the linear model's beyond one
// standard error, so the linear model is kept; on sin(3x) no line comes close.
TEST(DefaultTraining, KeepsTheLinearModelOnALineAndTheNetworkOnACurve) {
    const auto line = noisy([](double v) { return 2.0 * v + 3.0; }, 200, 0.5, 6);
    std::vector<Candidate> candidates;
    candidates.push_back(network({}, 8));
    candidates.push_back(network({64}, 8));
    const auto on_line = train_by_default(candidates, rows_of(line.first, 0, 160), rows_of(line.second, 0, 160),
                                          rows_of(line.first, 160, 200), rows_of(line.second, 160, 200), {.seed = 8}, false);
    EXPECT_EQ(on_line.choice.chosen, 0u) << on_line.choice.reason;
    EXPECT_EQ(on_line.choice.model.layer_count(), 1u);

    const auto curve = noisy([](double v) { return std::sin(3.0 * v); }, 200, 0.1, 6);
    auto on_curve = train_by_default(candidates, rows_of(curve.first, 0, 160), rows_of(curve.second, 0, 160),
                                     rows_of(curve.first, 160, 200), rows_of(curve.second, 160, 200), {.seed = 8}, true);
    EXPECT_EQ(on_curve.choice.chosen, 1u) << on_curve.choice.reason;
    EXPECT_TRUE(on_curve.refit);
    EXPECT_LT(mean_loss(on_curve.choice.model, curve.first, curve.second), 0.1) << "sin(3x) has variance 0.5";
}

std::vector<Candidate> line_and_network(std::uint64_t seed) {
    std::vector<Candidate> candidates;
    candidates.push_back(network({}, seed));
    candidates.push_back(network({64}, seed));
    return candidates;
}

TrainedByDefault on_curve(const DefaultTraining& training, bool refit) {
    const auto curve = noisy([](double v) { return std::sin(3.0 * v); }, 200, 0.1, 6);
    return train_by_default(line_and_network(8), rows_of(curve.first, 0, 160), rows_of(curve.second, 0, 160),
                            rows_of(curve.first, 160, 200), rows_of(curve.second, 160, 200), training, refit);
}

void expect_same_weights(const Sequential& a, const Sequential& b) {
    const auto wa = a.get_weights(), wb = b.get_weights();
    ASSERT_EQ(wa.size(), wb.size());
    for (std::size_t i = 0; i < wa.size(); ++i) EXPECT_EQ(wa[i].values, wb[i].values) << "weights " << i;
}

// Member 0 of an ensemble is the candidate itself with the run's seed: its run is the one a
// single network makes; the others start from weights of their own and end elsewhere.
TEST(DefaultTraining, AnEnsembleAveragesCopiesFromDifferentSeedsTheFirstBeingTheCandidate) {
    const auto single = on_curve({.seed = 8}, false);
    const auto three = on_curve({.seed = 8, .ensemble = 3}, false);
    ASSERT_EQ(three.choice.chosen, 1u) << three.choice.reason;
    ASSERT_EQ(three.choice.members.size(), 3u);
    EXPECT_EQ(three.choice.members[0].run.history.history.at("val_loss"), single.choice.run.history.history.at("val_loss"));
    EXPECT_NE(three.choice.members[1].seed, three.choice.members[0].seed);
    EXPECT_NE(three.choice.members[1].run.history.history.at("loss").front(),
              three.choice.members[0].run.history.history.at("loss").front())
        << "different initial weights";
    EXPECT_EQ(three.choice.model.layer(0).output_dim(), 3u * 64u);
    EXPECT_EQ(three.choice.name, "3 × 64 relu averaged into one network of 192 units");
    EXPECT_NE(three.choice.reason.find("3 × 64 relu averaged"), std::string::npos) << three.choice.reason;
}

// Same seed => the same bits, whether the copies train one after another or side by side.
TEST(DefaultTraining, AnEnsembleIsBitIdenticalOnAnyThreadCountAndFromRunToRun) {
    const auto one_thread = on_curve({.seed = 8, .ensemble = 3, .threads = 1}, true);
    const auto two_threads = on_curve({.seed = 8, .ensemble = 3, .threads = 2}, true);
    const auto again = on_curve({.seed = 8, .ensemble = 3, .threads = 2}, true);
    expect_same_weights(one_thread.choice.model, two_threads.choice.model);
    expect_same_weights(two_threads.choice.model, again.choice.model);
}

// The refit trains each copy again from its own initial weights for its own kept epochs.
TEST(DefaultTraining, AnEnsembleRefitAveragesEachCopyRefitForItsKeptEpochs) {
    auto trained = on_curve({.seed = 8, .ensemble = 2}, true);
    const auto curve = noisy([](double v) { return std::sin(3.0 * v); }, 200, 0.1, 6);
    std::vector<Sequential> refit;
    for (const auto& member : trained.choice.members) {
        Sequential model = member.initial;
        model.fit(curve.first, curve.second, {.epochs = member.run.refit_epochs(), .verbose = 0, .seed = member.seed});
        refit.push_back(std::move(model));
    }
    expect_same_weights(trained.choice.model, average_networks(refit));
    EXPECT_LT(mean_loss(trained.choice.model, curve.first, curve.second), 0.1) << "sin(3x) has variance 0.5";
}

// 160 training and 40 validation rows hold 1 + 4 folds of 40: copy 0 validates on the validation
// rows, the others on folds of the training rows; fewer copies use fewer folds, more wrap around.
TEST(DefaultTraining, EnsembleFoldsAreTheValidationRowsThenFoldsOfTheTrainingRows) {
    const auto folds = ensemble_folds(160, 40, 5, 3);
    ASSERT_EQ(folds.size(), 5u);
    std::vector<std::size_t> validation(40);
    std::iota(validation.begin(), validation.end(), std::size_t{160});
    EXPECT_EQ(folds[0], validation);
    std::vector<int> seen(160, 0);
    for (std::size_t f = 1; f < folds.size(); ++f) {
        EXPECT_EQ(folds[f].size(), 40u);
        for (auto r : folds[f]) {
            ASSERT_LT(r, 160u);
            ++seen[r];
        }
    }
    EXPECT_EQ(std::ranges::count(seen, 1), 160) << "every training row validates one copy";
    EXPECT_EQ(ensemble_folds(160, 40, 3, 3).size(), 3u);
    EXPECT_EQ(ensemble_folds(160, 40, 8, 3).size(), 5u);
    EXPECT_EQ(ensemble_folds(160, 40, 1, 3).size(), 1u);
    EXPECT_EQ(ensemble_folds(10, 40, 5, 3).size(), 1u) << "no fold of about 40 rows in 10";
    EXPECT_EQ(ensemble_folds(160, min_fold_rows - 1, 5, 3).size(), 1u) << "too few rows to judge early stopping";
    EXPECT_EQ(ensemble_folds(160, min_fold_rows, 5, 3).size(), 5u);
    EXPECT_EQ(ensemble_folds(160, 40, 5, 3), folds);
}

// Copy k of an ensemble trains on every row outside its fold and validates on the fold: its
// val_loss is that of the same network fit on those rows by hand; without folds (the default),
// every copy validates on the validation rows.
TEST(DefaultTraining, EachCopyOfAnEnsembleValidatesOnItsOwnFold) {
    const auto curve = noisy([](double v) { return std::sin(3.0 * v); }, 200, 0.1, 6);
    const auto trained = on_curve({.max_epochs = 30, .seed = 8, .ensemble = 3, .folds = true}, false);
    const auto folds = ensemble_folds(160, 40, 3, 8);
    ASSERT_EQ(trained.choice.members.size(), 3u);
    for (std::size_t k = 1; k < 3; ++k) {
        const auto& member = trained.choice.members[k];
        std::vector<std::size_t> inside;
        for (std::size_t r = 0; r < 200; ++r)
            if (!std::ranges::binary_search(folds[k], r)) inside.push_back(r);
        Matrix<float> x_fit(inside.size(), 1), y_fit(inside.size(), 1), x_fold(folds[k].size(), 1), y_fold(folds[k].size(), 1);
        for (std::size_t i = 0; i < inside.size(); ++i) x_fit(i, 0) = curve.first(inside[i], 0), y_fit(i, 0) = curve.second(inside[i], 0);
        for (std::size_t i = 0; i < folds[k].size(); ++i)
            x_fold(i, 0) = curve.first(folds[k][i], 0), y_fold(i, 0) = curve.second(folds[k][i], 0);
        Sequential by_hand = member.initial;
        const auto history = by_hand.fit(x_fit, y_fit, {.epochs = member.run.epochs_done, .validation_data = std::pair{x_fold, y_fold},
                                                        .verbose = 0, .seed = member.seed});
        EXPECT_EQ(member.run.history.history.at("val_loss"), history.history.at("val_loss")) << "copy " << k;
    }
    const auto together = on_curve({.max_epochs = 30, .seed = 8, .ensemble = 3}, false);
    Sequential by_hand = together.choice.members[1].initial;
    const auto history = by_hand.fit(rows_of(curve.first, 0, 160), rows_of(curve.second, 0, 160),
                                     {.epochs = together.choice.members[1].run.epochs_done,
                                      .validation_data = std::pair{rows_of(curve.first, 160, 200), rows_of(curve.second, 160, 200)},
                                      .verbose = 0, .seed = together.choice.members[1].seed});
    EXPECT_EQ(together.choice.members[1].run.history.history.at("val_loss"), history.history.at("val_loss"));
}

TEST(DefaultTraining, RefusesASplitWithoutTrainingOrValidationRows) {
    const auto [x, y] = noisy([](double v) { return v; }, 10, 0.1, 1);
    std::vector<Candidate> candidates;
    candidates.push_back(network({}, 1));
    const Matrix<float> none(0, 1);
    EXPECT_THROW(train_by_default(candidates, x, y, none, none, {}, false), UsageError);
    EXPECT_THROW(train_by_default({}, x, y, x, y, {}, false), UsageError);
}

}  // namespace
}  // namespace dense::tune
