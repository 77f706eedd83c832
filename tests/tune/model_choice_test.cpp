// choose_model: the one-standard-error rule on paired per-row losses, checked against differences
// and standard errors computed by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "dense/error.hpp"
#include "dense/tune/model_choice.hpp"

namespace dense::tune {
namespace {

// Per row, the network's loss is lower by 0.10, 0.30, −0.10, 0.10 (d = linear − network):
// d̄ = 0.1, s_d = √(((0)² + 0.2² + (−0.2)² + 0²)/3) = 0.1633, SE = s_d/√4 = 0.0816 < 0.1: the
// network wins by more than one standard error.
TEST(ModelChoice, KeepsTheComplexModelWhenItWinsByMoreThanOneStandardError) {
    const std::vector<ScoredModel> candidates{{"linear", 5, {1.0, 1.3, 0.9, 1.1}}, {"64 relu", 449, {0.9, 1.0, 1.0, 1.0}}};
    const auto choice = choose_model(candidates);
    EXPECT_EQ(choice.best, 1u);
    EXPECT_EQ(choice.chosen, 1u);
    EXPECT_NEAR(choice.difference, 0.1, 1e-12);
    EXPECT_NEAR(choice.standard_error, 0.0816497, 1e-6);
    EXPECT_NE(choice.reason(candidates).find("64 relu: validation loss lower than that of linear by more than one standard error: 0.1 ± 0.082"),
              std::string::npos)
        << choice.reason(candidates);
}

// d = 0.3, −0.2, 0.1, −0.1: d̄ = 0.025, s_d = √((0.275² + 0.225² + 0.075² + 0.125²)/3) = 0.2217,
// SE = 0.1109 > 0.025: within one standard error, so the simpler model is kept.
TEST(ModelChoice, PrefersTheSimplerModelWithinOneStandardError) {
    const std::vector<ScoredModel> candidates{{"64 relu", 449, {0.7, 1.2, 0.9, 1.1}}, {"linear", 5, {1.0, 1.0, 1.0, 1.0}}};
    const auto choice = choose_model(candidates);
    EXPECT_EQ(choice.best, 0u);
    EXPECT_EQ(choice.chosen, 1u);
    EXPECT_NEAR(choice.difference, 0.025, 1e-12);
    EXPECT_NEAR(choice.standard_error, 0.1108678, 1e-6);
    EXPECT_NE(choice.reason(candidates).find("linear: validation loss within one standard error of 64 relu: +0.025 ± 0.11"), std::string::npos);
}

// The simplest is also the best: the reason gives its margin over the runner-up (the lowest mean
// of the others, not the last or the most complex). d = 64 relu − linear = 0.1, 0.3, −0.1, 0.2:
// d̄ = 0.125, s_d = √((0.025² + 0.175² + 0.225² + 0.075²)/3) = 0.17078, SE = 0.085391.
TEST(ModelChoice, TheSimplestBestSaysByHowMuchItBeatTheRunnerUp) {
    const std::vector<ScoredModel> candidates{{"linear", 5, {1.0, 1.0, 1.0, 1.0}},
                                              {"64 relu", 449, {1.1, 1.3, 0.9, 1.2}},
                                              {"2 × 64 relu", 4609, {2.0, 2.0, 2.0, 2.0}}};
    const auto choice = choose_model(candidates);
    EXPECT_EQ(choice.chosen, 0u);
    EXPECT_EQ(choice.compared, 1u);
    EXPECT_NEAR(choice.difference, 0.125, 1e-12);
    EXPECT_NEAR(choice.standard_error, 0.0853913, 1e-6);
    EXPECT_EQ(choice.reason(candidates), "linear: the lowest validation loss, 0.13 ± 0.085 per row below 64 relu");
    EXPECT_EQ(choose_model({candidates[0]}).reason({candidates[0]}), "linear: the only candidate");
}

// Paired rows matter: every row favours the network by exactly 0.01, so s_d = 0 and the network
// wins, although the rows' own spread (0 … 9) dwarfs 0.01.
TEST(ModelChoice, PairingRemovesTheRowsOwnSpread) {
    std::vector<double> linear, network;
    for (int i = 0; i < 10; ++i) {
        linear.push_back(i + 0.01);
        network.push_back(i);
    }
    EXPECT_EQ(choose_model({{"linear", 5, linear}, {"64 relu", 449, network}}).chosen, 1u);
}

TEST(ModelChoice, RowLossesAreTheBatchLossOfEachRow) {
    const auto y = Matrix<float>::column({1, 2, 3});
    const auto p = Matrix<float>::column({1, 4, 2.5});
    const auto mse = row_losses(losses::mean_squared_error(), y, p);
    ASSERT_EQ(mse.size(), 3u);
    EXPECT_DOUBLE_EQ(mse[1], 4.0);
    EXPECT_DOUBLE_EQ(mse[2], 0.25);
    const auto bce = row_losses(losses::binary_crossentropy(), Matrix<float>::column({1}), Matrix<float>::column({0.25f}));
    EXPECT_NEAR(bce[0], -std::log(0.25), 1e-5);  // −[y ln p + (1 − y) ln(1 − p)]
}

TEST(ModelChoice, RejectsCandidatesScoredOnDifferentRows) {
    EXPECT_THROW(choose_model({}), UsageError);
    EXPECT_THROW(choose_model({{"a", 1, {1.0}}, {"b", 2, {1.0, 2.0}}}), UsageError);
}

}  // namespace
}  // namespace dense::tune
