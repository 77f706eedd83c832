#pragma once
// The statistics preprocessing learns from a column's numbers and the rules it reads a column by,
// shared by fitting it on a table in
// memory (preprocessing.cpp, numeric_column.cpp) and on a file streamed in chunks
// (stream_preprocessing.cpp), so that both give the same bits.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dense/io/numeric_column.hpp"
#include "dense/printable.hpp"

namespace dense::io::statistics {

// A target is a class label when any cell is text, or when every value is an integer and there
// are at most 10 distinct values, no more than half the rows.
inline bool holds_classes(bool text, bool all_integers, std::size_t distinct, std::size_t rows) {
    constexpr std::size_t max_inferred_classes = 10;
    return text || (all_integers && distinct <= max_inferred_classes && distinct * 2 <= rows);
}

// The classes of a target's distinct labels, in index order: numbers by value ("2" before "10"),
// each value once ("1" and "1.0" are one class, spelt as the first of them in text order); text
// labels in text order.
template <class Labels>
std::vector<std::string> class_labels(const Labels& labels, bool numeric) {
    std::vector<std::string> sorted(labels.begin(), labels.end());
    if (!numeric) return sorted;
    const auto value = [](const std::string& label) { return parse_cell(label).value; };
    // Iterator algorithms, not std::ranges: clang 14 (the fuzz build) cannot compile ranges::unique's subrange.
    std::stable_sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) { return value(a) < value(b); });
    sorted.erase(std::unique(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) { return value(a) == value(b); }),
                 sorted.end());
    return sorted;
}

// The commonest of a text column's training categories, the first in text order on a tie (as
// scikit-learn's SimpleImputer(strategy="most_frequent")): what fills its missing cells. `counts`
// maps each category, in text order, to its training rows; none when no category has one.
template <class Counts>
std::optional<std::string> most_frequent(const Counts& counts) {
    const auto fewer = [](const auto& a, const auto& b) { return a.second < b.second; };
    const auto found = std::max_element(counts.begin(), counts.end(), fewer);
    if (found == counts.end() || found->second == 0) return std::nullopt;
    return std::string(found->first);
}

// A text column with more than 10 distinct values in more than half the rows is an identifier
// or numbers with typos, which cannot be one-hot encoded to any use.
inline bool too_many_categories(std::size_t distinct, std::size_t rows) {
    constexpr std::size_t max_categories_without_check = 10;
    return distinct > max_categories_without_check && distinct * 2 > rows;
}

// Why a regression target holding text is refused, naming the first of its (sorted, trimmed)
// labels that is text, and what to do: predict a class column as classes (in a model of its own
// when several targets make one regression model), or write numbers as 1234.5.
template <class Labels>
std::string text_target_message(const std::string& source, const std::string& name, const Labels& labels,
                                bool several_targets) {
    const auto text = std::ranges::find_if(labels, [](const auto& l) { return parse_cell(l).kind == CellKind::text; });
    const std::string& label = text != labels.end() ? *text : *labels.begin();
    return source + ": the target column " + in_quotes(name) + " holds text (" + in_quotes(label) +
           "), which regression cannot predict; " +
           (several_targets ? "predict it as classes in a model of its own (--target " + name + " --task classification)"
                            : std::string("pass --task classification to predict it as classes")) +
           ", or, if it holds numbers written with a decimal comma or thousands separators, write them as 1234.5";
}

// Why a feature column without a single value (every cell empty or NA) is refused: neither a
// category nor a fill can stand for what it never holds.
inline std::string empty_column_message(const std::string& source, const std::string& name) {
    return source + ": column " + in_quotes(name) + " has no value in any row (every cell is empty or NA); leave it out with --drop " +
           name;
}

// Why a missing text cell is refused (`where` is its file:line:column) and what fills it.
inline std::string text_missing_message(const std::string& where, const std::string& name) {
    return where + ": text column " + in_quotes(name) +
           " has a missing value; fill the cell, or pass --fill mean, median or zero, which fills a missing text cell "
           "with the column's most frequent category";
}

// "nan", "-inf", "Infinity": a number that is not finite, which numeric_column rejects.
inline bool is_not_finite_word(std::string_view cell) {
    std::string text(trim_spaces(cell));
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.erase(0, 1);
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text == "nan" || text == "inf" || text == "infinity";
}

// The exponent e of the largest |x|, with largest = m·2^e, 0.5 ≤ m < 1: the sums of
// standardisation run over x·2^−e, which keeps Σ(x − mean)² finite for values near the largest
// double. Scaling by a power of two is exact.
inline int scale_exponent(double largest) {
    int exponent = 0;
    std::frexp(largest, &exponent);
    return exponent;
}

// The deviation from scaled sums: std = √(Σ(x·2^−e − mean·2^−e)² / n)·2^e, 1 for a constant column.
inline double stddev_of(double scaled_squares, double count, int exponent) {
    const double stddev = std::ldexp(std::sqrt(scaled_squares / count), exponent);
    return stddev > 0.0 ? stddev : 1.0;
}

struct Standardisation {
    double mean, stddev;
};

// mean = Σx / n;  std = √(Σ(x − mean)² / n), the population deviation (Keras' Normalization).
// Both sums run over x·2^−e (scale_exponent), so the std is at most the largest |x|.
inline Standardisation standardisation(const std::vector<double>& values) {
    double largest = 0;
    for (double v : values) largest = std::max(largest, std::abs(v));
    const int exponent = scale_exponent(largest);
    double sum = 0;
    for (double v : values) sum += std::ldexp(v, -exponent);
    const double scaled_mean = sum / static_cast<double>(values.size());
    double squares = 0;
    for (double v : values) squares += (std::ldexp(v, -exponent) - scaled_mean) * (std::ldexp(v, -exponent) - scaled_mean);
    return {std::ldexp(scaled_mean, exponent), stddev_of(squares, static_cast<double>(values.size()), exponent)};
}

// The running mean m_k = m_(k-1) + (x_k − m_(k-1)) / k, which cannot overflow as Σ x can.
inline void add_to_running_mean(double& mean, std::size_t k, double x) { mean += (x - mean) / static_cast<double>(k); }

inline double running_mean(const std::vector<double>& values) {
    double m = 0;
    for (std::size_t k = 1; k <= values.size(); ++k) add_to_running_mean(m, k, values[k - 1]);
    return m;
}

// The middle value of the numbers, or lower + (upper − lower) / 2 of the two middle ones: the
// fill value of --fill median.
inline double fill_median(std::vector<double> values) {
    const std::size_t middle = values.size() / 2;
    std::ranges::nth_element(values, values.begin() + static_cast<std::ptrdiff_t>(middle));
    const double upper = values[middle];
    if (values.size() % 2 == 1) return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
    return lower + (upper - lower) / 2;
}

// The middle value, or std::midpoint of the two middle ones: the median a model file records.
inline double recorded_median(std::vector<double> present) {
    const auto middle = present.begin() + static_cast<std::ptrdiff_t>(present.size() / 2);
    std::nth_element(present.begin(), middle, present.end());
    if (present.size() % 2 == 1) return *middle;
    return std::midpoint(*std::max_element(present.begin(), middle), *middle);
}

}  // namespace dense::io::statistics
