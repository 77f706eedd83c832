// fit / evaluate / predict / summary and the callbacks, against Keras' documented behaviour.
// Many tests compile with SGD(0): the weights then never move, so what fit logs can be checked
// against evaluate on known rows.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "progress_bar.hpp"
#include "test_support.hpp"

namespace dense {
namespace {

using testing::take_rows;
using testing::uniform_matrix;

const Matrix<float> kX = uniform_matrix<float>(10, 3, -1.0, 1.0, 1);
const Matrix<float> kY = uniform_matrix<float>(10, 2, -1.0, 1.0, 2);

Sequential frozen_model(std::vector<std::string> metrics = {}) {
    Sequential model({Dense(4, "tanh", {.input_dim = 3}), Dense(2)});
    model.compile(SGD(0.0), "mse", std::move(metrics));
    return model;
}

void expect_close(double actual, double expected, const char* what) {
    EXPECT_NEAR(actual, expected, 1e-6 * std::max(1.0, std::abs(expected))) << what;
}

TEST(Fit, ValidationSplitHoldsOutTheLastRowsAsKerasDoes) {
    Sequential model = frozen_model();
    const History history = model.fit(kX, kY, {.epochs = 1, .validation_split = 0.3, .verbose = 0});
    // 10 rows, split 0.3: rows 0–6 train, rows 7–9 validate.
    expect_close(history["loss"][0], model.evaluate(take_rows(kX, 0, 7), take_rows(kY, 0, 7)).at("loss"), "loss");
    expect_close(history["val_loss"][0], model.evaluate(take_rows(kX, 7, 3), take_rows(kY, 7, 3)).at("loss"),
                 "val_loss");
    EXPECT_NE(history["val_loss"][0], model.evaluate(take_rows(kX, 0, 3), take_rows(kY, 0, 3)).at("loss"));
}

TEST(Fit, ValidationDataIsEvaluatedAfterEachEpoch) {
    Sequential model = frozen_model({"mae"});
    const Matrix<float> vx = uniform_matrix<float>(4, 3, -1.0, 1.0, 3), vy = uniform_matrix<float>(4, 2, -1.0, 1.0, 4);
    const History history = model.fit(kX, kY, {.epochs = 2, .validation_data = std::pair{vx, vy}, .verbose = 0});
    const Logs expected = model.evaluate(vx, vy);
    for (int e = 0; e < 2; ++e) {
        expect_close(history["val_loss"][e], expected.at("loss"), "val_loss");
        expect_close(history["val_mae"][e], expected.at("mae"), "val_mae");
    }
}

TEST(Fit, HistoryHoldsLossMetricsAndTheirValidationTwinsPerEpoch) {
    Sequential model({Dense(4, "tanh", {.input_dim = 3}), Dense(2)});
    model.compile(Adam(0.01), "mse", {"mae", "rmse"});
    const History history = model.fit(kX, kY, {.epochs = 3, .batch_size = 4, .validation_split = 0.2, .verbose = 0});
    std::vector<std::string> keys;
    for (const auto& [key, values] : history.history) {
        keys.push_back(key);
        EXPECT_EQ(values.size(), 3u) << key;
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"loss", "mae", "rmse", "val_loss", "val_mae", "val_rmse"}));
    EXPECT_EQ(history.epoch, (std::vector<int>{0, 1, 2}));
    EXPECT_LT(history["loss"][2], history["loss"][0]);  // Adam learns something in three epochs

    Sequential plain = frozen_model();
    const History no_validation = plain.fit(kX, kY, {.epochs = 2, .verbose = 0});
    EXPECT_EQ(no_validation.history.size(), 1u);
    EXPECT_EQ(no_validation.history.count("loss"), 1u);
}

// record() walks the logs beside the history's columns; a key that first shows up in a later
// epoch, before or between known keys, must start its own column and leave the others alone.
TEST(History, RecordKeepsEachKeysValuesWhenKeysComeAndGo) {
    History history;
    history.record(0, {{"loss", 1.0}});
    history.record(1, {{"accuracy", 0.5}, {"loss", 2.0}});
    history.record(2, {{"accuracy", 0.6}, {"loss", 3.0}, {"val_loss", 4.0}});
    history.record(3, {{"loss", 5.0}, {"val_loss", 6.0}});
    EXPECT_EQ(history.epoch, (std::vector<int>{0, 1, 2, 3}));
    EXPECT_EQ(history["loss"], (std::vector<double>{1.0, 2.0, 3.0, 5.0}));
    EXPECT_EQ(history["accuracy"], (std::vector<double>{0.5, 0.6}));
    EXPECT_EQ(history["val_loss"], (std::vector<double>{4.0, 6.0}));
}

