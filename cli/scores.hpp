#pragma once
// What people judge a model by, computed in the targets' own units:
//   regression:     MAE, RMSE, R² and the RMSE of always predicting the training mean;
//   classification: accuracy, per-class precision, recall, F1 and support, their macro and
//                   weighted averages, and the confusion matrix (scikit-learn's
//                   classification_report and confusion_matrix, zero_division = 0).
// `dense evaluate` prints them; `dense train` reports the kept model with them.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dense/io/model_file.hpp"
#include "dense/matrix.hpp"

namespace dense::cli {

struct RegressionScores {
    std::size_t rows = 0;
    double mae = 0.0;            // mean |y − ŷ| over every target value
    double rmse = 0.0;           // √(mean (y − ŷ)²)
    // 1 − Σ(y − ŷ)² / Σ(y − ȳ)², averaged over targets (scikit-learn's r2_score); none when a target
    // has one value in every row (one row, say): Σ(y − ȳ)² = 0 leaves R² undefined, which
    // scikit-learn returns as NaN for one row and forces to 1 or 0 for a constant target
    std::optional<double> r2;
    double baseline_rmse = 0.0;  // the RMSE of predicting the training mean for every row (these rows' for a model without target scaling)
};

// `training_mean` has one value per target column.
RegressionScores regression_scores(const Matrix<double>& y, const Matrix<double>& prediction,
                                   const std::vector<double>& training_mean);

struct ClassScores {
    double precision = 0.0, recall = 0.0, f1 = 0.0;
    std::size_t support = 0;
    bool present = true;  // true or predicted in some row: a class of the report (scikit-learn's unique_labels)
};

struct ClassificationScores {
    std::size_t rows = 0;
    double accuracy = 0.0;
    std::vector<ClassScores> classes;            // by class index
    ClassScores macro, weighted;                 // unweighted and support-weighted means over the present classes
    std::vector<std::vector<std::size_t>> confusion;  // [true class][predicted class]
};

ClassificationScores classification_scores(const std::vector<std::size_t>& truth, const std::vector<std::size_t>& predicted,
                                           std::size_t classes);

// The class a row of network outputs predicts: P ≥ 0.5 of one sigmoid output, else the largest.
std::size_t predicted_class(std::span<const float> outputs);

// Scores of a model on labelled rows: network outputs and encoded targets as fit sees them.
struct ModelScores {
    std::size_t rows = 0;
    std::string loss_name;
    double loss = 0.0;  // in the targets' units for regression
    std::optional<RegressionScores> regression;
    std::optional<ClassificationScores> classification;
};

// The targets of `table` in their own units (regression) or as class indices (classification).
Matrix<float> labelled_targets(const io::Preprocessing& preprocessing, const io::CsvTable& table);

// `outputs` are the network's outputs for the rows, `raw_targets` the targets in their own units
// (regression) or class indices (classification).
ModelScores score_model(const io::ModelFile& file, const Matrix<float>& outputs, const Matrix<float>& raw_targets);

// The report as text: the named metrics, then for classification the per-class table and the
// confusion matrix with the class names.
std::string format_scores(const ModelScores& scores, const io::Preprocessing& preprocessing);
nlohmann::json scores_json(const ModelScores& scores, const io::Preprocessing& preprocessing);
// One line: "RMSE 51.2, MAE 40.1, R² 0.56" (R² n/a when undefined) or "accuracy 97.5 %, loss (binary_crossentropy) 0.081".
std::string brief_scores(const ModelScores& scores);

}  // namespace dense::cli
