#pragma once
// Learning the preprocessing of a CSV file too large for memory: what fit_preprocessing learns
// from the file read whole, learnt in passes over its chunks (csv_index.hpp) that hold one chunk
// and a few numbers per column at a time.
//
// The training rows are those `split` does not draw for validation. With the table of those rows
// first (in file order) and PreprocessingOptions::training_rows their count, fit_preprocessing
// gives the same preprocessing to the bit, with two exceptions that only a large file meets:
// - a median (kept in the model file, and --fill median's value) is taken from a seeded sample
//   of at most sample_values() numbers of the column once it has more training numbers;
// - a text column or class target with more than max_streamed_categories() distinct values is
//   refused (read whole, such a column is refused when they are over half the rows).
// Passes: the index pass (kinds, categories, labels, sums, samples); one for Σ(x − mean)²; and,
// when a numeric column has missing cells filled with its mean or median, one more for Σx.
#include <cstddef>
#include <string>
#include <vector>

#include "dense/io/csv_index.hpp"
#include "dense/io/preprocessing.hpp"

namespace dense::io {

struct StreamedPreprocessing {
    CsvIndex index;
    Preprocessing preprocessing;
};

// PreprocessingOptions::training_rows is not used: `split` says which rows train.
StreamedPreprocessing fit_streamed_preprocessing(const std::string& path, const PreprocessingOptions& options,
                                                 const RowSplit& split, const CsvIndexOptions& index_options = {});
// The same for a set of shard files read one after another (index_csv's rules).
StreamedPreprocessing fit_streamed_preprocessing(const std::vector<std::string>& paths, const PreprocessingOptions& options,
                                                 const RowSplit& split, const CsvIndexOptions& index_options = {});

// How many distinct values a column may have: more make a text column useless to one-hot encode.
constexpr std::size_t max_streamed_categories() { return 4096; }
// The training numbers kept for a median, over all the columns together (8 bytes each).
constexpr std::size_t sample_values() { return std::size_t{1} << 21; }

}  // namespace dense::io