TEST(Fit, ASecondFitWithoutValidationLogsNoValidationKeys) {
    Sequential model = frozen_model();
    model.fit(kX, kY, {.epochs = 1, .validation_split = 0.2, .verbose = 0});
    const History second = model.fit(kX, kY, {.epochs = 1, .verbose = 0});
    EXPECT_EQ(second.history.count("val_loss"), 0u);
    EXPECT_EQ(second.history.size(), 1u);
}

// Metrics over the epoch equal their definitions computed by hand on the training rows.
TEST(Fit, LoggedMetricsMatchTheirDefinitions) {
    Sequential model = frozen_model({"mae", "mse", "rmse"});
    const History history = model.fit(kX, kY, {.epochs = 1, .batch_size = 3, .verbose = 0});
    const Matrix<float> p = model.predict(kX);
    double abs_sum = 0, sq_sum = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double e = double(p.data()[i]) - double(kY.data()[i]);
        abs_sum += std::abs(e);
        sq_sum += e * e;
    }
    const double n = double(p.size());
    expect_close(history["mae"][0], abs_sum / n, "mae");
    expect_close(history["mse"][0], sq_sum / n, "mse");
    expect_close(history["rmse"][0], std::sqrt(sq_sum / n), "rmse");
    expect_close(history["loss"][0], sq_sum / n, "loss = mse");  // batch losses weighted by batch size
}

// y = 2x + 1 on hand-picked rows; Keras 3 resets the metrics at the start of train_on_batch, and
// the step's forward pass (before the update) gives them.
TEST(TrainOnBatch, LogsHoldTheLossAndMetricsOfThisBatchBeforeItsUpdate) {
    Sequential model({Dense(1, {.input_dim = 1})});
    model.set_weights({Tensor<float>({1, 1}, {2}), Tensor<float>({1}, {1})});
    model.compile(SGD(0.1), "mse", {"mae"});
    const Logs first = model.train_on_batch_logs(Matrix<float>::column({1, 2}), Matrix<float>::column({3, 3}));
    EXPECT_EQ(first, (Logs{{"loss", 2.0}, {"mae", 1.0}}));  // errors 0 and 2, with w = 2, b = 1
    EXPECT_NE(model.get_weights()[0].values[0], 2.0f);

    model.set_weights({Tensor<float>({1, 1}, {2}), Tensor<float>({1}, {1})});
    const Logs second = model.train_on_batch_logs(Matrix<float>::column({0}), Matrix<float>::column({4}));
    EXPECT_EQ(second, (Logs{{"loss", 9.0}, {"mae", 3.0}}));  // error 3 alone, not (0 + 2 + 3) / 3
}

TEST(Fit, AccuracyFollowsTheLossAsInKeras) {
    // Binary: one sigmoid output, threshold 0.5.
    Sequential binary({Dense(1, "sigmoid", {.input_dim = 3})});
    binary.compile(SGD(0.0), "binary_crossentropy", {"accuracy"});
    Matrix<float> labels(10, 1);
    for (std::size_t r = 0; r < 10; ++r) labels(r, 0) = float(r % 2);
    const Matrix<float> p = binary.predict(kX);
    double correct = 0;
    for (std::size_t r = 0; r < 10; ++r) correct += (p(r, 0) > 0.5f) == (labels(r, 0) > 0.5f);
    expect_close(binary.evaluate(kX, labels).at("accuracy"), correct / 10, "binary accuracy");

    // Sparse categorical: argmax of the outputs against the class index.
    Sequential sparse({Dense(3, "softmax", {.input_dim = 3})});
    sparse.compile(SGD(0.0), "sparse_categorical_crossentropy", {"accuracy"});
    Matrix<float> classes(10, 1);
    for (std::size_t r = 0; r < 10; ++r) classes(r, 0) = float(r % 3);
    const Matrix<float> q = sparse.predict(kX);
    correct = 0;
    for (std::size_t r = 0; r < 10; ++r) {
        const auto row = q.row(r);
        correct += std::size_t(std::max_element(row.begin(), row.end()) - row.begin()) == std::size_t(classes(r, 0));
    }
    expect_close(sparse.evaluate(kX, classes).at("accuracy"), correct / 10, "sparse categorical accuracy");
}

TEST(Fit, InitialEpochResumesTheEpochCount) {
    Sequential model = frozen_model();
    std::vector<int> begun;
    auto lambda = std::make_shared<LambdaCallback>(
        LambdaCallbackHooks<float>{.on_epoch_begin = [&](Sequential&, int epoch) { begun.push_back(epoch); }});
    const History history = model.fit(kX, kY, {.epochs = 5, .initial_epoch = 3, .callbacks = {lambda}, .verbose = 0});
    EXPECT_EQ(history.epoch, (std::vector<int>{3, 4}));
    EXPECT_EQ(begun, (std::vector<int>{3, 4}));
    EXPECT_TRUE(model.fit(kX, kY, {.epochs = 0, .verbose = 0}).epoch.empty());
}

