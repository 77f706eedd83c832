#pragma once
// RMSprop (Keras 3):
//   v ← ρ·v + (1 − ρ)·g²;  centered: ḡ ← ρ·ḡ + (1 − ρ)·g, d = v − ḡ² + ε, else d = v + ε
//   Δ = lr · g / √d;  momentum: m ← μ·m + Δ, w ← w − m;  else w ← w − Δ
#include "dense/optimizers/optimizer.hpp"

namespace dense {

struct RMSpropOptions {
    double rho = 0.9;
    double momentum = 0.0;
    double epsilon = 1e-7;
    bool centered = false;
    GradientClipping clipping = {};
};

template <class T>
class BasicRMSprop final : public BasicOptimizer<T> {
public:
    explicit BasicRMSprop(LearningRate learning_rate = 0.001, RMSpropOptions options = {});
    std::unique_ptr<BasicOptimizer<T>> clone() const override { return std::make_unique<BasicRMSprop>(*this); }
    std::string_view name() const noexcept override { return "rmsprop"; }
    const RMSpropOptions& options() const noexcept { return options_; }

private:
    std::size_t slots_per_parameter() const noexcept override { return 3; }  // v, ḡ, m
    void update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                std::int64_t step) override;
    RMSpropOptions options_;
};

using RMSprop = BasicRMSprop<float>;

}  // namespace dense
