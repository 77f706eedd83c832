#pragma once
// Adagrad (Keras 3): a ← a + g²;  w ← w − lr · g / √(a + ε), a starting at 0.1.
#include "dense/optimizers/optimizer.hpp"

namespace dense {

struct AdagradOptions {
    double initial_accumulator_value = 0.1;
    double epsilon = 1e-7;
    GradientClipping clipping = {};
};

template <class T>
class BasicAdagrad final : public BasicOptimizer<T> {
public:
    explicit BasicAdagrad(LearningRate learning_rate = 0.001, AdagradOptions options = {});
    std::unique_ptr<BasicOptimizer<T>> clone() const override { return std::make_unique<BasicAdagrad>(*this); }
    std::string_view name() const noexcept override { return "adagrad"; }
    const AdagradOptions& options() const noexcept { return options_; }

private:
    std::size_t slots_per_parameter() const noexcept override { return 1; }
    T initial_slot_value(std::size_t) const noexcept override { return T(options_.initial_accumulator_value); }
    void update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                std::int64_t step) override;
    AdagradOptions options_;
};

using Adagrad = BasicAdagrad<float>;

}  // namespace dense