TEST(Fit, LambdaCallbackHooksRunInKerasOrder) {
    Sequential model = frozen_model();
    std::string trace;
    auto lambda = std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
        .on_train_begin = [&](Sequential&) { trace += "T"; },
        .on_epoch_begin = [&](Sequential&, int e) { trace += 'E', trace += std::to_string(e); },
        .on_train_batch_begin = [&](Sequential&, std::size_t b) { trace += 'B', trace += std::to_string(b); },
        .on_train_batch_end = [&](Sequential&, std::size_t b, const Logs& logs) {
            trace += 'b', trace += std::to_string(b);
            EXPECT_EQ(logs.count("loss"), 1u);
        },
        .on_epoch_end = [&](Sequential&, int e, const Logs&) { trace += 'e', trace += std::to_string(e); },
        .on_train_end = [&](Sequential&) { trace += "t"; }});
    model.fit(kX, kY, {.epochs = 2, .batch_size = 4, .callbacks = {lambda}, .verbose = 0});
    EXPECT_EQ(trace, "TE0B0b0B1b1B2b2e0E1B0b0B1b1B2b2e1t");  // 10 rows in batches of 4: 3 steps
}

// A callback that fits or compiles the model again would leave the fit that called it on another
// fit's rows or on freed buffers: it stops with a UsageError, and the inner call itself works.
TEST(Fit, ACallbackThatFitsOrCompilesTheModelAgainStopsTheFitThatCalledIt) {
    Sequential model = frozen_model();
    std::size_t inner_epochs = 0;
    auto refit = std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
        .on_epoch_end = [&](Sequential& m, int, const Logs&) {
            inner_epochs += m.fit(kX, kY, {.epochs = 1, .verbose = 0}).epoch.size();
        }});
    EXPECT_THROW(model.fit(kX, kY, {.epochs = 3, .callbacks = {refit}, .verbose = 0}), UsageError);
    EXPECT_EQ(inner_epochs, 1u);
    auto recompile = std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
        .on_train_batch_end = [&](Sequential& m, std::size_t, const Logs&) { m.compile(SGD(0.0), "mse"); }});
    EXPECT_THROW(model.fit(kX, kY, {.epochs = 2, .batch_size = 4, .callbacks = {recompile}, .verbose = 0}), UsageError);
    EXPECT_EQ(model.fit(kX, kY, {.epochs = 2, .verbose = 0}).epoch.size(), 2u);  // the model still trains
}

TEST(Fit, StopTrainingFromABatchHookEndsFitAfterThatBatch) {
    Sequential model = frozen_model();
    int batches = 0;
    auto stopper = std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
        .on_train_batch_end = [&](Sequential& m, std::size_t, const Logs&) {
            if (++batches == 2) m.stop_training = true;
        }});
    const History history = model.fit(kX, kY, {.epochs = 5, .batch_size = 2, .callbacks = {stopper}, .verbose = 0});
    EXPECT_EQ(batches, 2);
    EXPECT_EQ(history.epoch.size(), 1u);
}

// ---- EarlyStopping (keras/src/callbacks/early_stopping.py), driven epoch by epoch ----

struct Driven {
    Sequential model = frozen_model();
    template <class C>
    void epochs(C& callback, std::initializer_list<double> values, const char* key = "val_loss") {
        int epoch = 0;
        callback.on_train_begin(model);
        for (double v : values) {
            if (model.stop_training) break;
            callback.on_epoch_end(model, epoch++, Logs{{key, v}});
        }
    }
};

TEST(EarlyStopping, StopsAfterPatienceEpochsWithoutImprovement) {
    Driven d;
    EarlyStopping early({.patience = 2});
    d.epochs(early, {1.0, 0.9, 0.95, 0.96, 0.5});
    EXPECT_TRUE(d.model.stop_training);
    EXPECT_EQ(early.stopped_epoch(), 3);
    EXPECT_EQ(early.best_epoch(), 1);
}

// Keras starts from best = +∞ (−∞ in mode max), which a NaN does not beat (NaN < ∞ is false)
// and every later finite value does: a first epoch that logs NaN is no best to measure against.
// It used to become the best, nothing improved on it, and training stopped after `patience`.
TEST(EarlyStopping, AFirstNaNIsNoBestAndTheFollowingValuesImproveAsInKeras) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Driven d;
    EarlyStopping early({.patience = 1});
    d.epochs(early, {nan, 1.0, 0.9, 0.8});
    EXPECT_FALSE(d.model.stop_training);
    EXPECT_EQ(early.best_epoch(), 3);
    Driven maximizing;
    EarlyStopping accuracy({.monitor = "val_accuracy", .patience = 1});
    maximizing.epochs(accuracy, {nan, 0.5, 0.6}, "val_accuracy");
    EXPECT_FALSE(maximizing.model.stop_training);
    EXPECT_EQ(accuracy.best_epoch(), 2);
}

