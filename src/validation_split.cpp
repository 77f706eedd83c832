// Validation splits: the last rows (Keras), a seeded shuffle, or a seeded stratified draw.
#include "dense/validation_split.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "dense/error.hpp"
#include "dense/random.hpp"
#include "dense/printable.hpp"

namespace dense {
namespace {

std::size_t held_out_rows(std::size_t rows, double validation_split) {
    const auto training = static_cast<std::size_t>(std::floor(double(rows) * (1.0 - validation_split)));
    if (training == 0 || training == rows)
        throw DataError("validation_split " + number_text(validation_split) + " of " + std::to_string(rows) +
                        " rows leaves " + (training == 0 ? "no training rows" : "no validation rows") +
                        "; use more data or another split");
    return rows - training;
}

void shuffle(std::vector<std::size_t>& rows, Rng& rng) {
    for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[rng.below(i)]);
}

// How many of each class' rows to hold out: its share of `held` (n_c · held / rows), rounded by
// the largest remainders so the counts add up to `held` (Hamilton's method); ties go to the
// larger class, then the smaller class number.
std::vector<std::size_t> held_per_class(const std::vector<std::size_t>& class_sizes, std::size_t rows, std::size_t held) {
    std::vector<std::size_t> counts(class_sizes.size());
    std::vector<double> remainders(class_sizes.size());
    std::size_t given = 0;
    for (std::size_t c = 0; c < class_sizes.size(); ++c) {
        const double share = double(class_sizes[c]) * double(held) / double(rows);
        counts[c] = static_cast<std::size_t>(std::floor(share));
        remainders[c] = share - double(counts[c]);
        given += counts[c];
    }
    std::vector<std::size_t> order(class_sizes.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
        return class_sizes[a] > class_sizes[b];
    });
    for (std::size_t i = 0; given < held; ++i, ++given) ++counts[order[i % order.size()]];
    return counts;
}

std::vector<std::size_t> stratified_validation(std::span<const std::size_t> classes, std::size_t held, Rng& rng) {
    std::map<std::size_t, std::vector<std::size_t>> members;
    for (std::size_t r = 0; r < classes.size(); ++r) members[classes[r]].push_back(r);
    std::vector<std::size_t> sizes;
    for (const auto& [c, rows] : members) sizes.push_back(rows.size());
    const auto counts = held_per_class(sizes, classes.size(), held);
    std::vector<std::size_t> validation;
    std::size_t c = 0;
    for (auto& [label, rows] : members) {
        shuffle(rows, rng);
        validation.insert(validation.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(counts[c++]));
    }
    return validation;
}

// Rows 0 … rows − 1 in a seeded order; with classes, class by class (in class order), each
// class's rows shuffled.
std::vector<std::size_t> dealing_order(std::size_t rows, Rng& rng, std::span<const std::size_t> classes) {
    std::map<std::size_t, std::vector<std::size_t>> members;
    for (std::size_t r = 0; r < rows; ++r) members[classes.empty() ? 0 : classes[r]].push_back(r);
    std::vector<std::size_t> order;
    for (auto& [label, members_of_class] : members) {
        shuffle(members_of_class, rng);
        order.insert(order.end(), members_of_class.begin(), members_of_class.end());
    }
    return order;
}

}  // namespace

ValidationSplit validation_split_from_name(std::string_view name) {
    if (name == "last_rows" || name == "last-rows") return ValidationSplit::last_rows;
    if (name == "shuffled") return ValidationSplit::shuffled;
    if (name == "stratified") return ValidationSplit::stratified;
    throw UsageError("unknown validation split '" + std::string(name) + "'; use shuffled, stratified or last_rows");
}

std::string_view validation_split_name(ValidationSplit split) noexcept {
    switch (split) {
        case ValidationSplit::last_rows: return "last_rows";
        case ValidationSplit::shuffled: return "shuffled";
        case ValidationSplit::stratified: return "stratified";
    }
    return "shuffled";
}

SplitRows split_rows(std::size_t rows, double validation_split, ValidationSplit split, std::uint64_t seed,
                     std::span<const std::size_t> classes) {
    const std::size_t held = held_out_rows(rows, validation_split);
    std::vector<std::size_t> all(rows);
    std::iota(all.begin(), all.end(), std::size_t{0});
    if (split == ValidationSplit::last_rows)
        return {{all.begin(), all.end() - static_cast<std::ptrdiff_t>(held)}, {all.end() - static_cast<std::ptrdiff_t>(held), all.end()}};
    Rng rng(seed ^ 0x5851f42d4c957f2dULL);
    std::vector<std::size_t> validation;
    if (split == ValidationSplit::stratified) {
        if (classes.size() != rows)
            throw UsageError("a stratified split needs the class of each of the " + std::to_string(rows) + " rows, got " +
                             std::to_string(classes.size()));
        validation = stratified_validation(classes, held, rng);
    } else {
        shuffle(all, rng);
        validation.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(held));
    }
    std::sort(validation.begin(), validation.end());
    SplitRows result;
    result.validation = std::move(validation);
    std::vector<bool> held_out(rows, false);
    for (auto r : result.validation) held_out[r] = true;
    for (std::size_t r = 0; r < rows; ++r)
        if (!held_out[r]) result.training.push_back(r);
    return result;
}

std::vector<std::vector<std::size_t>> deal_into_folds(std::size_t rows, std::size_t folds, std::uint64_t seed,
                                                      std::span<const std::size_t> classes) {
    if (folds == 0) throw UsageError("deal_into_folds: ask for at least one fold");
    if (!classes.empty() && classes.size() != rows)
        throw UsageError("folds by class need the class of each of the " + std::to_string(rows) + " rows, got " +
                         std::to_string(classes.size()));
    Rng rng(seed ^ 0x2545f4914f6cdd1dULL);
    const auto order = dealing_order(rows, rng, classes);
    std::vector<std::vector<std::size_t>> dealt(folds);
    for (std::size_t i = 0; i < order.size(); ++i) dealt[i % folds].push_back(order[i]);
    for (auto& fold : dealt) std::sort(fold.begin(), fold.end());
    return dealt;
}

template <class T>
std::vector<std::size_t> row_classes(const Matrix<T>& y) {
    std::vector<std::size_t> classes(y.rows());
    for (std::size_t r = 0; r < y.rows(); ++r) {
        const auto row = y.row(r);
        if (y.cols() > 1) {
            classes[r] = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
            continue;
        }
        const T value = row[0];
        if (!(value >= T(0)) || std::floor(value) != value)
            throw DataError("stratify: row " + std::to_string(r) + " holds the target " + std::to_string(double(value)) +
                            ", not a class number; stratify only classification targets");
        classes[r] = static_cast<std::size_t>(value);
    }
    return classes;
}

template std::vector<std::size_t> row_classes(const Matrix<float>&);
template std::vector<std::size_t> row_classes(const Matrix<double>&);

}  // namespace dense
