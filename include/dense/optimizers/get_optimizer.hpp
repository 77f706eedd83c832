#pragma once
// Optimizers by name, as Keras' optimizers.get("adam"): "sgd", "adam", "adamw", "rmsprop",
// "adagrad", "nadam", each with Keras' default learning rate unless one is given.
#include <memory>
#include <optional>
#include <string_view>

#include "dense/optimizers/optimizer.hpp"

namespace dense {

template <class T>
std::unique_ptr<BasicOptimizer<T>> get_optimizer(std::string_view name, std::optional<double> learning_rate = std::nullopt);

std::string_view known_optimizer_names() noexcept;

}  // namespace dense
