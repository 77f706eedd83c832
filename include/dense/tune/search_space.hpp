#pragma once
// SearchSpace: the hyperparameters a search may choose from. Ranges marked log are sampled
// log-uniformly (every factor of ten is as likely), lists uniformly. for_data() picks ranges
// sensible for the data's size; a small JSON file overrides any of them:
//   {"hidden_layers": [0, 2], "units": [8, 128], "activations": ["relu"], "optimizers": ["adam"],
//    "learning_rate": [1e-4, 1e-2], "batch_sizes": [32, 64], "dropout": [0, 0.2],
//    "l2": [0, 1e-4], "max_epochs": 40}
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dense/random.hpp"
#include "dense/tune/hyperparameters.hpp"

namespace dense::tune {

struct SearchSpace {
    std::size_t min_hidden_layers = 0, max_hidden_layers = 4;
    std::size_t min_units = 4, max_units = 512;              // per hidden layer, log
    std::vector<std::string> activations = {"relu", "elu", "tanh"};
    std::vector<std::string> optimizers = {"adam", "rmsprop", "sgd"};
    double min_learning_rate = 1e-4, max_learning_rate = 1e-1;  // log
    std::vector<std::size_t> batch_sizes = {16, 32, 64, 128};
    std::vector<double> dropouts = {0.0, 0.1, 0.2, 0.3};      // after each hidden layer
    std::vector<double> l2s = {0.0, 1e-5, 1e-4};               // on every kernel
    int max_epochs = 50;                                       // the most one trial trains

    // Defaults scaled to a data set of `rows` rows: small data gets smaller layers and batches and
    // more epochs (so every trial takes a few thousand steps), large data the reverse.
    static SearchSpace for_data(std::size_t rows);
    // This space with the keys of a JSON object replaced; `source` names the text in messages.
    // Unknown keys and values out of range throw UsageError.
    SearchSpace with_json(std::string_view json_text, std::string_view source) const;
    SearchSpace with_json_file(const std::string& path) const;
    // Throws UsageError naming the first range that is empty or out of bounds.
    void validate() const;
    // The space as the JSON with_json reads, keys in a fixed order.
    std::string to_json() const;

    Hyperparameters sample(Rng& rng) const;
    // The simplest point of the space: the fewest hidden layers of the fewest units, the first
    // activation, optimizer and batch size, a learning rate of 0.1 (clamped into the range) and
    // the smallest dropout and L2. A search always tries it first.
    Hyperparameters baseline() const;
    // True when every choice of h lies in this space (its layers, units, lists and ranges).
    bool contains(const Hyperparameters& h) const;
};

}  // namespace dense::tune
