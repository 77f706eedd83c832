#include "dense/tune/objective.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "dense/error.hpp"

namespace dense::tune {

namespace {

constexpr std::size_t max_inferred_classes = 10;
// The relative error of float32 arithmetic on a well-fitted regression, as a share of the target variance.
constexpr double float32_noise = 1e-6;

bool is_class_index(float value) noexcept { return value >= 0.0f && std::floor(value) == value; }

// The distinct values of a one-column y when all are class indices, else empty.
std::set<float> class_values(const Matrix<float>& y) {
    std::set<float> values;
    if (y.cols() != 1) return {};
    for (float v : y.values()) {
        if (!is_class_index(v)) return {};
        values.insert(v);
        if (values.size() > max_inferred_classes) return {};
    }
    return values;
}

std::size_t class_count(const Matrix<float>& y) {
    float largest = 0.0f;
    for (float v : y.values()) {
        if (!is_class_index(v))
            throw DataError("tune: a classification target must hold class indices 0, 1, 2 …; found " +
                            std::to_string(v) + " (encode the labels first, e.g. with io::encode_targets)");
        largest = std::max(largest, v);
    }
    return static_cast<std::size_t>(largest) + 1;
}

// Mean over the columns of each column's variance.
double mean_variance(const Matrix<float>& y) {
    double total = 0.0;
    for (std::size_t c = 0; c < y.cols(); ++c) {
        double mean = 0.0, square = 0.0;
        for (std::size_t r = 0; r < y.rows(); ++r) mean += y(r, c);
        mean /= static_cast<double>(y.rows());
        for (std::size_t r = 0; r < y.rows(); ++r) square += (y(r, c) - mean) * (y(r, c) - mean);
        total += square / static_cast<double>(y.rows());
    }
    return y.cols() == 0 ? 0.0 : total / static_cast<double>(y.cols());
}

double mean_squared_error(const Matrix<float>& y_true, const Matrix<float>& y_pred) {
    double sum = 0.0;
    for (std::size_t i = 0; i < y_true.size(); ++i) {
        const double error = static_cast<double>(y_pred.data()[i]) - y_true.data()[i];
        sum += error * error;
    }
    return sum / static_cast<double>(y_true.size());
}

std::size_t predicted_class(std::span<const float> outputs) {
    if (outputs.size() == 1) return outputs[0] >= 0.5f ? 1 : 0;
    return static_cast<std::size_t>(std::max_element(outputs.begin(), outputs.end()) - outputs.begin());
}

double accuracy(const Matrix<float>& y_true, const Matrix<float>& y_pred) {
    std::size_t correct = 0;
    for (std::size_t r = 0; r < y_pred.rows(); ++r) {
        const auto outputs = y_pred.row(r);
        for (float v : outputs)
            if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
        if (predicted_class(outputs) == static_cast<std::size_t>(y_true(r, 0))) ++correct;
    }
    return static_cast<double>(correct) / static_cast<double>(y_pred.rows());
}

}  // namespace

Objective Objective::infer(const Matrix<float>& y) {
    const auto classes = class_values(y);
    const bool few_classes = classes.size() >= 2 && classes.size() <= y.rows() / 2;
    return for_task(few_classes ? io::Task::classification : io::Task::regression, y);
}

Objective Objective::for_task(io::Task task, const Matrix<float>& y) {
    if (y.rows() == 0 || y.cols() == 0) throw DataError("tune: the targets are empty; give at least one row and column");
    Objective objective;
    objective.task = task;
    if (task == io::Task::regression) {
        objective.outputs = y.cols();
        objective.target_variance = mean_variance(y);
        return objective;
    }
    if (y.cols() != 1)
        throw DataError("tune: a classification target must be one column of class indices, not " +
                        std::to_string(y.cols()) + " columns");
    objective.outputs = class_count(y);
    if (objective.outputs < 2)
        throw DataError("tune: the classification target has a single class (0); a model needs at least two");
    return objective;
}

std::size_t Objective::output_units() const noexcept {
    return task == io::Task::classification && outputs == 2 ? 1 : outputs;
}

Activation Objective::output_activation() const noexcept {
    if (task == io::Task::regression) return activations::linear;
    return outputs == 2 ? activations::sigmoid : activations::softmax;
}

Loss Objective::loss() const noexcept {
    if (task == io::Task::regression) return losses::mean_squared_error();
    return outputs == 2 ? losses::binary_crossentropy() : losses::sparse_categorical_crossentropy();
}

std::string_view Objective::metric_name() const noexcept {
    return task == io::Task::classification ? "val_accuracy" : "val_mse";
}

std::string_view Objective::display_name() const noexcept {
    return task == io::Task::classification ? "val_accuracy" : "val_rmse";
}

double Objective::score(const Matrix<float>& y_true, const Matrix<float>& y_pred) const {
    if (y_true.rows() != y_pred.rows() || y_pred.rows() == 0)
        throw DataError("tune: cannot score " + std::to_string(y_pred.rows()) + " predictions against " +
                        std::to_string(y_true.rows()) + " targets");
    if (task == io::Task::classification) return accuracy(y_true, y_pred);
    const double mse = mean_squared_error(y_true, y_pred);
    return std::isfinite(mse) ? mse : std::numeric_limits<double>::quiet_NaN();
}

bool Objective::better(double a, double b) const noexcept {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return higher_is_better() ? a > b : a < b;
}

bool Objective::as_good_as(double score, double best, double margin) const noexcept {
    if (std::isnan(score)) return false;
    if (task == io::Task::classification) return score >= best - margin;
    return score <= best + margin + float32_noise * target_variance;
}

double Objective::standard_error(const Matrix<float>& y_true, const Matrix<float>& y_pred) const {
    const double n = static_cast<double>(y_true.rows());
    if (task == io::Task::classification) {
        const double p = accuracy(y_true, y_pred);
        return std::sqrt(p * (1.0 - p) / n);  // the Bernoulli mean's standard error
    }
    std::vector<double> row_errors(y_true.rows());  // each row's mean squared error over the targets
    for (std::size_t r = 0; r < y_true.rows(); ++r) {
        for (std::size_t c = 0; c < y_true.cols(); ++c) {
            const double error = double(y_pred(r, c)) - double(y_true(r, c));
            row_errors[r] += error * error / double(y_true.cols());
        }
    }
    return sample_deviation(row_errors) / std::sqrt(n);
}

double sample_deviation(const std::vector<double>& values) {
    if (values.size() < 2) return 0.0;
    double mean = 0.0;
    for (double v : values) mean += v / double(values.size());
    double squares = 0.0;
    for (double v : values) squares += (v - mean) * (v - mean);
    return std::sqrt(squares / double(values.size() - 1));  // s = √(Σ(v − v̄)² / (n − 1))
}

}  // namespace dense::tune
