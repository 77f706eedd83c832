#include "dense/optimizers/nadam.hpp"

#include <cmath>

#include "option_range.hpp"

namespace dense {

namespace {
constexpr double kMomentumDecay = 0.96;
}

template <class T>
BasicNadam<T>::BasicNadam(LearningRate learning_rate, NadamOptions options)
    : BasicOptimizer<T>(std::move(learning_rate), options.clipping), options_(options) {
    detail::require_adam_options("Nadam", options.beta_1, options.beta_2, options.epsilon);
}

// Πₜ = Πₜ₋₁ · μₜ, kept in scalars_[0] (Π₀ = 1), once per step for all parameters.
template <class T>
void BasicNadam<T>::begin_step(std::int64_t step, double) {
    if (this->scalars_.empty()) this->scalars_.push_back(1.0);
    const double mu_t = options_.beta_1 * (1.0 - 0.5 * std::pow(kMomentumDecay, double(step)));
    this->scalars_[0] *= mu_t;
}

template <class T>
void BasicNadam<T>::update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                           std::int64_t step) {
    const double t = double(step);
    const double mu_t = options_.beta_1 * (1.0 - 0.5 * std::pow(kMomentumDecay, t));         // μₜ
    const double mu_next = options_.beta_1 * (1.0 - 0.5 * std::pow(kMomentumDecay, t + 1));  // μₜ₊₁
    const double product = this->scalars_[0];                                                  // Πₜ
    const T m_scale = T(mu_next / (1.0 - product * mu_next));
    const T g_scale = T((1.0 - mu_t) / (1.0 - product));
    const T v_scale = T(1.0 / (1.0 - std::pow(options_.beta_2, t)));
    const T b1 = T(options_.beta_1), b2 = T(options_.beta_2), eps = T(options_.epsilon), rate = T(lr);
    auto m = slots[0], v = slots[1];
    for (std::size_t i = 0; i < w.size(); ++i) {
        m[i] += (g[i] - m[i]) * (T(1) - b1);                // m ← m + (g − m)(1 − β₁)
        v[i] += (g[i] * g[i] - v[i]) * (T(1) - b2);         // v ← v + (g² − v)(1 − β₂)
        const T m_hat = m_scale * m[i] + g_scale * g[i];    // m̂ = μₜ₊₁·m/(1 − Πₜμₜ₊₁) + (1 − μₜ)·g/(1 − Πₜ)
        const T v_hat = v[i] * v_scale;                     // v̂ = v / (1 − β₂ᵗ)
        w[i] -= m_hat * rate / (std::sqrt(v_hat) + eps);    // w ← w − lr·m̂ / (√v̂ + ε)
    }
}

template class BasicNadam<float>;
template class BasicNadam<double>;

}  // namespace dense
