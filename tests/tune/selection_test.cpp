// How a search picks and how its schedule grows: the one-standard-error rule on a constructed
// case, folds that keep every class, and a longer search that repeats a shorter one first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "dense/tune/tuner.hpp"
#include "tune/evaluation.hpp"
#include "tune_test_data.hpp"

namespace dense::tune {
namespace {

Trial trial(std::size_t index, double metric, double se, std::size_t parameters) {
    Trial t;
    t.index = index;
    t.metric = metric;
    t.metric_se = se;
    t.parameters = parameters;
    return t;
}

// Validation MSEs 1.00 ± 0.10 (407 parameters), 1.08 (31), 1.09 (11), 1.20 (5): the best's
// standard error allows up to 1.10, so the 11-parameter trial is the pick; 1.20 is beyond it.
TEST(OneStandardErrorRule, PicksTheSimplestTrialWithinOneStandardErrorOfTheBest) {
    const auto regression = Objective::for_task(io::Task::regression, Matrix<float>::column({0, 1}));
    const std::vector<Trial> ranked{trial(0, 1.00, 0.10, 407), trial(1, 1.08, 0.2, 31), trial(2, 1.09, 0.3, 11),
                                    trial(3, 1.20, 0.1, 5)};
    EXPECT_EQ(one_standard_error_pick(ranked, regression), 2u);
    EXPECT_EQ(one_standard_error_pick(ranked, regression, 0.0), 0u) << "no margin: the best itself";
    EXPECT_EQ(one_standard_error_pick(ranked, regression, 2.5), 3u);
}

// The case: a 407-parameter net beat a 31-parameter logistic model by one validation row
// of 100 (accuracy 0.95 vs 0.94; SE √(0.95·0.05/100) ≈ 0.022): the logistic model is the pick.
TEST(OneStandardErrorRule, OneValidationRowIsNoEvidence) {
    const auto classes = Objective::for_task(io::Task::classification, Matrix<float>::column({0, 1}));
    const std::vector<Trial> ranked{trial(4, 0.95, std::sqrt(0.95 * 0.05 / 100), 407), trial(0, 0.94, 0.024, 31),
                                    trial(7, 0.90, 0.03, 3)};
    EXPECT_EQ(one_standard_error_pick(ranked, classes), 1u);
}

TEST(Folds, EveryFoldHoldsTheShareOfEachClass) {
    Matrix<float> x(90, 1), y(90, 1);
    std::vector<std::size_t> classes(90);
    for (std::size_t r = 0; r < 90; ++r) classes[r] = r < 60 ? 0 : 1;  // sorted: 60 then 30
    for (std::size_t r = 0; r < 90; ++r) y(r, 0) = float(classes[r]);
    for (const auto& fold : make_folds(x, y, 3, 0.0, 5, classes)) {
        std::map<float, int> counts;
        for (float v : fold.y_val.values()) ++counts[v];
        EXPECT_EQ(counts[0.0f], 20);
        EXPECT_EQ(counts[1.0f], 10);
    }
    const auto single = make_folds(x, y, 1, 0.2, 5, classes).front();
    EXPECT_EQ(std::count(single.y_val.values().begin(), single.y_val.values().end(), 1.0f), 6);  // 20 % of 30
}

// A search of 40 trials (or of a time budget) runs the 20-trial default search first: every
// evaluation of the shorter search is in the longer one with the same numbers, so the longer
// one's best is at least as good.
TEST(LongerSearch, EvaluatesEveryTrialOfTheShorterOneAndEndsNoWorse) {
    const auto [x, y] = testing::blob_data(3, 240, 9);
    SearchSpace space = SearchSpace::for_data(x.rows());
    space.max_epochs = 9;
    const TunerOptions shorter{.max_trials = default_search_trials, .seed = 3, .threads = 2, .space = space};
    TunerOptions longer = shorter;
    longer.max_trials = 2 * default_search_trials;
    const auto short_result = Tuner(shorter).search(x, y);
    const auto long_result = Tuner(longer).search(x, y);
    for (const auto& t : short_result.trials) {
        const auto same = std::find_if(long_result.trials.begin(), long_result.trials.end(),
                                       [&](const Trial& u) { return u.index == t.index; });
        ASSERT_NE(same, long_result.trials.end()) << "trial " << t.index;
        if (same->epoch_budget == t.epoch_budget) { EXPECT_EQ(same->metric, t.metric) << "trial " << t.index; }
    }
    EXPECT_GE(long_result.best_trial().metric, short_result.best_trial().metric);
}

}  // namespace
}  // namespace dense::tune
