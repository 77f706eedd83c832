#pragma once
// Hyperparameters: one point of a search space — the shape of a network and how it is trained.
// make_model turns them into a compiled Sequential model:
//   inputs → Dense(u₁, act) [→ Dropout] → … → Dense(u_k, act) [→ Dropout] → output layer,
// every Dense kernel penalised by l2·Σw², trained by dense::get_optimizer(optimizer, learning_rate)
// (Keras' defaults). No hidden layer gives the articles' single neuron.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dense/sequential.hpp"
#include "dense/tune/objective.hpp"

namespace dense::tune {

struct Hyperparameters {
    std::vector<std::size_t> hidden_units = {};  // empty: the output layer sees the inputs directly
    std::string activation = "relu";
    std::string optimizer = "adam";
    double learning_rate = 0.001;
    std::size_t batch_size = 32;
    double dropout = 0.0;
    double l2 = 0.0;

    bool operator==(const Hyperparameters&) const = default;
};

// The network `dense train` trains when given no flags: 64 relu units, Adam at Keras' 1e-3, batches
// of 32 (beside a linear model, see dense/tune/default_training.hpp). Every search tries it.
inline Hyperparameters default_network() {
    return {.hidden_units = {64}, .activation = "relu", .optimizer = "adam", .learning_rate = 1e-3, .batch_size = 32};
}

// "64 relu → 32 relu", or "no hidden layer".
std::string describe_architecture(const Hyperparameters& hyperparameters);
// "adam lr 0.0032, batch 32, dropout 0.1, l2 1e-05" (dropout and l2 only when set).
std::string describe_training(const Hyperparameters& hyperparameters);
// Σ (inputs of layer + 1) · units over the Dense layers, output layer included.
std::size_t parameter_count(const Hyperparameters& hyperparameters, std::size_t inputs, std::size_t outputs);

// The compiled model the hyperparameters describe; `seed` fixes its initial weights.
Sequential make_model(const Hyperparameters& hyperparameters, std::size_t inputs, const Objective& objective,
                      std::uint64_t seed);

}  // namespace dense::tune
