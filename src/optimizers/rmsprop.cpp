#include "dense/optimizers/rmsprop.hpp"

#include <cmath>

#include "kernels/elementwise.hpp"
#include "option_range.hpp"

namespace dense {

template <class T>
BasicRMSprop<T>::BasicRMSprop(LearningRate learning_rate, RMSpropOptions options)
    : BasicOptimizer<T>(std::move(learning_rate), options.clipping), options_(options) {
    using detail::OptionRange, detail::require_in_range;
    require_in_range("RMSprop", "rho", options.rho, OptionRange::unit_interval);
    require_in_range("RMSprop", "momentum", options.momentum, OptionRange::unit_interval);
    require_in_range("RMSprop", "epsilon", options.epsilon, OptionRange::non_negative);
}

template <class T>
void BasicRMSprop<T>::update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                             std::int64_t) {
    const T rho = T(options_.rho), eps = T(options_.epsilon), rate = T(lr), mu = T(options_.momentum);
    auto v = slots[0], mean_g = slots[1], m = slots[2];
    if (!options_.centered)  // the common case, eight at a time where AVX2 is there
        return kernels::rmsprop_update<T>(w, g, v, options_.momentum > 0 ? m : std::span<T>{}, rate, rho, mu, eps);
    for (std::size_t i = 0; i < w.size(); ++i) {
        v[i] = rho * v[i] + (T(1) - rho) * g[i] * g[i];             // v ← ρ·v + (1 − ρ)·g²
        mean_g[i] = rho * mean_g[i] + (T(1) - rho) * g[i];          // ḡ ← ρ·ḡ + (1 − ρ)·g
        const T denominator = v[i] - mean_g[i] * mean_g[i] + eps;   // d = v − ḡ² + ε
        const T increment = rate * g[i] / std::sqrt(denominator);  // Δ = lr·g / √d
        if (options_.momentum > 0) {
            m[i] = mu * m[i] + increment;  // m ← μ·m + Δ
            w[i] -= m[i];
        } else {
            w[i] -= increment;
        }
    }
}

template class BasicRMSprop<float>;
template class BasicRMSprop<double>;

}  // namespace dense