TEST(EarlyStopping, ImprovementsSmallerThanMinDeltaDoNotCount) {
    Driven d;
    EarlyStopping early({.min_delta = 0.05, .patience = 1});
    d.epochs(early, {1.0, 0.97, 0.5});  // 0.03 better is not better by more than 0.05
    EXPECT_EQ(early.stopped_epoch(), 1);
    Driven e;
    EarlyStopping loose({.min_delta = 0.01, .patience = 1});
    e.epochs(loose, {1.0, 0.97, 0.96, 0.5});
    EXPECT_EQ(loose.stopped_epoch(), 2);
}

TEST(EarlyStopping, ModeMaxAndAutoForAccuracyWaitForIncreases) {
    Driven d;
    EarlyStopping early({.monitor = "val_accuracy", .patience = 1});  // auto: "acc" → maximise
    d.epochs(early, {0.5, 0.6, 0.55, 0.9}, "val_accuracy");
    EXPECT_EQ(early.stopped_epoch(), 2);
    Driven e;
    EarlyStopping forced({.monitor = "val_loss", .patience = 1, .mode = "max"});
    e.epochs(forced, {0.5, 0.6, 0.7, 0.6});
    EXPECT_EQ(forced.stopped_epoch(), 3);
}

TEST(EarlyStopping, StartFromEpochIgnoresEarlierEpochs) {
    Driven d;
    EarlyStopping early({.patience = 1, .start_from_epoch = 2});
    d.epochs(early, {0.1, 0.2, 1.0, 0.9, 0.95});
    EXPECT_EQ(early.best_epoch(), 3);
    EXPECT_EQ(early.stopped_epoch(), 4);
}

TEST(EarlyStopping, RestoreBestWeightsPutsBackTheBestEpochsWeights) {
    Driven d;
    EarlyStopping early({.patience = 1, .restore_best_weights = true});
    early.on_train_begin(d.model);
    std::vector<std::vector<Tensor<float>>> seen;
    const double losses[] = {1.0, 0.4, 0.8, 0.9};
    for (int epoch = 0; epoch < 4 && !d.model.stop_training; ++epoch) {
        auto weights = d.model.get_weights();
        for (auto& w : weights)
            for (auto& v : w.values) v += float(epoch + 1);  // a different model each epoch
        d.model.set_weights(weights);
        seen.push_back(weights);
        early.on_epoch_end(d.model, epoch, {{"val_loss", losses[epoch]}});
    }
    early.on_train_end(d.model);
    EXPECT_EQ(early.stopped_epoch(), 2);
    EXPECT_EQ(d.model.get_weights(), seen[1]);
}

TEST(EarlyStopping, InFitStopsAConstantLossAfterPatiencePlusOneEpochs) {
    Sequential model = frozen_model();
    auto early = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "loss", .patience = 2});
    const History history = model.fit(kX, kY, {.epochs = 20, .callbacks = {early}, .verbose = 0});
    EXPECT_EQ(history.epoch.size(), 3u);
    EXPECT_EQ(early->stopped_epoch(), 2);
}

// ---- ReduceLROnPlateau (keras/src/callbacks/reduce_lr_on_plateau.py) ----

