#include "dense/optimizers/adagrad.hpp"

#include <cmath>

#include "option_range.hpp"

namespace dense {

template <class T>
BasicAdagrad<T>::BasicAdagrad(LearningRate learning_rate, AdagradOptions options)
    : BasicOptimizer<T>(std::move(learning_rate), options.clipping), options_(options) {
    using detail::OptionRange, detail::require_in_range;
    require_in_range("Adagrad", "initial_accumulator_value", options.initial_accumulator_value, OptionRange::non_negative);
    require_in_range("Adagrad", "epsilon", options.epsilon, OptionRange::non_negative);
}

template <class T>
void BasicAdagrad<T>::update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                             std::int64_t) {
    const T rate = T(lr), eps = T(options_.epsilon);
    auto accumulator = slots[0];
    for (std::size_t i = 0; i < w.size(); ++i) {
        accumulator[i] += g[i] * g[i];                              // a ← a + g²
        w[i] -= rate * g[i] / std::sqrt(accumulator[i] + eps);      // w ← w − lr·g / √(a + ε)
    }
}

template class BasicAdagrad<float>;
template class BasicAdagrad<double>;

}  // namespace dense
