#pragma once
// Loss: Keras' loss functions with its "sum over batch size" reduction: the per-sample loss
// (usually a mean over the last axis) summed over the batch and divided by the batch size.
#include <string>
#include <string_view>

#include "dense/matrix.hpp"

namespace dense {

enum class LossKind {
    mean_squared_error, mean_absolute_error, huber, binary_crossentropy,
    categorical_crossentropy, sparse_categorical_crossentropy
};

class Loss {
public:
    Loss() = default;
    // delta: Huber's threshold between the squared and the linear part, > 0 (UsageError otherwise).
    Loss(LossKind kind, bool from_logits = false, double delta = 1.0);
    // "mse"/"mean_squared_error", "mae", "huber", "binary_crossentropy", "categorical_crossentropy",
    // "sparse_categorical_crossentropy". Unknown → UsageError naming the known ones.
    Loss(std::string_view name);
    Loss(const char* name) : Loss(std::string_view(name)) {}
    Loss(const std::string& name) : Loss(std::string_view(name)) {}

    LossKind kind() const noexcept { return kind_; }
    bool from_logits() const noexcept { return from_logits_; }
    double delta() const noexcept { return delta_; }
    std::string_view name() const noexcept;
    bool is_crossentropy() const noexcept;
    bool operator==(const Loss&) const = default;

    // The reduced loss of a batch. y_true has one column per output, or one class index per row
    // for sparse_categorical_crossentropy.
    template <class T>
    double value(const Matrix<T>& y_true, const Matrix<T>& y_pred) const;
    // dL/dy_pred of the reduced loss (so already divided by the batch size).
    template <class T>
    void gradient(const Matrix<T>& y_true, const Matrix<T>& y_pred, Matrix<T>& grad) const;
    // gradient() into grad and value() returned, the same numbers; mean squared error in one pass.
    template <class T>
    double value_and_gradient(const Matrix<T>& y_true, const Matrix<T>& y_pred, Matrix<T>& grad) const;
    // A softmax output under a categorical or sparse categorical cross-entropy, from its logits z
    // in one pass: probabilities = softmax(z), grad = dL/dz, and the reduced loss is returned
    // (what value and gradient give with from_logits, computed once). Other losses: UsageError.
    template <class T>
    double softmax_value_and_gradient(const Matrix<T>& y_true, const Matrix<T>& logits, Matrix<T>& probabilities,
                                      Matrix<T>& grad) const;

    static std::string_view known_names() noexcept;

private:
    LossKind kind_ = LossKind::mean_squared_error;
    bool from_logits_ = false;
    double delta_ = 1.0;
};

namespace losses {
inline Loss mean_squared_error() { return Loss(LossKind::mean_squared_error); }
inline Loss mean_absolute_error() { return Loss(LossKind::mean_absolute_error); }
inline Loss huber(double delta = 1.0) { return Loss(LossKind::huber, false, delta); }
inline Loss binary_crossentropy(bool from_logits = false) { return Loss(LossKind::binary_crossentropy, from_logits); }
inline Loss categorical_crossentropy(bool from_logits = false) { return Loss(LossKind::categorical_crossentropy, from_logits); }
inline Loss sparse_categorical_crossentropy(bool from_logits = false) {
    return Loss(LossKind::sparse_categorical_crossentropy, from_logits);
}
}  // namespace losses

}  // namespace dense
