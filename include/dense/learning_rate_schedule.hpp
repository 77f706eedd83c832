#pragma once
// LearningRate: a constant or one of Keras' schedules, evaluated at the optimizer's step count.
//   exponential_decay: lr₀ · rate^(step / decay_steps)          (floor of the ratio if staircase)
//   cosine_decay:      lr₀ · ((1 − α) · ½(1 + cos(π · min(step, decay_steps) / decay_steps)) + α)
//   piecewise_constant: values[i] for boundaries[i−1] < step ≤ boundaries[i]
#include <cstdint>
#include <vector>

namespace dense {

class LearningRate {
public:
    enum class Kind { constant, exponential_decay, cosine_decay, piecewise_constant };

    // A rate below 0 or not finite (here and in the schedules' rates) is a UsageError.
    LearningRate(double constant = 0.001);
    static LearningRate exponential_decay(double initial, double decay_steps, double decay_rate, bool staircase = false);
    static LearningRate cosine_decay(double initial, double decay_steps, double alpha = 0.0);
    static LearningRate piecewise_constant(std::vector<double> boundaries, std::vector<double> values);

    double at(std::int64_t step) const;
    Kind kind() const noexcept { return kind_; }
    double initial() const noexcept { return initial_; }
    // The schedule's parameters, as given to its constructor (what a model file saves).
    double decay_steps() const noexcept { return decay_steps_; }
    double decay_rate() const noexcept { return rate_or_alpha_; }  // exponential_decay's
    double alpha() const noexcept { return rate_or_alpha_; }       // cosine_decay's
    bool staircase() const noexcept { return staircase_; }
    const std::vector<double>& boundaries() const noexcept { return boundaries_; }
    const std::vector<double>& values() const noexcept { return values_; }

private:
    Kind kind_ = Kind::constant;
    double initial_ = 0.001;
    double decay_steps_ = 1.0;
    double rate_or_alpha_ = 0.0;
    bool staircase_ = false;
    std::vector<double> boundaries_, values_;
};

}  // namespace dense
