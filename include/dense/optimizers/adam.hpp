#pragma once
// Adam (Keras 3), t the 1-based step:
//   m ← m + (g − m)(1 − β₁);  v ← v + (g² − v)(1 − β₂)      [amsgrad: v̂ ← max(v̂, v), use v̂]
//   α = lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ);   w ← w − α · m / (√v + ε)
#include "dense/optimizers/optimizer.hpp"

namespace dense {

struct AdamOptions {
    double beta_1 = 0.9;
    double beta_2 = 0.999;
    double epsilon = 1e-7;
    bool amsgrad = false;
    GradientClipping clipping = {};
};

template <class T>
class BasicAdam : public BasicOptimizer<T> {
public:
    explicit BasicAdam(LearningRate learning_rate = 0.001, AdamOptions options = {});
    std::unique_ptr<BasicOptimizer<T>> clone() const override { return std::make_unique<BasicAdam>(*this); }
    std::string_view name() const noexcept override { return "adam"; }
    const AdamOptions& options() const noexcept { return options_; }

protected:
    std::size_t slots_per_parameter() const noexcept override { return options_.amsgrad ? 3 : 2; }
    void begin_step(std::int64_t step, double lr) override;
    void update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                std::int64_t step) override;
    AdamOptions options_;
    T alpha_ = T(0);  // the step's lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ), made in begin_step
};

using Adam = BasicAdam<float>;

}  // namespace dense
