#pragma once
// Objective: what a search optimises, fixed by the task. It chooses the output layer, the loss
// and the validation metric every trial is scored by:
//   regression:      linear outputs, mean squared error; metric val_mse = mean((ŷ − y)²), lower is better
//   classification:  2 classes → 1 sigmoid unit + binary crossentropy (y is 0/1);
//                    k > 2 → k softmax units + sparse categorical crossentropy (y is the class index);
//                    metric val_accuracy = share of rows whose predicted class is y, higher is better
#include <cstddef>
#include <string_view>
#include <vector>

#include "dense/activation.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/loss.hpp"
#include "dense/matrix.hpp"

namespace dense::tune {

struct Objective {
    io::Task task = io::Task::regression;
    std::size_t outputs = 1;        // regression: target columns; classification: classes
    double target_variance = 1.0;   // regression: mean variance of the targets, the scale of val_mse
    // Regression: what one unit of y is in the target's own units (its standard deviation when y
    // was standardised), so tables show the validation RMSE in those units.
    double display_scale = 1.0;

    // Classification when y is one column of integers 0 … k−1 with at most 10 distinct values and
    // no more than half as many as rows (the rule of io::fit_preprocessing); regression otherwise.
    static Objective infer(const Matrix<float>& y);
    // The objective of a task already known (from preprocessing); checks that y fits it.
    static Objective for_task(io::Task task, const Matrix<float>& y);

    std::size_t output_units() const noexcept;
    Activation output_activation() const noexcept;
    Loss loss() const noexcept;
    std::string_view metric_name() const noexcept;
    // The column tables show: val_accuracy, or val_rmse = √val_mse · display_scale.
    std::string_view display_name() const noexcept;
    bool higher_is_better() const noexcept { return task == io::Task::classification; }

    // The validation metric of predictions y_pred for targets y_true; NaN when y_pred is not finite.
    double score(const Matrix<float>& y_true, const Matrix<float>& y_pred) const;
    // The standard error of that score as a mean over rows: √(p(1 − p)/n) for accuracy p, the
    // sample deviation of the rows' squared errors over √n for MSE.
    double standard_error(const Matrix<float>& y_true, const Matrix<float>& y_pred) const;
    // True when score a beats score b; NaN never beats anything and anything finite beats NaN.
    bool better(double a, double b) const noexcept;
    // True when `score` counts as good as `best`: it is worse by at most `margin` (for regression
    // plus 1e-6 of the target variance, the noise of float32 arithmetic, so two exact fits tie).
    bool as_good_as(double score, double best, double margin) const noexcept;
};

// The sample standard deviation s = √(Σ(v − v̄)² / (n − 1)); 0 for fewer than two values.
double sample_deviation(const std::vector<double>& values);

}  // namespace dense::tune
