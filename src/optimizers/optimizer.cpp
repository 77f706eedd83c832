#include "dense/optimizers/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "dense/error.hpp"
#include "option_range.hpp"

namespace dense {

namespace {

template <class T>
double squared_norm(std::span<const T> values) {
    double sum = 0;
    for (T v : values) sum += double(v) * double(v);
    return sum;
}

template <class T>
void scale(std::span<T> values, double factor) {
    for (auto& v : values) v = T(double(v) * factor);
}

// Each threshold ≥ 0 (0 turns that kind of clipping off), at most one of them on.
void check_clipping(const GradientClipping& c) {
    for (const auto& [option, threshold] : {std::pair{"clipnorm", c.clipnorm}, std::pair{"clipvalue", c.clipvalue},
                                            std::pair{"global_clipnorm", c.global_clipnorm}})
        detail::require_in_range("gradient clipping", option, threshold, detail::OptionRange::non_negative);
    const int set = (c.clipnorm > 0) + (c.clipvalue > 0) + (c.global_clipnorm > 0);
    if (set > 1) throw UsageError("set only one of clipnorm, clipvalue and global_clipnorm, as in Keras");
}

// State from set_state holds as many slots as the parameters need, but each must also hold as many
// values as its parameter: state taken from another model would otherwise be read past its end.
// Checked before any parameter moves, so that a refused step changes nothing.
template <class T>
[[gnu::cold, gnu::noinline]] void refuse_slot(const Parameter<T>& parameter, std::size_t slot, std::size_t size) {
    throw DataError("optimizer state: slot " + std::to_string(slot) + " of parameter '" + parameter.name + "' holds " +
                    std::to_string(size) + " values, the parameter " + std::to_string(parameter.value.size()) +
                    "; give set_state the state of a model with the same layers, or reset() it");
}

template <class T>
void check_slot_sizes(std::span<const Parameter<T>> parameters, const std::vector<std::vector<T>>& slots,
                      std::size_t per) {
    for (std::size_t p = 0; p < parameters.size(); ++p)
        for (std::size_t s = 0; s < per; ++s)
            if (slots[p * per + s].size() != parameters[p].value.size())
                refuse_slot(parameters[p], s, slots[p * per + s].size());
}

}  // namespace

template <class T>
BasicOptimizer<T>::BasicOptimizer(LearningRate lr, GradientClipping clipping)
    : learning_rate_(std::move(lr)),
      clipping_(clipping),
      clips_(clipping.clipnorm > 0 || clipping.clipvalue > 0 || clipping.global_clipnorm > 0) {
    check_clipping(clipping_);
}

template <class T>
void BasicOptimizer<T>::apply(std::span<const Parameter<T>> parameters) {
    const std::size_t per = slots_per_parameter();
    if (slots_.size() != parameters.size() * per) {
        slots_.assign(parameters.size() * per, {});
        for (std::size_t p = 0; p < parameters.size(); ++p)
            for (std::size_t s = 0; s < per; ++s)
                slots_[p * per + s].assign(parameters[p].value.size(), initial_slot_value(s));
    }
    check_slot_sizes(parameters, slots_, per);
    if (clips_) clip(parameters);
    const double lr = learning_rate();
    const std::int64_t step = iterations_ + 1;
    begin_step(step, lr);
    std::span<T> slot_views[3];
    for (std::size_t p = 0; p < parameters.size(); ++p) {
        for (std::size_t s = 0; s < per; ++s) slot_views[s] = slots_[p * per + s];
        update(parameters[p].value, parameters[p].gradient, std::span<std::span<T>>(slot_views, per), lr, step);
    }
    ++iterations_;
}

// clipnorm: g ← g · c / max(‖g‖, c) per parameter; global_clipnorm: the same with the norm of all
// gradients together; clipvalue: g ← clamp(g, −c, c).
template <class T>
void BasicOptimizer<T>::clip(std::span<const Parameter<T>> parameters) const {
    if (clipping_.clipnorm > 0) {
        for (const auto& p : parameters) {
            const double norm = std::sqrt(squared_norm<T>(p.gradient));
            if (norm > clipping_.clipnorm) scale(p.gradient, clipping_.clipnorm / norm);
        }
    } else if (clipping_.global_clipnorm > 0) {
        double total = 0;
        for (const auto& p : parameters) total += squared_norm<T>(p.gradient);
        const double norm = std::sqrt(total);
        if (norm > clipping_.global_clipnorm)
            for (const auto& p : parameters) scale(p.gradient, clipping_.global_clipnorm / norm);
    } else if (clipping_.clipvalue > 0) {
        const T c = T(clipping_.clipvalue);
        for (const auto& p : parameters)
            for (auto& g : p.gradient) g = std::clamp(g, -c, c);
    }
}

template <class T>
OptimizerState<T> BasicOptimizer<T>::state() const {
    return {iterations_, scalars_, slots_};
}

template <class T>
void BasicOptimizer<T>::set_state(OptimizerState<T> state) {
    if (state.iterations < 0) throw DataError("optimizer state: negative step count " + std::to_string(state.iterations));
    iterations_ = state.iterations;
    scalars_ = std::move(state.scalars);
    slots_ = std::move(state.slots);
}

template <class T>
void BasicOptimizer<T>::reset() {
    iterations_ = 0;
    slots_.clear();
    scalars_.clear();
}

template class BasicOptimizer<float>;
template class BasicOptimizer<double>;

}  // namespace dense
