// TrialLog: what is written is read back; interrupted and foreign logs are handled.
#include "dense/tune/trial_log.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "dense/error.hpp"

namespace dense::tune {
namespace {

std::filesystem::path fresh_path(const std::string& name) {
    const auto path = std::filesystem::temp_directory_path() / ("dense_trial_log_test_" + name + ".jsonl");
    std::filesystem::remove(path);
    return path;
}

Trial sample_trial(std::size_t index, int budget) {
    Trial t;
    t.index = index;
    t.seed = 0xFEDCBA9876543210ull;
    t.hyperparameters = {.hidden_units = {12, 5}, .activation = "elu", .optimizer = "rmsprop",
                         .learning_rate = 0.0031622776601683794, .batch_size = 64, .dropout = 0.1, .l2 = 1e-5};
    t.epoch_budget = budget;
    t.epochs = budget - 1;
    t.best_epochs = budget - 3;
    t.metric = 0.123456789012345678;
    t.parameters = 91;
    t.seconds = 1.5;
    return t;
}

void append_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::app | std::ios::binary) << text;
}

TEST(TrialLog, ReadsBackExactlyWhatItWrote) {
    const auto path = fresh_path("round_trip");
    const Trial written = sample_trial(3, 9);
    Trial diverged = sample_trial(4, 9);
    diverged.metric = std::numeric_limits<double>::quiet_NaN();
    {
        TrialLog log(path, "abc", 1);
        log.append(written);
        log.append(diverged);
    }
    const TrialLog log(path, "abc", 1);
    ASSERT_EQ(log.size(), 2u);
    const auto read = log.find(3, 9);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->hyperparameters, written.hyperparameters);
    EXPECT_EQ(read->seed, written.seed);
    EXPECT_EQ(read->metric, written.metric);  // doubles round-trip exactly through JSON
    EXPECT_EQ(read->best_epochs, written.best_epochs);
    EXPECT_TRUE(log.find(4, 9)->diverged());
    EXPECT_FALSE(log.find(3, 27).has_value());
}

TEST(TrialLog, DropsALastLineCutShortByAnInterruption) {
    const auto path = fresh_path("cut");
    TrialLog(path, "abc", 1).append(sample_trial(0, 3));
    append_text(path, R"({"trial":1,"epoch_budget":3,"se)");
    const TrialLog log(path, "abc", 1);
    EXPECT_EQ(log.size(), 1u);
    TrialLog(path, "abc", 1).append(sample_trial(1, 3));
    EXPECT_EQ(TrialLog(path, "abc", 1).size(), 2u);
}

TEST(TrialLog, RefusesTheLogOfAnotherSearch) {
    const auto path = fresh_path("foreign");
    TrialLog(path, "abc", 1);
    EXPECT_THROW(TrialLog(path, "xyz", 1), UsageError);
}

TEST(TrialLog, ReportsAMalformedLineWithItsNumber) {
    const auto path = fresh_path("malformed");
    TrialLog(path, "abc", 1).append(sample_trial(0, 3));
    append_text(path, "not json\n");
    try {
        TrialLog log(path, "abc", 1);
        FAIL() << "a malformed line was accepted";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find(".jsonl:3"), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace dense::tune
