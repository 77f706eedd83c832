// Callback state: a fit that stops after N epochs and continues from the saved states of its
// EarlyStopping and ReduceLROnPlateau ends where one uninterrupted fit ends — same stop epoch,
// same learning rate, same weights.
#include <gtest/gtest.h>

#include "dense/dense.hpp"
#include "test_support.hpp"

namespace dense {
namespace {

struct Data {
    Matrix<float> x, y;
};

Data noisy_regression() {
    const auto x = testing::uniform_matrix<float>(64, 3, -1, 1, 11);
    Matrix<float> y(64, 1);
    Rng noise(3);
    for (std::size_t r = 0; r < 64; ++r) y(r, 0) = x(r, 0) - 2 * x(r, 1) * x(r, 2) + float(0.5 * noise.normal());
    return {x, y};
}

Sequential model() {
    Sequential m({Dense(16, "relu", {.input_dim = 3}), Dense(1)}, {.seed = 9});
    m.compile(Adam(0.02), "mse");
    return m;
}

struct Outcome {
    std::vector<Tensor<float>> weights;
    double learning_rate;
    int stopped_epoch;
};

// Trains to the end, or stops after `pause` epochs and continues with fresh callbacks given the
// saved states (and a copy of the model, as a checkpoint file would give).
Outcome run(int pause) {
    const Data d = noisy_regression();
    auto make_callbacks = [] {
        return std::pair{std::make_shared<EarlyStopping>(EarlyStoppingOptions{.patience = 8, .restore_best_weights = true}),
                         std::make_shared<ReduceLROnPlateau>(ReduceLROnPlateauOptions{.factor = 0.5, .patience = 2})};
    };
    FitOptions<float> fit{.epochs = 200, .batch_size = 16, .validation_split = 0.25, .verbose = 0, .seed = 4};
    Sequential m = model();
    auto [stop, plateau] = make_callbacks();
    fit.callbacks = {stop, plateau};
    if (pause == 0) {
        m.fit(d.x, d.y, fit);
        return {m.get_weights(), m.optimizer().learning_rate(), stop->stopped_epoch()};
    }
    // What a checkpoint written at the end of epoch `pause` holds: the model and both states.
    std::optional<Sequential> snapshot;
    std::optional<CallbackState> stop_state, plateau_state;
    auto first = fit;
    first.callbacks = {stop, plateau, std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
                                          .on_epoch_end = [&](Sequential& s, int epoch, const Logs&) {
                                              if (epoch + 1 != pause) return;
                                              snapshot = s;
                                              stop_state = stop->state();
                                              plateau_state = plateau->state();
                                              s.stop_training = true;
                                          }})};
    m.fit(d.x, d.y, first);
    Sequential resumed = *snapshot;
    auto [stop2, plateau2] = make_callbacks();
    stop2->restore_state(*stop_state);
    plateau2->restore_state(*plateau_state);
    fit.callbacks = {stop2, plateau2};
    fit.initial_epoch = pause;
    resumed.fit(d.x, d.y, fit);
    return {resumed.get_weights(), resumed.optimizer().learning_rate(), stop2->stopped_epoch()};
}

TEST(CallbackState, ResumedFitStopsWhereAnUninterruptedOneStops) {
    const Outcome whole = run(0);
    ASSERT_GT(whole.stopped_epoch, 6) << "the case must stop late enough to be paused on the way";
    EXPECT_LT(whole.learning_rate, 0.02) << "the case must reduce the learning rate on the way";
    for (int pause : {2, whole.stopped_epoch - 2, whole.stopped_epoch - 1}) {
        const Outcome resumed = run(pause);
        EXPECT_EQ(resumed.stopped_epoch, whole.stopped_epoch) << "paused after " << pause;
        EXPECT_EQ(resumed.learning_rate, whole.learning_rate) << "paused after " << pause;
        EXPECT_EQ(resumed.weights, whole.weights) << "paused after " << pause;
    }
}

TEST(CallbackState, AStoppedStateTrainsNoFurtherAndRestoresTheBest) {
    const Data d = noisy_regression();
    Sequential m = model();
    auto stop = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.patience = 2, .restore_best_weights = true});
    m.fit(d.x, d.y, {.epochs = 200, .validation_split = 0.25, .callbacks = {stop}, .verbose = 0, .seed = 4});
    ASSERT_GE(stop->stopped_epoch(), 0);
    const auto kept = m.get_weights();
    auto again = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.patience = 2, .restore_best_weights = true});
    again->restore_state(*stop->state());
    const auto history = m.fit(d.x, d.y, {.epochs = 200, .validation_split = 0.25, .initial_epoch = stop->stopped_epoch() + 1,
                                          .callbacks = {again}, .verbose = 0, .seed = 4});
    EXPECT_TRUE(history.epoch.empty());
    EXPECT_EQ(m.get_weights(), kept);
}

TEST(CallbackState, StateOfAnotherCallbackIsRefused) {
    EarlyStopping stop;
    ReduceLROnPlateau plateau;
    EXPECT_THROW(stop.restore_state(*plateau.state()), UsageError);
    EXPECT_THROW(plateau.restore_state(*stop.state()), UsageError);
}

}  // namespace
}  // namespace dense