TEST(ReduceLROnPlateau, MultipliesTheRateByFactorAfterPatienceThenCoolsDown) {
    Sequential model({Dense(1, {.input_dim = 1})});
    model.compile(SGD(0.1), "mse");
    // Keras counts the cooldown down at the start of each epoch, before the plateau check: with
    // cooldown 2 one epoch after a reduction is skipped, then the wait starts again.
    ReduceLROnPlateau reduce({.factor = 0.5, .patience = 2, .cooldown = 2, .min_lr = 0.02});
    reduce.on_train_begin(model);
    const double losses[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    const double expected_lr[] = {0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02};
    for (int epoch = 0; epoch < 10; ++epoch) {
        reduce.on_epoch_end(model, epoch, {{"val_loss", losses[epoch]}});
        EXPECT_NEAR(model.optimizer().learning_rate(), expected_lr[epoch], 1e-12) << "after epoch " << epoch;
    }
}

TEST(ReduceLROnPlateau, ImprovementsBeyondMinDeltaResetTheWait) {
    Sequential model({Dense(1, {.input_dim = 1})});
    model.compile(SGD(0.1), "mse");
    ReduceLROnPlateau reduce({.factor = 0.1, .patience = 2, .min_delta = 0.01});
    reduce.on_train_begin(model);
    // 0.995 is not better than 1.0 by more than 0.01; 0.9 is.
    const double losses[] = {1.0, 0.995, 0.9, 0.899, 0.898};
    const double expected_lr[] = {0.1, 0.1, 0.1, 0.1, 0.01};
    for (int epoch = 0; epoch < 5; ++epoch) {
        reduce.on_epoch_end(model, epoch, {{"val_loss", losses[epoch]}});
        EXPECT_NEAR(model.optimizer().learning_rate(), expected_lr[epoch], 1e-12) << "after epoch " << epoch;
    }
}

// Keras' best starts at +∞: a first epoch logging NaN does not improve on it (with patience 1 the
// rate drops at once, as in Keras), and the finite values after it improve and reset the wait.
// The NaN used to become the best and every later epoch a plateau: 0.1 → 0.05 → 0.025 → 0.0125.
TEST(ReduceLROnPlateau, AFirstNaNIsNoBestAndTheFollowingValuesImproveAsInKeras) {
    Sequential model({Dense(1, {.input_dim = 1})});
    model.compile(SGD(0.1), "mse");
    ReduceLROnPlateau reduce({.factor = 0.5, .patience = 1, .min_delta = 0.0});
    reduce.on_train_begin(model);
    const double losses[] = {std::numeric_limits<double>::quiet_NaN(), 1.0, 0.9, 0.8};
    for (int epoch = 0; epoch < 4; ++epoch) {
        reduce.on_epoch_end(model, epoch, {{"val_loss", losses[epoch]}});
        EXPECT_NEAR(model.optimizer().learning_rate(), 0.05, 1e-12) << "after epoch " << epoch;
    }
}

// Keras refuses to set the rate of an optimizer built with a LearningRateSchedule ("its learning
// rate is not settable"); a reduction used to replace the schedule with a constant, silently.
TEST(ReduceLROnPlateau, RefusesAnOptimizerWhoseRateFollowsASchedule) {
    Sequential model({Dense(1, {.input_dim = 1})});
    model.compile(SGD(LearningRate::cosine_decay(0.1, 100)), "mse");
    auto reduce = std::make_shared<ReduceLROnPlateau>(ReduceLROnPlateauOptions{.monitor = "loss", .patience = 0});
    const Matrix<float> x{{1}, {2}};
    try {
        model.fit(x, x, {.epochs = 3, .callbacks = {reduce}, .verbose = 0});
        FAIL() << "trained with a schedule and ReduceLROnPlateau";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("learning-rate schedule"), std::string::npos) << e.what();
    }
    EXPECT_EQ(model.optimizer().learning_rate_schedule().kind(), LearningRate::Kind::cosine_decay);
}

// ---- TerminateOnNaN ----

TEST(TerminateOnNaN, StopsAtTheFirstNonFiniteBatchLoss) {
    auto diverging = [](std::vector<std::shared_ptr<Callback>> callbacks, int& batches) {
        Sequential model({Dense(1, {.input_dim = 3})});
        model.compile(SGD(1e10), "mse");  // each step multiplies the weights by ~1e10: inf within a few
        auto counter = std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
            .on_train_batch_end = [&](Sequential&, std::size_t, const Logs&) { ++batches; }});
        callbacks.insert(callbacks.begin(), counter);
        return model.fit(kX, Matrix<float>(10, 1, 1.0f),
                         {.epochs = 4, .batch_size = 1, .shuffle = false, .callbacks = callbacks, .verbose = 0});
    };
    int unguarded_batches = 0, guarded_batches = 0;
    const History unguarded = diverging({}, unguarded_batches);
    EXPECT_EQ(unguarded.epoch.size(), 4u);
    EXPECT_FALSE(std::isfinite(unguarded["loss"].back()));
    const History guarded = diverging({std::make_shared<TerminateOnNaN>()}, guarded_batches);
    EXPECT_EQ(guarded.epoch.size(), 1u);
    EXPECT_LT(guarded_batches, 10);
    EXPECT_FALSE(std::isfinite(guarded["loss"].back()));
}

// ---- CSVLogger ----

