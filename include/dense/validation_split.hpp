#pragma once
// Which rows fit validates on. Keras' validation_split holds out the last rows of the data as
// given, so a file sorted by class validates on one class; a seeded shuffled split draws them at
// random, and a stratified split draws the same share of every class (as scikit-learn's
// train_test_split(..., stratify=y)). Each holds out rows − ⌊rows · (1 − validation_split)⌋ rows.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dense/matrix.hpp"

namespace dense {

enum class ValidationSplit { last_rows, shuffled, stratified };

// "last_rows" | "shuffled" | "stratified"; anything else throws UsageError.
ValidationSplit validation_split_from_name(std::string_view name);
std::string_view validation_split_name(ValidationSplit split) noexcept;

// Row indices of each side of a split, both in data order.
struct SplitRows {
    std::vector<std::size_t> training, validation;
};

// The split of `rows` rows. Stratified needs `classes` (one class number per row); the others
// ignore it. Throws DataError when either side would be empty.
SplitRows split_rows(std::size_t rows, double validation_split, ValidationSplit split, std::uint64_t seed,
                     std::span<const std::size_t> classes = {});

// `rows` rows dealt into `folds` folds of about equal size (cross-validation's folds): in a seeded
// order, class by class when `classes` (one per row) is given so that every fold holds each
// class's share, dealt round robin. Each fold's rows in increasing order.
std::vector<std::vector<std::size_t>> deal_into_folds(std::size_t rows, std::size_t folds, std::uint64_t seed,
                                                      std::span<const std::size_t> classes = {});

// The class of every row of a classification target: the value of a one-column y (class
// indices, or 0/1), the largest column of a one-hot y. Throws DataError for other values.
template <class T>
std::vector<std::size_t> row_classes(const Matrix<T>& y);

}  // namespace dense
