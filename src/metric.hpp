#pragma once
// Metric: a running value over the batches of an epoch (Keras' stateful metrics), by name:
// accuracy (binary, categorical or sparse, chosen from the shapes as Keras does), mae, mse, rmse.
#include <string>
#include <utility>

#include "dense/matrix.hpp"

namespace dense::detail {

enum class MetricKind { binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, mae, mse, rmse };

class Metric {
public:
    // The name as the user wrote it is the key it is logged under. Unknown → UsageError.
    explicit Metric(std::string name);
    static void check_name(const std::string& name);

    const std::string& name() const noexcept { return name_; }
    void reset() noexcept { total_ = count_ = 0.0; }
    template <class T>
    void update(const Matrix<T>& y_true, const Matrix<T>& y_pred);
    double result() const;
    // The running sums behind result(), to add up those of several processes.
    std::pair<double, double> totals() const noexcept { return {total_, count_}; }
    void set_totals(double total, double count) noexcept { total_ = total, count_ = count; }

private:
    MetricKind kind_for(std::size_t target_cols, std::size_t outputs) const;
    std::string name_;
    double total_ = 0.0, count_ = 0.0;
};

}  // namespace dense::detail
