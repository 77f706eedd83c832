// Validation splits: Keras' last rows, a seeded shuffle, and a stratified draw that holds out the
// same share of every class (scikit-learn's train_test_split(stratify=y) counts, worked by hand).
#include <algorithm>
#include <map>
#include <numeric>

#include <gtest/gtest.h>

#include "dense/dense.hpp"

namespace dense {
namespace {

// 100 rows sorted by class: 50 of class 0, 30 of class 1, 20 of class 2.
std::vector<std::size_t> sorted_classes() {
    std::vector<std::size_t> classes(100, 0);
    std::fill(classes.begin() + 50, classes.begin() + 80, 1);
    std::fill(classes.begin() + 80, classes.end(), 2);
    return classes;
}

std::map<std::size_t, std::size_t> count(const std::vector<std::size_t>& rows, const std::vector<std::size_t>& classes) {
    std::map<std::size_t, std::size_t> counts;
    for (auto r : rows) ++counts[classes[r]];
    return counts;
}

TEST(ValidationSplit, LastRowsAreKerasValidationSplit) {
    const auto split = split_rows(10, 0.25, ValidationSplit::last_rows, 1);
    // Keras: split_at = floor(10 · 0.75) = 7
    EXPECT_EQ(split.validation, (std::vector<std::size_t>{7, 8, 9}));
    EXPECT_EQ(split.training.size(), 7u);
}

TEST(ValidationSplit, StratifiedHoldsOutTheSameShareOfEveryClass) {
    const auto classes = sorted_classes();
    const auto split = split_rows(100, 0.2, ValidationSplit::stratified, 7, classes);
    // 20 % of 50, 30 and 20 rows
    EXPECT_EQ(count(split.validation, classes), (std::map<std::size_t, std::size_t>{{0, 10}, {1, 6}, {2, 4}}));
    EXPECT_EQ(split.training.size(), 80u);
    EXPECT_TRUE(std::is_sorted(split.validation.begin(), split.validation.end()));
    std::vector<std::size_t> all = split.training;
    all.insert(all.end(), split.validation.begin(), split.validation.end());
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> every(100);
    std::iota(every.begin(), every.end(), std::size_t{0});
    EXPECT_EQ(all, every);  // each row on exactly one side
}

TEST(ValidationSplit, StratifiedCountsAddUpByLargestRemainders) {
    // 7 rows of class 0, 3 of class 1, 3 held out: shares 2.1 and 0.9 → 2 and 1.
    std::vector<std::size_t> classes{0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
    const auto split = split_rows(10, 0.3, ValidationSplit::stratified, 3, classes);
    EXPECT_EQ(count(split.validation, classes), (std::map<std::size_t, std::size_t>{{0, 2}, {1, 1}}));
}

TEST(ValidationSplit, SeededDrawsAreReproducibleAndDifferBySeed) {
    const auto classes = sorted_classes();
    for (auto kind : {ValidationSplit::shuffled, ValidationSplit::stratified}) {
        EXPECT_EQ(split_rows(100, 0.2, kind, 5, classes).validation, split_rows(100, 0.2, kind, 5, classes).validation);
        EXPECT_NE(split_rows(100, 0.2, kind, 5, classes).validation, split_rows(100, 0.2, kind, 6, classes).validation);
    }
}

TEST(ValidationSplit, EmptySidesAndMissingClassesAreErrors) {
    EXPECT_THROW(split_rows(1, 0.5, ValidationSplit::shuffled, 1), DataError);  // floor(0.5) = 0 training rows
    EXPECT_THROW(split_rows(100, 0.2, ValidationSplit::stratified, 1), UsageError);
    EXPECT_THROW(validation_split_from_name("random"), UsageError);
}

TEST(ValidationSplit, RowClassesReadIndicesAndOneHot) {
    Matrix<float> index(3, 1), one_hot(2, 3);
    index(0, 0) = 2;
    index(1, 0) = 0;
    index(2, 0) = 1;
    one_hot(0, 2) = 1;
    one_hot(1, 0) = 1;
    EXPECT_EQ(row_classes(index), (std::vector<std::size_t>{2, 0, 1}));
    EXPECT_EQ(row_classes(one_hot), (std::vector<std::size_t>{2, 0}));
    index(1, 0) = 0.5f;
    EXPECT_THROW(row_classes(index), DataError);
}

// Folds of 103 rows sorted by class (sizes 50, 33, 20), dealt by class into 4: every row in one
// fold, the folds' sizes within one row of each other, each class's share within one row of a
// quarter; the same seed deals the same folds, another seed others; without classes, plain folds.
TEST(ValidationSplit, DealtFoldsPartitionTheRowsAndShareEveryClass) {
    std::vector<std::size_t> classes(103);
    for (std::size_t r = 0; r < classes.size(); ++r) classes[r] = r < 50 ? 0 : r < 83 ? 1 : 2;
    const auto folds = deal_into_folds(103, 4, 7, classes);
    ASSERT_EQ(folds.size(), 4u);
    std::vector<int> seen(103, 0);
    for (const auto& fold : folds) {
        EXPECT_TRUE(std::ranges::is_sorted(fold));
        EXPECT_GE(fold.size(), 25u);
        EXPECT_LE(fold.size(), 26u);
        std::map<std::size_t, std::size_t> per_class;
        for (auto r : fold) {
            ++seen[r];
            ++per_class[classes[r]];
        }
        EXPECT_NEAR(double(per_class[0]), 50.0 / 4, 0.5 + 1e-9);
        EXPECT_NEAR(double(per_class[1]), 33.0 / 4, 0.75 + 1e-9);
        EXPECT_NEAR(double(per_class[2]), 20.0 / 4, 1e-9);
    }
    EXPECT_EQ(std::ranges::count(seen, 1), 103) << "every row in exactly one fold";
    EXPECT_EQ(deal_into_folds(103, 4, 7, classes), folds);
    EXPECT_NE(deal_into_folds(103, 4, 8, classes), folds);
    const auto plain = deal_into_folds(10, 3, 1);
    EXPECT_EQ(plain[0].size() + plain[1].size() + plain[2].size(), 10u);
    EXPECT_EQ(plain[0].size(), 4u);
    EXPECT_THROW(deal_into_folds(10, 0, 1), UsageError);
    EXPECT_THROW(deal_into_folds(10, 2, 1, classes), UsageError) << "103 classes for 10 rows";
}

// fit(stratify) on data sorted by class: the last 20 % would be class 2 alone; stratified, the
// validation rows hold every class, so a model that predicts class 2 everywhere is not perfect.
TEST(ValidationSplit, FitStratifyValidatesOnEveryClass) {
    const auto classes = sorted_classes();
    Matrix<float> x(100, 1), y(100, 1);
    for (std::size_t r = 0; r < 100; ++r) y(r, 0) = static_cast<float>(classes[r]);
    Sequential model({Dense(3, "softmax", {.input_dim = 1})});
    model.build(1);
    model.set_weights({{{1, 3}, {0, 0, 0}}, {{3}, {0, 0, 5}}});  // always class 2
    model.compile(SGD(0.0), "sparse_categorical_crossentropy", {"accuracy"});
    auto accuracy = [&](bool stratify) {
        return model.fit(x, y, {.epochs = 1, .validation_split = 0.2, .verbose = 0, .seed = 1, .stratify = stratify})
            ["val_accuracy"][0];
    };
    EXPECT_EQ(accuracy(false), 1.0);
    EXPECT_NEAR(accuracy(true), 4.0 / 20.0, 1e-9);
}

}  // namespace
}  // namespace dense
