#include "dense/loss.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "dense/error.hpp"
#include "kernels/softmax_crossentropy.hpp"
#include "option_range.hpp"

namespace dense {

namespace {

struct NamedLoss {
    std::string_view name;
    LossKind kind;
};

constexpr std::array kLossNames{
    NamedLoss{"mean_squared_error", LossKind::mean_squared_error},
    NamedLoss{"mse", LossKind::mean_squared_error},
    NamedLoss{"mean_absolute_error", LossKind::mean_absolute_error},
    NamedLoss{"mae", LossKind::mean_absolute_error},
    NamedLoss{"huber", LossKind::huber},
    NamedLoss{"binary_crossentropy", LossKind::binary_crossentropy},
    NamedLoss{"categorical_crossentropy", LossKind::categorical_crossentropy},
    NamedLoss{"sparse_categorical_crossentropy", LossKind::sparse_categorical_crossentropy},
};

// Keras clips probabilities to [ε, 1 − ε] before taking logs.
constexpr double kEpsilon = 1e-7;

std::string shape_of(std::size_t rows, std::size_t cols) {
    return "[" + std::to_string(rows) + ", " + std::to_string(cols) + "]";
}

template <class T>
std::size_t class_index(T label, std::size_t classes, std::size_t row) {
    const double rounded = std::round(static_cast<double>(label));
    if (!(rounded >= 0) || rounded >= static_cast<double>(classes) || rounded != static_cast<double>(label))
        throw DataError("sparse_categorical_crossentropy: label " + std::to_string(static_cast<double>(label)) +
                        " in row " + std::to_string(row) + " is not a class index in [0, " +
                        std::to_string(classes) + "); labels must be integers 0.." + std::to_string(classes - 1));
    return static_cast<std::size_t>(rounded);
}

void check_shapes(const Loss& loss, std::size_t true_rows, std::size_t true_cols, std::size_t pred_rows,
                  std::size_t pred_cols) {
    const bool sparse = loss.kind() == LossKind::sparse_categorical_crossentropy;
    const bool ok = true_rows == pred_rows && (sparse ? true_cols == 1 : true_cols == pred_cols);
    if (ok) return;
    throw DataError(std::string(loss.name()) + ": targets of shape " + shape_of(true_rows, true_cols) +
                    " do not match predictions of shape " + shape_of(pred_rows, pred_cols) +
                    (sparse ? "; sparse labels need one column of class indices"
                            : "; give one target column per model output"));
}

// log σ(z) and log(1 − σ(z)) without overflow: log σ(z) = −softplus(−z).
template <class T>
T log_sigmoid(T z) {
    return -(std::max(-z, T(0)) + std::log1p(std::exp(-std::abs(z))));
}

// The per-row log-softmax: zᵢ − max z − log Σⱼ e^(zⱼ − max z).
template <class T>
T log_sum_exp(std::span<const T> z) {
    const T top = *std::max_element(z.begin(), z.end());
    T sum = 0;
    for (T v : z) sum += std::exp(v - top);
    return top + std::log(sum);
}

}  // namespace

Loss::Loss(LossKind kind, bool from_logits, double delta) : kind_(kind), from_logits_(from_logits), delta_(delta) {
    detail::require_in_range("Loss", "delta", delta, detail::OptionRange::positive);
}

Loss::Loss(std::string_view name) {
    for (const auto& entry : kLossNames) {
        if (entry.name == name) {
            kind_ = entry.kind;
            return;
        }
    }
    throw UsageError("unknown loss '" + std::string(name) + "'; use one of: " + std::string(known_names()));
}

std::string_view Loss::name() const noexcept {
    for (const auto& entry : kLossNames)
        if (entry.kind == kind_ && entry.name.size() > 3) return entry.name;
    return "mean_squared_error";
}

std::string_view Loss::known_names() noexcept {
    return "mean_squared_error (mse), mean_absolute_error (mae), huber, binary_crossentropy, "
           "categorical_crossentropy, sparse_categorical_crossentropy";
}

bool Loss::is_crossentropy() const noexcept {
    return kind_ == LossKind::binary_crossentropy || kind_ == LossKind::categorical_crossentropy ||
           kind_ == LossKind::sparse_categorical_crossentropy;
}

template <class T>
double Loss::value(const Matrix<T>& y_true, const Matrix<T>& y_pred) const {
    check_shapes(*this, y_true.rows(), y_true.cols(), y_pred.rows(), y_pred.cols());
    const std::size_t rows = y_pred.rows(), cols = y_pred.cols();
    if (rows == 0) return 0.0;
    const double eps = kEpsilon;
    double total = 0.0;  // Σ over the batch of each sample's loss
    for (std::size_t r = 0; r < rows; ++r) {
        const auto t = y_true.row(r);
        const auto p = y_pred.row(r);
        double sample = 0.0;
        switch (kind_) {
            case LossKind::mean_squared_error:  // mean((y − ŷ)²)
                for (std::size_t c = 0; c < cols; ++c) sample += double(p[c] - t[c]) * double(p[c] - t[c]);
                sample /= double(cols);
                break;
            case LossKind::mean_absolute_error:  // mean(|y − ŷ|)
                for (std::size_t c = 0; c < cols; ++c) sample += std::abs(double(p[c] - t[c]));
                sample /= double(cols);
                break;
            case LossKind::huber:  // ½e² if |e| ≤ δ, else δ(|e| − ½δ)
                for (std::size_t c = 0; c < cols; ++c) {
                    const double e = std::abs(double(p[c] - t[c]));
                    sample += e <= delta_ ? 0.5 * e * e : delta_ * (e - 0.5 * delta_);
                }
                sample /= double(cols);
                break;
            case LossKind::binary_crossentropy:
                for (std::size_t c = 0; c < cols; ++c) {
                    const double y = t[c];
                    if (from_logits_) {  // max(z, 0) − z·y + log(1 + e^(−|z|))
                        const double z = p[c];
                        sample += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
                    } else {  // −(y·log ŷ + (1 − y)·log(1 − ŷ)), ŷ clipped to [ε, 1 − ε]
                        const double q = std::clamp(double(p[c]), eps, 1.0 - eps);
                        sample -= y * std::log(q) + (1.0 - y) * std::log(1.0 - q);
                    }
                }
                sample /= double(cols);
                break;
            case LossKind::categorical_crossentropy:
            case LossKind::sparse_categorical_crossentropy: {
                const bool sparse = kind_ == LossKind::sparse_categorical_crossentropy;
                const std::size_t label = sparse ? class_index(t[0], cols, r) : 0;
                if (from_logits_) {  // −Σ y·log softmax(z)
                    const double lse = log_sum_exp(std::span<const T>(p));
                    if (sparse) sample = lse - p[label];
                    else
                        for (std::size_t c = 0; c < cols; ++c) sample -= double(t[c]) * (double(p[c]) - lse);
                } else {  // −Σ y·log(ŷ / Σŷ), clipped to [ε, 1 − ε]
                    double sum = 0;
                    for (std::size_t c = 0; c < cols; ++c) sum += p[c];
                    auto clipped_log = [&](std::size_t c) { return std::log(std::clamp(p[c] / sum, eps, 1.0 - eps)); };
                    if (sparse) sample = -clipped_log(label);
                    else
                        for (std::size_t c = 0; c < cols; ++c) sample -= double(t[c]) * clipped_log(c);
                }
                break;
            }
        }
        total += sample;
    }
    return total / double(rows);
}

template <class T>
void Loss::gradient(const Matrix<T>& y_true, const Matrix<T>& y_pred, Matrix<T>& grad) const {
    check_shapes(*this, y_true.rows(), y_true.cols(), y_pred.rows(), y_pred.cols());
    const std::size_t rows = y_pred.rows(), cols = y_pred.cols();
    grad.resize(rows, cols);
    if (rows == 0) return;
    const double eps = kEpsilon;
    const double per_sample = 1.0 / double(rows);  // the "sum over batch size" reduction
    const double per_element = per_sample / double(cols);
    for (std::size_t r = 0; r < rows; ++r) {
        const auto t = y_true.row(r);
        const auto p = y_pred.row(r);
        const auto g = grad.row(r);
        switch (kind_) {
            case LossKind::mean_squared_error:  // ∂/∂ŷ = 2(ŷ − y) / (outputs · batch)
                for (std::size_t c = 0; c < cols; ++c) g[c] = T(2.0 * double(p[c] - t[c]) * per_element);
                break;
            case LossKind::mean_absolute_error:  // sign(ŷ − y) / (outputs · batch)
                for (std::size_t c = 0; c < cols; ++c) {
                    const double e = double(p[c] - t[c]);
                    g[c] = T((e > 0 ? 1.0 : e < 0 ? -1.0 : 0.0) * per_element);
                }
                break;
            case LossKind::huber:  // e if |e| ≤ δ, else δ·sign(e)
                for (std::size_t c = 0; c < cols; ++c) {
                    const double e = double(p[c] - t[c]);
                    g[c] = T(std::clamp(e, -delta_, delta_) * per_element);
                }
                break;
            case LossKind::binary_crossentropy:
                for (std::size_t c = 0; c < cols; ++c) {
                    const double y = t[c];
                    if (from_logits_) {  // σ(z) − y
                        g[c] = T((1.0 / (1.0 + std::exp(-double(p[c]))) - y) * per_element);
                    } else {  // (ŷ − y) / (ŷ(1 − ŷ)) inside the clip, 0 outside it
                        const double q = p[c];
                        g[c] = q < eps || q > 1.0 - eps ? T(0) : T((q - y) / (q * (1.0 - q)) * per_element);
                    }
                }
                break;
            case LossKind::categorical_crossentropy:
            case LossKind::sparse_categorical_crossentropy: {
                const bool sparse = kind_ == LossKind::sparse_categorical_crossentropy;
                const std::size_t label = sparse ? class_index(t[0], cols, r) : 0;
                auto target = [&](std::size_t c) { return sparse ? (c == label ? 1.0 : 0.0) : double(t[c]); };
                double target_sum = 0;
                for (std::size_t c = 0; c < cols; ++c) target_sum += target(c);
                if (from_logits_) {  // softmax(z)·Σy − y
                    const double lse = log_sum_exp(std::span<const T>(p));
                    for (std::size_t c = 0; c < cols; ++c)
                        g[c] = T((std::exp(double(p[c]) - lse) * target_sum - target(c)) * per_sample);
                } else {
                    // q = ŷ/S with S = Σŷ; L = −Σ y·log clip(q).  ∂L/∂qⱼ = −yⱼ/qⱼ (0 where clipped);
                    // ∂L/∂ŷₖ = (∂L/∂qₖ − Σⱼ ∂L/∂qⱼ·qⱼ) / S
                    double sum = 0;
                    for (std::size_t c = 0; c < cols; ++c) sum += p[c];
                    double weighted = 0;
                    for (std::size_t c = 0; c < cols; ++c) {
                        const double q = p[c] / sum;
                        const double dq = q < eps || q > 1.0 - eps ? 0.0 : -target(c) / q;
                        g[c] = T(dq);
                        weighted += dq * q;
                    }
                    for (std::size_t c = 0; c < cols; ++c) g[c] = T((double(g[c]) - weighted) / sum * per_sample);
                }
                break;
            }
        }
    }
}

// The same expressions as value() and gradient(), in one pass over the batch.
template <class T>
double Loss::value_and_gradient(const Matrix<T>& y_true, const Matrix<T>& y_pred, Matrix<T>& grad) const {
    if (kind_ != LossKind::mean_squared_error) {
        gradient(y_true, y_pred, grad);
        return value(y_true, y_pred);
    }
    if (y_true.rows() != y_pred.rows() || y_true.cols() != y_pred.cols())
        check_shapes(*this, y_true.rows(), y_true.cols(), y_pred.rows(), y_pred.cols());
    const std::size_t rows = y_pred.rows(), cols = y_pred.cols();
    grad.resize(rows, cols);
    if (rows == 0) return 0.0;
    const double per_element = 1.0 / double(rows) / double(cols);
    const double slope = 2.0 * per_element;  // (2·e)·s and e·(2·s) round alike: doubling is exact
    const T* t = y_true.data();
    const T* p = y_pred.data();
    T* g = grad.data();
    double total = 0.0, sample = 0.0;
    if (cols == 1) {  // a one-output model: each row's mean is its one squared error
        for (std::size_t i = 0; i < rows; ++i) {
            const double e = double(p[i] - t[i]);
            total += e * e;                   // (y − ŷ)²
            g[i] = T(e * slope);              // ∂/∂ŷ = 2(ŷ − y) / batch
        }
        return total / double(rows);
    }
    // One loop over every element, closing a row's mean at its last column.
    for (std::size_t i = 0, c = 1; i < rows * cols; ++i, ++c) {
        const double e = double(p[i] - t[i]);
        sample += e * e;                  // (y − ŷ)²
        g[i] = T(e * slope);              // ∂/∂ŷ = 2(ŷ − y) / (outputs · batch)
        if (c == cols) {
            total += sample / double(cols);
            sample = 0.0;
            c = 0;
        }
    }
    return total / double(rows);
}

template <class T>
double Loss::softmax_value_and_gradient(const Matrix<T>& y_true, const Matrix<T>& logits, Matrix<T>& probabilities,
                                        Matrix<T>& grad) const {
    const bool sparse = kind_ == LossKind::sparse_categorical_crossentropy;
    if (!sparse && kind_ != LossKind::categorical_crossentropy)
        throw UsageError(std::string(name()) + " has no softmax form; use a categorical cross-entropy");
    check_shapes(*this, y_true.rows(), y_true.cols(), logits.rows(), logits.cols());
    const std::size_t rows = logits.rows(), cols = logits.cols();
    if (sparse)
        for (std::size_t r = 0; r < rows; ++r) class_index(y_true(r, 0), cols, r);
    probabilities.resize(rows, cols);
    grad.resize(rows, cols);
    if (rows == 0) return 0.0;
    const double total = kernels::softmax_crossentropy(rows, cols, logits.data(), y_true.data(), sparse, T(1.0 / double(rows)),
                                                       probabilities.data(), grad.data());
    return total / double(rows);
}

template double Loss::value<float>(const Matrix<float>&, const Matrix<float>&) const;
template double Loss::value<double>(const Matrix<double>&, const Matrix<double>&) const;
template void Loss::gradient<float>(const Matrix<float>&, const Matrix<float>&, Matrix<float>&) const;
template void Loss::gradient<double>(const Matrix<double>&, const Matrix<double>&, Matrix<double>&) const;
template double Loss::value_and_gradient<float>(const Matrix<float>&, const Matrix<float>&, Matrix<float>&) const;
template double Loss::value_and_gradient<double>(const Matrix<double>&, const Matrix<double>&, Matrix<double>&) const;
template double Loss::softmax_value_and_gradient<float>(const Matrix<float>&, const Matrix<float>&, Matrix<float>&,
                                                        Matrix<float>&) const;
template double Loss::softmax_value_and_gradient<double>(const Matrix<double>&, const Matrix<double>&, Matrix<double>&,
                                                         Matrix<double>&) const;

}  // namespace dense
