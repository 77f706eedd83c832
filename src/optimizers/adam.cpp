#include "dense/optimizers/adam.hpp"

#include <algorithm>
#include <cmath>

#include "kernels/elementwise.hpp"
#include "option_range.hpp"

namespace dense {

namespace {

// baseᵉ by repeated squaring, for state saved without Adam's running powers.
double integer_power(double base, std::int64_t exponent) {
    double result = 1.0;
    for (; exponent > 0; exponent >>= 1, base *= base)
        if (exponent & 1) result *= base;
    return result;
}

}  // namespace

template <class T>
BasicAdam<T>::BasicAdam(LearningRate learning_rate, AdamOptions options)
    : BasicOptimizer<T>(std::move(learning_rate), options.clipping), options_(options) {
    detail::require_adam_options("Adam", options.beta_1, options.beta_2, options.epsilon);
}

// α = lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ), once per step for every parameter. β₁ᵗ and β₂ᵗ are kept in scalars_,
// one multiplication a step; saved state carries them, and state without them starts from t − 1.
template <class T>
void BasicAdam<T>::begin_step(std::int64_t step, double lr) {
    auto& powers = this->scalars_;
    if (powers.size() != 2) powers = {integer_power(options_.beta_1, step - 1), integer_power(options_.beta_2, step - 1)};
    powers[0] *= options_.beta_1;  // β₁ᵗ
    powers[1] *= options_.beta_2;  // β₂ᵗ
    alpha_ = T(lr * (std::sqrt(1.0 - powers[1]) / (1.0 - powers[0])));  // α = lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ)
}

template <class T>
void BasicAdam<T>::update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double,
                          std::int64_t) {
    const T alpha = alpha_, b1 = T(options_.beta_1), b2 = T(options_.beta_2), eps = T(options_.epsilon);
    auto m = slots[0], v = slots[1];
    if (!options_.amsgrad) return kernels::adam_update<T>(w, g, m, v, alpha, b1, b2, eps);
    for (std::size_t i = 0; i < w.size(); ++i) {
        m[i] += (g[i] - m[i]) * (T(1) - b1);         // m ← m + (g − m)(1 − β₁)
        v[i] += (g[i] * g[i] - v[i]) * (T(1) - b2);  // v ← v + (g² − v)(1 − β₂)
        T denominator_v = v[i];
        if (options_.amsgrad) denominator_v = slots[2][i] = std::max(slots[2][i], v[i]);  // v̂ ← max(v̂, v)
        w[i] -= alpha * m[i] / (std::sqrt(denominator_v) + eps);  // w ← w − α·m / (√v + ε)
    }
}

template class BasicAdam<float>;
template class BasicAdam<double>;

}  // namespace dense
