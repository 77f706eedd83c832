// Objective: task inference and the validation metrics, checked against hand-computed values.
#include "dense/tune/objective.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "dense/error.hpp"

namespace dense::tune {
namespace {

TEST(Objective, FewIntegerValuesAreClassesAndAnythingElseIsRegression) {
    EXPECT_EQ(Objective::infer(Matrix<float>::column({0, 1, 2, 1, 0, 2, 1})).task, io::Task::classification);
    EXPECT_EQ(Objective::infer(Matrix<float>::column({0, 1, 2, 1, 0, 2, 1})).outputs, 3u);
    EXPECT_EQ(Objective::infer(Matrix<float>::column({0.5f, 1, 2, 1})).task, io::Task::regression);
    // Every row its own value: a count, not a class.
    EXPECT_EQ(Objective::infer(Matrix<float>::column({0, 1, 2, 3})).task, io::Task::regression);
    EXPECT_EQ(Objective::infer(Matrix<float>{{1, 2}, {3, 4}, {1, 2}, {3, 4}}).task, io::Task::regression);
}

TEST(Objective, TwoClassesUseOneSigmoidUnitAndMoreUseSoftmax) {
    const auto binary = Objective::for_task(io::Task::classification, Matrix<float>::column({0, 1, 1}));
    EXPECT_EQ(binary.output_units(), 1u);
    EXPECT_EQ(binary.loss().kind(), LossKind::binary_crossentropy);
    const auto three = Objective::for_task(io::Task::classification, Matrix<float>::column({0, 2, 1}));
    EXPECT_EQ(three.output_units(), 3u);
    EXPECT_EQ(three.loss().kind(), LossKind::sparse_categorical_crossentropy);
}

TEST(Objective, RefusesClassTargetsThatAreNotIndices) {
    EXPECT_THROW(Objective::for_task(io::Task::classification, Matrix<float>::column({0, 1.5f})), DataError);
    EXPECT_THROW(Objective::for_task(io::Task::classification, Matrix<float>::column({0, 0})), DataError);
}

TEST(Objective, ScoresRegressionByMeanSquaredError) {
    const auto objective = Objective::for_task(io::Task::regression, Matrix<float>::column({1, 2, 3}));
    // errors 0.5, 0, −1 → (0.25 + 0 + 1) / 3
    EXPECT_NEAR(objective.score(Matrix<float>::column({1, 2, 3}), Matrix<float>::column({1.5f, 2, 2})), 1.25 / 3, 1e-9);
    // variance of {1, 2, 3} is 2/3
    EXPECT_NEAR(objective.target_variance, 2.0 / 3.0, 1e-9);
    EXPECT_TRUE(objective.better(0.1, 0.2));
}

TEST(Objective, ScoresClassificationByAccuracy) {
    const auto three = Objective::for_task(io::Task::classification, Matrix<float>::column({0, 1, 2}));
    const Matrix<float> probabilities{{0.7f, 0.2f, 0.1f}, {0.1f, 0.3f, 0.6f}, {0.2f, 0.2f, 0.6f}, {0.1f, 0.8f, 0.1f}};
    EXPECT_DOUBLE_EQ(three.score(Matrix<float>::column({0, 1, 2, 1}), probabilities), 0.75);
    const auto binary = Objective::for_task(io::Task::classification, Matrix<float>::column({0, 1}));
    EXPECT_DOUBLE_EQ(binary.score(Matrix<float>::column({0, 1, 1, 0}), Matrix<float>::column({0.2f, 0.9f, 0.4f, 0.6f})),
                     0.5);
    EXPECT_TRUE(three.better(0.9, 0.8));
}

TEST(Objective, NonFinitePredictionsScoreNaNWhichNeverWins) {
    const auto objective = Objective::for_task(io::Task::regression, Matrix<float>::column({1, 2}));
    const float inf = std::numeric_limits<float>::infinity();
    const double score = objective.score(Matrix<float>::column({1, 2}), Matrix<float>::column({inf, 2}));
    EXPECT_TRUE(std::isnan(score));
    EXPECT_FALSE(objective.better(score, 1e9));
    EXPECT_TRUE(objective.better(1e9, score));
}

TEST(Objective, AsGoodAsAllowsAMarginWorseThanTheBest) {
    const auto three = Objective::for_task(io::Task::classification, Matrix<float>::column({0, 1, 2}));
    EXPECT_TRUE(three.as_good_as(0.88, 0.90, 0.02));
    EXPECT_FALSE(three.as_good_as(0.879, 0.90, 0.02));
    const auto line = Objective::for_task(io::Task::regression, Matrix<float>::column({-1, 1}));  // variance 1
    EXPECT_TRUE(line.as_good_as(1.0e-7, 1.0e-10, 0.0));  // both exact up to float32 noise (1e-6 · variance)
    EXPECT_FALSE(line.as_good_as(0.0105, 0.01, 0.0004));
    EXPECT_TRUE(line.as_good_as(0.0103, 0.01, 0.0004));
}

// Accuracy p over n rows: √(p(1 − p)/n). MSE: the rows' squared errors 0, 1, 4, 9 have mean 3.5,
// sample deviation √(Σ(e − 3.5)²/3) = √(49/3), so SE = √(49/3) / 2.
TEST(Objective, StandardErrorIsThatOfAMeanOverTheValidationRows) {
    const auto two = Objective::for_task(io::Task::classification, Matrix<float>::column({0, 1}));
    const auto truth = Matrix<float>::column({0, 1, 1, 0});
    const auto predicted = Matrix<float>::column({0.2f, 0.9f, 0.3f, 0.1f});  // 3 of 4 right
    EXPECT_NEAR(two.standard_error(truth, predicted), std::sqrt(0.75 * 0.25 / 4), 1e-12);
    const auto line = Objective::for_task(io::Task::regression, Matrix<float>::column({0, 0, 0, 0}));
    EXPECT_NEAR(line.standard_error(Matrix<float>::column({0, 0, 0, 0}), Matrix<float>::column({0, 1, 2, 3})),
                std::sqrt(49.0 / 3.0) / 2.0, 1e-12);
}

}  // namespace
}  // namespace dense::tune