TEST(CSVLogger, WritesAHeaderOfSortedKeysAndOneRowPerEpoch) {
    const auto path = std::filesystem::temp_directory_path() /
                      std::filesystem::path("dense_csv_logger_test.csv");
    Sequential model = frozen_model({"mae"});
    const History history =
        model.fit(kX, kY, {.epochs = 3, .validation_split = 0.2, .callbacks = {std::make_shared<CSVLogger>(path.string())},
                           .verbose = 0});
    std::ifstream in(path);
    std::string header;
    std::getline(in, header);
    EXPECT_EQ(header, "epoch,loss,mae,val_loss,val_mae");
    for (int epoch = 0; epoch < 3; ++epoch) {
        std::string line;
        ASSERT_TRUE(std::getline(in, line)) << "row for epoch " << epoch;
        std::stringstream row(line);
        std::string cell;
        std::getline(row, cell, ',');
        EXPECT_EQ(cell, std::to_string(epoch));
        for (const char* key : {"loss", "mae", "val_loss", "val_mae"}) {
            ASSERT_TRUE(std::getline(row, cell, ','));
            EXPECT_NEAR(std::stod(cell), history[key][std::size_t(epoch)], 1e-8 * std::abs(history[key][std::size_t(epoch)]))
                << key;
        }
    }
    std::string extra;
    EXPECT_FALSE(std::getline(in, extra));
    std::filesystem::remove(path);
}

// Keras writes the header only when it starts a file: appending to one keeps a single header.
TEST(CSVLogger, AppendingAddsRowsWithoutASecondHeader) {
    const auto path = std::filesystem::temp_directory_path() / "dense_csv_logger_append_test.csv";
    std::filesystem::remove(path);
    Sequential model = frozen_model();
    for (int run = 0; run < 2; ++run)
        model.fit(kX, kY, {.epochs = 2, .callbacks = {std::make_shared<CSVLogger>(path.string(), ',', true)}, .verbose = 0});
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0], "epoch,loss");
    for (std::size_t i = 1; i < 5; ++i) EXPECT_EQ(lines[i].substr(0, 2), i % 2 ? "0," : "1,") << lines[i];
    std::filesystem::remove(path);
}

// ---- progress display ----

// What `call` writes on std::cout.
template <class Call>
std::string captured_output(Call call) {
    std::ostringstream captured;
    std::streambuf* const original = std::cout.rdbuf(captured.rdbuf());
    call();
    std::cout.rdbuf(original);
    return captured.str();
}

std::string captured_fit_output(int verbose) {
    Sequential model = frozen_model({"mae"});
    return captured_output([&] { model.fit(kX, kY, {.epochs = 2, .validation_split = 0.2, .verbose = verbose}); });
}

TEST(Progress, VerboseZeroPrintsNothing) { EXPECT_EQ(captured_fit_output(0), ""); }

TEST(Progress, VerboseTwoPrintsOneLinePerEpochAfterItsHeading) {
    const std::string text = captured_fit_output(2);
    std::istringstream lines(text);
    std::string line;
    for (const char* heading : {"Epoch 1/2", "Epoch 2/2"}) {
        ASSERT_TRUE(std::getline(lines, line));
        EXPECT_EQ(line, heading);
        ASSERT_TRUE(std::getline(lines, line));
        EXPECT_EQ(line.rfind("1/1 - ", 0), 0u) << line;  // 8 training rows: one step
        for (const char* key : {"/step", " - loss: ", " - mae: ", " - val_loss: ", " - val_mae: "})
            EXPECT_NE(line.find(key), std::string::npos) << key << " in " << line;
    }
    EXPECT_FALSE(std::getline(lines, line));
}

// On a terminal the bar is redrawn with Keras' estimate of the time left: whole seconds, "0s" at
// the last step, as Keras' Progbar writes it ("%ds"), not in the units of a step's time.
TEST(Progress, TheRedrawnBarGivesTheTimeLeftAsKeras) {
    std::ostringstream out;
    detail::ProgressBar progress(out, 1, true);
    progress.begin(4);
    progress.step(4, {{"loss", 0.5}});
    std::string drawn = "\r4/4 ";
    for (int i = 0; i < 20; ++i) drawn += "\u2501";
    drawn += " 0s ";
    EXPECT_EQ(out.str().rfind(drawn, 0), 0u) << out.str();
}

// Keras' Progbar once evaluate or predict is done: 10 rows in batches of 4 are 3 steps;
// verbose=1 the full bar of 20 ━ (redrawn over the last on a terminal), verbose=2 the fields
// joined by " - ".
TEST(Progress, EvaluateAndPredictPrintKerasFinalLine) {
    Sequential model = frozen_model({"mae"});
    std::string bar = "3/3 ";
    for (int i = 0; i < 20; ++i) bar += "\u2501";
    bar += " 0s ";
    const std::string evaluated = captured_output([&] { model.evaluate(kX, kY, {.batch_size = 4, .verbose = 1}); });
    EXPECT_NE(evaluated.find(bar), std::string::npos) << evaluated;
    EXPECT_NE(evaluated.find("/step - loss: "), std::string::npos) << evaluated;
    EXPECT_NE(evaluated.find(" - mae: "), std::string::npos) << evaluated;
    const std::string semi = captured_output([&] { model.evaluate(kX, kY, {.batch_size = 4, .verbose = 2}); });
    EXPECT_EQ(semi.rfind("3/3 - 0s - ", 0), 0u) << semi;
    const std::string predicted = captured_output([&] { model.predict(kX, {.batch_size = 4, .verbose = 1}); });
    EXPECT_NE(predicted.find(bar), std::string::npos) << predicted;
    EXPECT_EQ(predicted.substr(predicted.size() - 6), "/step\n") << predicted;
    EXPECT_EQ(captured_output([&] { model.evaluate(kX, kY); model.predict(kX); }), "");  // verbose=0 by default
}

