#include "metric.hpp"

#include <cmath>

#include "dense/error.hpp"

namespace dense::detail {

namespace {

bool is_accuracy(const std::string& n) { return n == "accuracy" || n == "acc"; }

template <class T>
std::size_t argmax(std::span<const T> row) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < row.size(); ++c)
        if (row[c] > row[best]) best = c;
    return best;
}

}  // namespace

Metric::Metric(std::string name) : name_(std::move(name)) { check_name(name_); }

void Metric::check_name(const std::string& n) {
    static const char* known[] = {"accuracy", "acc", "binary_accuracy", "categorical_accuracy",
                                  "sparse_categorical_accuracy", "mae", "mean_absolute_error", "mse",
                                  "mean_squared_error", "rmse", "root_mean_squared_error"};
    for (const char* k : known)
        if (n == k) return;
    throw UsageError("unknown metric '" + n +
                     "'; use accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, mae, mse "
                     "or rmse");
}

// Keras 3: one output → binary; one target column for several outputs → sparse; else categorical.
MetricKind Metric::kind_for(std::size_t target_cols, std::size_t outputs) const {
    if (is_accuracy(name_)) {
        if (outputs == 1) return MetricKind::binary_accuracy;
        return target_cols == 1 ? MetricKind::sparse_categorical_accuracy : MetricKind::categorical_accuracy;
    }
    if (name_ == "binary_accuracy") return MetricKind::binary_accuracy;
    if (name_ == "categorical_accuracy") return MetricKind::categorical_accuracy;
    if (name_ == "sparse_categorical_accuracy") return MetricKind::sparse_categorical_accuracy;
    if (name_ == "mae" || name_ == "mean_absolute_error") return MetricKind::mae;
    if (name_ == "mse" || name_ == "mean_squared_error") return MetricKind::mse;
    return MetricKind::rmse;
}

template <class T>
void Metric::update(const Matrix<T>& y_true, const Matrix<T>& y_pred) {
    const std::size_t rows = y_pred.rows(), cols = y_pred.cols();
    const MetricKind kind = kind_for(y_true.cols(), cols);
    for (std::size_t r = 0; r < rows; ++r) {
        const auto t = y_true.row(r);
        const auto p = y_pred.row(r);
        double sample = 0.0;
        switch (kind) {
            case MetricKind::binary_accuracy:  // mean((ŷ > 0.5) == y)
                for (std::size_t c = 0; c < cols; ++c) sample += (p[c] > T(0.5)) == (t[c] > T(0.5));
                sample /= double(cols);
                break;
            case MetricKind::categorical_accuracy: sample = argmax(p) == argmax(t); break;
            case MetricKind::sparse_categorical_accuracy: sample = double(argmax(p)) == std::round(double(t[0])); break;
            case MetricKind::mae:
                for (std::size_t c = 0; c < cols; ++c) sample += std::abs(double(p[c] - t[c]));
                sample /= double(cols);
                break;
            case MetricKind::mse:
                for (std::size_t c = 0; c < cols; ++c) sample += double(p[c] - t[c]) * double(p[c] - t[c]);
                sample /= double(cols);
                break;
            case MetricKind::rmse:  // √(mean of all squared errors)
                for (std::size_t c = 0; c < cols; ++c) sample += double(p[c] - t[c]) * double(p[c] - t[c]);
                count_ += double(cols) - 1.0;
                break;
        }
        total_ += sample;
        count_ += 1.0;
    }
}

double Metric::result() const {
    if (count_ == 0.0) return 0.0;
    const double mean = total_ / count_;
    return kind_for(1, 1) == MetricKind::rmse ? std::sqrt(mean) : mean;
}

template void Metric::update<float>(const Matrix<float>&, const Matrix<float>&);
template void Metric::update<double>(const Matrix<double>&, const Matrix<double>&);

}  // namespace dense::detail
