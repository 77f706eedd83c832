#pragma once
// Preprocessing: how the columns of a CSV become the numbers a model sees, learned on the
// training data and stored in the model file so predict applies exactly the same steps.
//   numeric feature:  x' = (x − mean) / std          (mean, std of the training split)
//   text feature:     one-hot, one input per category seen in the training data; with a fill
//                     policy a missing cell is the most frequent training category (ties: the
//                     first in sorted order, as scikit-learn's SimpleImputer "most_frequent")
//   class target:     the label's index among the sorted labels (classes)
//   numeric target:   y' = (y − mean) / std of the training split, so the network learns values
//                     near 0 whatever the units; predictions go back by y = y'·std + mean
//
// Task inference (PreprocessingOptions::task overrides it): a target is a class label when any
// of its cells is text, or when every value is an integer and there are at most 10 distinct
// values, no more than half the number of rows. Anything else is regression.
// A feature column is numeric when every present cell is a number (see numeric_column.hpp),
// otherwise text; a text column with more than 10 distinct values in more than half the rows
// is rejected as a numeric column with a typo (or an identifier, which cannot generalise).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dense/io/csv.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/loss.hpp"
#include "dense/matrix.hpp"

namespace dense::io {

enum class Task { regression, classification };

std::string_view task_name(Task task) noexcept;
Task task_from_name(std::string_view name);  // "regression" | "classification"

// One input column and how it becomes network inputs.
struct FeatureColumn {
    std::string name;
    double mean = 0.0;                     // numeric columns: x' = (x − mean) / stddev
    double stddev = 1.0;                   // 1 for a constant column
    std::vector<std::string> categories;   // text columns: the one-hot categories, sorted
    std::optional<double> fill;            // replaces a missing numeric cell; absent → error
    std::optional<double> median;          // of the training numbers, for predict --fill median
    std::optional<std::string> fill_category;  // replaces a missing text cell; absent → error
    std::optional<std::string> most_frequent;  // training category, for predict --fill

    bool categorical() const noexcept { return !categories.empty(); }
    std::size_t width() const noexcept { return categorical() ? categories.size() : 1; }
    bool operator==(const FeatureColumn&) const = default;
};

// How a regression target is standardised: y' = (y − mean) / stddev.
struct TargetScale {
    double mean = 0.0;
    double stddev = 1.0;
    bool operator==(const TargetScale&) const = default;
};

struct Preprocessing {
    std::vector<FeatureColumn> features;
    std::vector<std::string> targets;
    Task task = Task::regression;
    std::vector<std::string> classes;      // classification: class index → label
    // Regression: one per target. Empty: the network predicts the targets as they are (model
    // files written before dense standardised targets).
    std::vector<TargetScale> target_scaling;
    // Columns of the training file left out on purpose (PreprocessingOptions::dropped_columns):
    // neither read nor refused when a file given to the model holds them.
    std::vector<std::string> dropped_columns;

    // The number of network inputs after one-hot encoding.
    std::size_t input_width() const noexcept;
    // Whether a column of that name is a feature, a target or a dropped column: a file given to
    // the model may hold only such columns.
    bool knows_column(std::string_view name) const;
    bool operator==(const Preprocessing&) const = default;
};

struct PreprocessingOptions {
    std::vector<std::string> targets;
    std::optional<Task> task;
    FillPolicy fill = FillPolicy::none;
    // Means, deviations and fill values come from the first training_rows rows (the training
    // split, as fit's validation_split leaves it); categories and class labels from every row.
    // 0 means every row.
    std::size_t training_rows = 0;
    // Regression: standardise the targets on the training rows (target_scaling).
    bool scale_targets = true;
    // Columns that are neither features nor targets (an identifier, a date): left out of the
    // model and recorded, so that later files holding them are accepted (`dense train --drop`).
    std::vector<std::string> dropped_columns;
};

Preprocessing fit_preprocessing(const CsvTable& table, const PreprocessingOptions& options);

// Throws DataError when options.dropped_columns names a column that `header` lacks, and
// UsageError when it names a target.
void check_dropped_columns(const CsvTable& header, const PreprocessingOptions& options);

// The task fit_preprocessing would choose (options.task, else inferred from the target column).
Task infer_task(const CsvTable& table, const PreprocessingOptions& options);

// The network inputs of every row. Every feature column must be present (in any order);
// columns that are neither features nor targets are an error naming them.
template <class T>
Matrix<T> encode_features(const Preprocessing& preprocessing, const CsvTable& table);
// The targets in the form `loss` expects: standardised values (regression), class index (sparse
// categorical crossentropy), 0/1 (binary crossentropy) or one-hot (categorical crossentropy).
template <class T>
Matrix<T> encode_targets(const Preprocessing& preprocessing, const CsvTable& table, const Loss& loss);
// Regression targets as the file holds them, in their own units (one column per target).
template <class T>
Matrix<T> target_values(const Preprocessing& preprocessing, const CsvTable& table);
// Network outputs to target units, in place: y = y'·std + mean per regression target (nothing
// for classification or without target_scaling).
template <class T>
void to_target_units(const Preprocessing& preprocessing, Matrix<T>& outputs);

// Header of predict's output: the targets for regression;
// for classification the predicted label's column, then one probability column per class.
std::vector<std::string> prediction_header(const Preprocessing& preprocessing);
// One row of network outputs as text, matching prediction_header: regression values in target
// units, or the label and the probabilities of a sigmoid or softmax.
template <class T>
std::vector<std::string> prediction_row(const Preprocessing& preprocessing, std::span<const T> outputs);

nlohmann::json to_json(const Preprocessing& preprocessing);
// Throws DataError naming the field when the JSON does not describe a valid preprocessing.
Preprocessing preprocessing_from_json(const nlohmann::json& json);

// Shortest text that reads back as the same value ("0.1", "1e-07").
std::string format_number(double value);
std::string format_number(float value);

}  // namespace dense::io