// ---- evaluate, predict, summary ----

TEST(Predict, BatchedPredictionEqualsOneBigBatch) {
    Sequential model({Dense(16, "relu", {.input_dim = 3}), Dense(2, "softmax")});
    model.build(3);
    const Matrix<float> x = uniform_matrix<float>(101, 3, -1.0, 1.0, 5);
    const Matrix<float> whole = model.predict(x, {.batch_size = 1000});
    for (std::size_t batch : {1, 7, 32, 100}) {
        const Matrix<float> batched = model.predict(x, {.batch_size = batch});
        ASSERT_EQ(batched.rows(), 101u);
        for (std::size_t i = 0; i < whole.size(); ++i)
            EXPECT_NEAR(batched.data()[i], whole.data()[i], 1e-6f) << "batch size " << batch << ", value " << i;
    }
}

TEST(Predict, BatchedEvaluationEqualsOneBigBatch) {
    Sequential model({Dense(8, "tanh", {.input_dim = 3}), Dense(2)});
    model.compile(Adam(), "mse", {"mae", "rmse"});
    const Matrix<float> x = uniform_matrix<float>(53, 3, -1.0, 1.0, 6), y = uniform_matrix<float>(53, 2, -1.0, 1.0, 7);
    const Logs whole = model.evaluate(x, y, {.batch_size = 1000});
    for (std::size_t batch : {1, 5, 32}) {
        const Logs batched = model.evaluate(x, y, {.batch_size = batch});
        for (const auto& [key, value] : whole) expect_close(batched.at(key), value, key.c_str());
    }
}

// predict_into(x, x) writes each batch's outputs over its own rows after computing them: in place
// when the model's output is as wide as its input; otherwise a UsageError says so, where x used to
// be reshaped under the layers ("layer 'dense' expects 3 input features, got a batch of shape [2, 5]").
TEST(Predict, IntoItsOwnInputInPlaceOnlyWhenTheOutputIsAsWide) {
    const Matrix<float> x = uniform_matrix<float>(70, 3, -1.0, 1.0, 4);
    Sequential same_width({Dense(8, "tanh", {.input_dim = 3}), Dense(3)});
    Matrix<float> in_place = x;
    same_width.predict_into(in_place, in_place, 32);
    EXPECT_EQ(in_place, same_width.predict(x));
    Sequential wider({Dense(5, {.input_dim = 3})});
    Matrix<float> aliased = x;
    try {
        wider.predict_into(aliased, aliased);
        FAIL() << "predicted 5 outputs into the 3-column input";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("out is x itself"), std::string::npos) << e.what();
    }
    EXPECT_EQ(aliased, x);
}

TEST(Predict, DropoutIsInactiveAtInference) {
    Sequential model({Dense(8, {.input_dim = 3}), Dropout(0.5), Dense(2)});
    model.build(3);
    EXPECT_EQ(model.predict(kX), model.predict(kX));
    Sequential without({Dense(8, {.input_dim = 3}), Dense(2)});
    without.build(3);
    without.set_weights(model.get_weights());
    EXPECT_EQ(model.predict(kX), without.predict(kX));
}

TEST(Summary, ListsEachLayerWithInputsTimesUnitsPlusUnitsParameters) {
    Sequential model({Dense(4, "relu", {.input_dim = 3}), Dropout(0.2), Dense(2, {.use_bias = false}), Dense(5)});
    model.build(3);
    const std::string text = model.summary();
    const std::size_t first = 3 * 4 + 4, second = 4 * 2, third = 2 * 5 + 5;
    auto cell = [](std::size_t n) { return std::string(1, ' ').append(std::to_string(n)).append(" "); };
    auto row_of = [&](const std::string& name) {
        const auto at = text.find(name);
        EXPECT_NE(at, std::string::npos) << name;
        return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
    };
    EXPECT_NE(row_of("dense (Dense)").find("(None, 4)"), std::string::npos);
    EXPECT_NE(row_of("dense (Dense)").find(cell(first)), std::string::npos);
    EXPECT_NE(row_of("dropout (Dropout)").find(" 0 "), std::string::npos);
    EXPECT_NE(row_of("dense_1 (Dense)").find(cell(second)), std::string::npos);
    EXPECT_NE(row_of("dense_2 (Dense)").find("(None, 5)"), std::string::npos);
    EXPECT_NE(row_of("dense_2 (Dense)").find(cell(third)), std::string::npos);
    const std::size_t total = first + second + third;
    EXPECT_NE(text.find(std::string("Total params:").append(cell(total)).append("(")), std::string::npos) << text;
    EXPECT_NE(text.find(std::string("Trainable params:").append(cell(total))), std::string::npos);
    EXPECT_NE(text.find("Non-trainable params: 0"), std::string::npos);
    EXPECT_EQ(model.parameter_count(), total);
}

