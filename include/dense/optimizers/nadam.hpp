#pragma once
// Nadam (Keras 3), t the 1-based step, decay 0.96:
//   μₜ = β₁(1 − ½·0.96ᵗ),  μₜ₊₁ = β₁(1 − ½·0.96ᵗ⁺¹),  Πₜ = Πₜ₋₁·μₜ (Π₀ = 1)
//   m ← m + (g − m)(1 − β₁);  v ← v + (g² − v)(1 − β₂)
//   m̂ = μₜ₊₁·m / (1 − Πₜ·μₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ);  v̂ = v / (1 − β₂ᵗ)
//   w ← w − lr · m̂ / (√v̂ + ε)
#include "dense/optimizers/optimizer.hpp"

namespace dense {

struct NadamOptions {
    double beta_1 = 0.9;
    double beta_2 = 0.999;
    double epsilon = 1e-7;
    GradientClipping clipping = {};
};

template <class T>
class BasicNadam final : public BasicOptimizer<T> {
public:
    explicit BasicNadam(LearningRate learning_rate = 0.001, NadamOptions options = {});
    std::unique_ptr<BasicOptimizer<T>> clone() const override { return std::make_unique<BasicNadam>(*this); }
    std::string_view name() const noexcept override { return "nadam"; }
    const NadamOptions& options() const noexcept { return options_; }

private:
    std::size_t slots_per_parameter() const noexcept override { return 2; }
    void begin_step(std::int64_t step, double lr) override;
    void update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                std::int64_t step) override;
    NadamOptions options_;
};

using Nadam = BasicNadam<float>;

}  // namespace dense
