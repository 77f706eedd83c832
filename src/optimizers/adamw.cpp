#include "dense/optimizers/adamw.hpp"

#include "option_range.hpp"

namespace dense {

template <class T>
BasicAdamW<T>::BasicAdamW(LearningRate learning_rate, AdamWOptions options)
    : BasicAdam<T>(std::move(learning_rate), AdamOptions{options.beta_1, options.beta_2, options.epsilon,
                                                         options.amsgrad, options.clipping}),
      weight_decay_(options.weight_decay) {
    detail::require_in_range("AdamW", "weight_decay", options.weight_decay, detail::OptionRange::non_negative);
}

template <class T>
void BasicAdamW<T>::update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                           std::int64_t step) {
    const T decay = T(weight_decay_ * lr);
    for (auto& wi : w) wi -= wi * decay;  // w ← w − w·λ·lr
    BasicAdam<T>::update(w, g, slots, lr, step);
}

template class BasicAdamW<float>;
template class BasicAdamW<double>;

}  // namespace dense