TEST(Summary, GetWeightsUsesKerasShapesKernelInputsByUnits) {
    Sequential model({Dense(4, {.input_dim = 3}), Dense(2, {.use_bias = false})});
    model.build(3);
    const auto weights = model.get_weights();
    ASSERT_EQ(weights.size(), 3u);
    EXPECT_EQ(weights[0].shape, (std::vector<std::size_t>{3, 4}));
    EXPECT_EQ(weights[1].shape, (std::vector<std::size_t>{4}));
    EXPECT_EQ(weights[2].shape, (std::vector<std::size_t>{4, 2}));
    // Row-major [inputs, units]: y = x·W, so x = e₀ picks the kernel's first row (plus bias 0).
    Sequential single({Dense(3, {.input_dim = 2})});
    single.build(2);
    single.set_weights({Tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6}), Tensor<float>({3}, {0.5f, 0, 0})});
    const Matrix<float> y = single.predict(Matrix<float>{{1, 0}, {0, 1}});
    EXPECT_EQ(y, (Matrix<float>{{1.5f, 2, 3}, {4.5f, 5, 6}}));
}

// A model starting with a layer without weights (Keras' input dropout) and no input_dim takes the
// input width from the first kernel, as one starting with a Dense layer does: the weights set are
// the ones it predicts with, y = relu(x)·W + b by hand.
TEST(Predict, SetWeightsOnAnUnbuiltModelStartingWithoutWeightsIsWhatItPredictsWith) {
    const Matrix<float> x{{1, -2}, {3, 4}};
    const std::vector<Tensor<float>> weights{Tensor<float>({2, 1}, {10, 100}), Tensor<float>({1}, {1000})};
    Sequential dropout_first({Dropout(0.2), Dense(1)});
    dropout_first.set_weights(weights);
    EXPECT_TRUE(dropout_first.built());
    EXPECT_EQ(dropout_first.get_weights(), weights);
    EXPECT_EQ(dropout_first.predict(x), (Matrix<float>{{1 * 10 - 2 * 100 + 1000}, {3 * 10 + 4 * 100 + 1000}}));
    Sequential relu_first({ActivationLayer("relu"), Dense(1)});
    relu_first.set_weights(weights);
    EXPECT_EQ(relu_first.predict(x), (Matrix<float>{{1 * 10 + 0 * 100 + 1000}, {3 * 10 + 4 * 100 + 1000}}));
}

// Keras builds a model whose input shape is declared at once: its weights and summary are there
// before compile, with the initial values one build() draws (the same seed, layer by layer, also
// for a layer added later).
TEST(Summary, AModelWithADeclaredInputWidthIsBuiltBeforeCompileAsInKeras) {
    Sequential declared({Dense(4, "relu", {.input_dim = 3})}, {.seed = 5});
    declared.add(Dense(2));
    EXPECT_TRUE(declared.built());
    const auto weights = declared.get_weights();
    ASSERT_EQ(weights.size(), 4u);
    EXPECT_EQ(weights[0].shape, (std::vector<std::size_t>{3, 4}));
    EXPECT_EQ(weights[2].shape, (std::vector<std::size_t>{4, 2}));
    EXPECT_EQ(declared.parameter_count(), 3u * 4 + 4 + 4 * 2 + 2);
    EXPECT_NE(declared.summary().find("(None, 2)"), std::string::npos) << declared.summary();
    Sequential built_at_once({Dense(4, "relu"), Dense(2)}, {.seed = 5});
    built_at_once.build(3);
    EXPECT_EQ(weights, built_at_once.get_weights());
    declared.compile(Adam(), "mse");
    EXPECT_EQ(declared.get_weights(), weights);
}

TEST(Summary, AnUnbuiltModelHasNoWeightsAsInKeras) {
    const Sequential model({Dense(3), Dense(2)});
    EXPECT_TRUE(model.get_weights().empty());
    EXPECT_TRUE(model.layer(0).get_weights().empty());
    EXPECT_EQ(model.layer(1).parameter_count(), 0u);
}

}  // namespace
}  // namespace dense
