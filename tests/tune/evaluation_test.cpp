// Validation folds: every row is validated exactly once, and never trained on in the same fold.
#include "tune/evaluation.hpp"

#include <gtest/gtest.h>

#include <set>

#include "dense/error.hpp"

namespace dense::tune {
namespace {

// Rows whose single input is the row number, so a fold shows which rows it holds.
std::pair<Matrix<float>, Matrix<float>> numbered_rows(std::size_t rows) {
    Matrix<float> x(rows, 1), y(rows, 1);
    for (std::size_t r = 0; r < rows; ++r) x(r, 0) = y(r, 0) = static_cast<float>(r);
    return {x, y};
}

std::multiset<float> column_values(const Matrix<float>& m) { return {m.values().begin(), m.values().end()}; }

TEST(Folds, KFoldValidatesEveryRowExactlyOnce) {
    const auto [x, y] = numbered_rows(23);
    const auto folds = make_folds(x, y, 4, 0.2, 1);
    ASSERT_EQ(folds.size(), 4u);
    std::multiset<float> validated;
    for (const auto& fold : folds) {
        auto val = column_values(fold.x_val), train = column_values(fold.x_train);
        EXPECT_EQ(val.size() + train.size(), 23u);
        for (float v : val) EXPECT_EQ(train.count(v), 0u);
        EXPECT_EQ(column_values(fold.y_val), val);  // targets stay with their inputs
        validated.insert(val.begin(), val.end());
    }
    EXPECT_EQ(validated, column_values(x));
}

TEST(Folds, AHoldOutSplitKeepsTheAskedShareForValidation) {
    const auto [x, y] = numbered_rows(100);
    const auto folds = make_folds(x, y, 1, 0.2, 1);
    ASSERT_EQ(folds.size(), 1u);
    EXPECT_EQ(folds[0].x_val.rows(), 20u);
    EXPECT_EQ(folds[0].x_train.rows(), 80u);
    // Rows are drawn at random, not the last 20.
    EXPECT_NE(column_values(folds[0].x_val), column_values(Matrix<float>::column({80, 81, 82, 83, 84, 85, 86, 87, 88, 89,
                                                                                  90, 91, 92, 93, 94, 95, 96, 97, 98, 99})));
}

TEST(Folds, RefusesSplitsThatLeaveNothingToTrainOrValidate) {
    const auto [x, y] = numbered_rows(3);
    EXPECT_THROW(make_folds(x, y, 1, 0.0, 1), DataError);
    EXPECT_THROW(make_folds(x, y, 5, 0.2, 1), DataError);
}

}  // namespace
}  // namespace dense::tune
