#include "dense/learning_rate_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dense/error.hpp"
#include "option_range.hpp"

namespace dense {

LearningRate::LearningRate(double constant) : initial_(constant) {
    detail::require_in_range("LearningRate", "the learning rate", constant, detail::OptionRange::non_negative);
}

LearningRate LearningRate::exponential_decay(double initial, double decay_steps, double decay_rate, bool staircase) {
    detail::require_in_range("exponential_decay", "decay_steps", decay_steps, detail::OptionRange::positive);
    detail::require_in_range("exponential_decay", "decay_rate", decay_rate, detail::OptionRange::non_negative);
    LearningRate lr(initial);
    lr.kind_ = Kind::exponential_decay;
    lr.decay_steps_ = decay_steps;
    lr.rate_or_alpha_ = decay_rate;
    lr.staircase_ = staircase;
    return lr;
}

LearningRate LearningRate::cosine_decay(double initial, double decay_steps, double alpha) {
    detail::require_in_range("cosine_decay", "decay_steps", decay_steps, detail::OptionRange::positive);
    detail::require_in_range("cosine_decay", "alpha", alpha, detail::OptionRange::unit_interval);
    LearningRate lr(initial);
    lr.kind_ = Kind::cosine_decay;
    lr.decay_steps_ = decay_steps;
    lr.rate_or_alpha_ = alpha;
    return lr;
}

LearningRate LearningRate::piecewise_constant(std::vector<double> boundaries, std::vector<double> values) {
    if (values.size() != boundaries.size() + 1)
        throw UsageError("piecewise_constant: needs one more value than boundaries, got " +
                         std::to_string(boundaries.size()) + " boundaries and " + std::to_string(values.size()) +
                         " values");
    if (!std::is_sorted(boundaries.begin(), boundaries.end()))
        throw UsageError("piecewise_constant: boundaries must be increasing");
    for (const double value : values)
        detail::require_in_range("piecewise_constant", "every value", value, detail::OptionRange::non_negative);
    LearningRate lr(values.front());
    lr.kind_ = Kind::piecewise_constant;
    lr.boundaries_ = std::move(boundaries);
    lr.values_ = std::move(values);
    return lr;
}

double LearningRate::at(std::int64_t step) const {
    const auto s = static_cast<double>(step);
    switch (kind_) {
        case Kind::constant:
            return initial_;
        case Kind::exponential_decay: {
            // lr₀ · rate^(step / decay_steps)
            const double p = staircase_ ? std::floor(s / decay_steps_) : s / decay_steps_;
            return initial_ * std::pow(rate_or_alpha_, p);
        }
        case Kind::cosine_decay: {
            // lr₀ · ((1 − α) · ½(1 + cos(π · min(step, decay_steps) / decay_steps)) + α)
            const double progress = std::min(s, decay_steps_) / decay_steps_;
            const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
            return initial_ * ((1.0 - rate_or_alpha_) * cosine + rate_or_alpha_);
        }
        case Kind::piecewise_constant: {
            // values[i] for boundaries[i−1] < step ≤ boundaries[i]
            const auto i = std::lower_bound(boundaries_.begin(), boundaries_.end(), s) - boundaries_.begin();
            return values_[static_cast<std::size_t>(i)];
        }
    }
    return initial_;
}

}  // namespace dense
