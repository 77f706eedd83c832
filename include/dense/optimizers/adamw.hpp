#pragma once
// AdamW (Keras 3): decoupled weight decay before the Adam step, w ← w − w·λ·lr, then Adam.
#include "dense/optimizers/adam.hpp"

namespace dense {

struct AdamWOptions {
    double weight_decay = 0.004;
    double beta_1 = 0.9;
    double beta_2 = 0.999;
    double epsilon = 1e-7;
    bool amsgrad = false;
    GradientClipping clipping = {};
};

template <class T>
class BasicAdamW final : public BasicAdam<T> {
public:
    explicit BasicAdamW(LearningRate learning_rate = 0.001, AdamWOptions options = {});
    std::unique_ptr<BasicOptimizer<T>> clone() const override { return std::make_unique<BasicAdamW>(*this); }
    std::string_view name() const noexcept override { return "adamw"; }
    double weight_decay() const noexcept { return weight_decay_; }

private:
    void update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                std::int64_t step) override;
    double weight_decay_;
};

using AdamW = BasicAdamW<float>;

}  // namespace dense
