#pragma once
// Regularizer: Keras' L1L2 weight penalty, added to the loss: l1·Σ|w| + l2·Σw².
namespace dense {

struct Regularizer {
    double l1 = 0.0;
    double l2 = 0.0;
    bool active() const noexcept { return l1 != 0.0 || l2 != 0.0; }
    bool operator==(const Regularizer&) const = default;
};

namespace regularizers {
inline Regularizer l1(double l1 = 0.01) { return {l1, 0.0}; }
inline Regularizer l2(double l2 = 0.01) { return {0.0, l2}; }
inline Regularizer l1_l2(double l1 = 0.01, double l2 = 0.01) { return {l1, l2}; }
}  // namespace regularizers

}  // namespace dense
