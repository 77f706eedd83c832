#include "dense/optimizers/get_optimizer.hpp"

#include <string>

#include "dense/error.hpp"
#include "dense/optimizers/adagrad.hpp"
#include "dense/optimizers/adam.hpp"
#include "dense/optimizers/adamw.hpp"
#include "dense/optimizers/nadam.hpp"
#include "dense/optimizers/rmsprop.hpp"
#include "dense/optimizers/sgd.hpp"

namespace dense {

std::string_view known_optimizer_names() noexcept { return "sgd, adam, adamw, rmsprop, adagrad, nadam"; }

template <class T>
std::unique_ptr<BasicOptimizer<T>> get_optimizer(std::string_view name, std::optional<double> learning_rate) {
    if (name == "sgd") return std::make_unique<BasicSGD<T>>(learning_rate.value_or(0.01));
    if (name == "adam") return std::make_unique<BasicAdam<T>>(learning_rate.value_or(0.001));
    if (name == "adamw") return std::make_unique<BasicAdamW<T>>(learning_rate.value_or(0.001));
    if (name == "rmsprop") return std::make_unique<BasicRMSprop<T>>(learning_rate.value_or(0.001));
    if (name == "adagrad") return std::make_unique<BasicAdagrad<T>>(learning_rate.value_or(0.001));
    if (name == "nadam") return std::make_unique<BasicNadam<T>>(learning_rate.value_or(0.001));
    throw UsageError("unknown optimizer '" + std::string(name) + "'; use one of: " + std::string(known_optimizer_names()));
}

template std::unique_ptr<BasicOptimizer<float>> get_optimizer<float>(std::string_view, std::optional<double>);
template std::unique_ptr<BasicOptimizer<double>> get_optimizer<double>(std::string_view, std::optional<double>);

}  // namespace dense
