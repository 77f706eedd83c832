#include "dense/optimizers/sgd.hpp"

#include "option_range.hpp"

namespace dense {

template <class T>
BasicSGD<T>::BasicSGD(LearningRate learning_rate, SGDOptions options)
    : BasicOptimizer<T>(std::move(learning_rate), options.clipping), options_(options) {
    detail::require_in_range("SGD", "momentum", options.momentum, detail::OptionRange::unit_interval);
}

template <class T>
void BasicSGD<T>::update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr, std::int64_t) {
    const T rate = T(lr);
    if (options_.momentum == 0.0) {
        for (std::size_t i = 0; i < w.size(); ++i) w[i] -= rate * g[i];  // w ← w − lr·g
        return;
    }
    const T mu = T(options_.momentum);
    auto m = slots[0];
    for (std::size_t i = 0; i < w.size(); ++i) {
        m[i] = mu * m[i] - rate * g[i];                                   // m ← μ·m − lr·g
        w[i] += options_.nesterov ? mu * m[i] - rate * g[i] : m[i];       // w ← w + μ·m − lr·g | w + m
    }
}

template class BasicSGD<float>;
template class BasicSGD<double>;

}  // namespace dense
