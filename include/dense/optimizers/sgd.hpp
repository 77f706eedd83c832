#pragma once
// SGD with optional momentum and Nesterov momentum (Keras 3):
//   plain:     w ← w − lr·g
//   momentum:  m ← μ·m − lr·g;  w ← w + m
//   nesterov:  m ← μ·m − lr·g;  w ← w + μ·m − lr·g
#include "dense/optimizers/optimizer.hpp"

namespace dense {

struct SGDOptions {
    double momentum = 0.0;
    bool nesterov = false;
    GradientClipping clipping = {};
};

template <class T>
class BasicSGD final : public BasicOptimizer<T> {
public:
    explicit BasicSGD(LearningRate learning_rate = 0.01, SGDOptions options = {});
    std::unique_ptr<BasicOptimizer<T>> clone() const override { return std::make_unique<BasicSGD>(*this); }
    std::string_view name() const noexcept override { return "sgd"; }
    const SGDOptions& options() const noexcept { return options_; }

private:
    std::size_t slots_per_parameter() const noexcept override { return options_.momentum != 0.0 ? 1 : 0; }
    void update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                std::int64_t step) override;
    SGDOptions options_;
};

using SGD = BasicSGD<float>;

}  // namespace dense
