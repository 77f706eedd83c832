#include "dense/tune/search_space.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dense/activation.hpp"
#include "dense/error.hpp"
#include "dense/optimizers/get_optimizer.hpp"

namespace dense::tune {

namespace {

using Json = nlohmann::ordered_json;

// The course's Adam(0.1): a network without hidden layers on standardised inputs settles in a few hundred steps.
constexpr double baseline_learning_rate = 0.1;

template <class T>
const T& pick(const std::vector<T>& choices, Rng& rng) {
    return choices[rng.below(choices.size())];
}

// exp(uniform(ln low, ln high)): every factor of ten between low and high equally likely.
double log_uniform(double low, double high, Rng& rng) { return std::exp(rng.uniform(std::log(low), std::log(high))); }

[[noreturn]] void bad_value(std::string_view source, std::string_view key, const std::string& why) {
    throw UsageError(std::string(source) + ": \"" + std::string(key) + "\" " + why);
}

// A JSON [low, high] pair of numbers.
template <class T>
std::pair<T, T> read_range(const Json& value, std::string_view source, std::string_view key) {
    if (!value.is_array() || value.size() != 2 || !value[0].is_number() || !value[1].is_number())
        bad_value(source, key, "must be a pair [low, high] of numbers");
    if constexpr (std::is_integral_v<T>) {
        if (!value[0].is_number_unsigned() || !value[1].is_number_unsigned())
            bad_value(source, key, "must be a pair [low, high] of whole numbers ≥ 0");
    }
    return {value[0].get<T>(), value[1].get<T>()};
}

template <class T>
std::vector<T> read_list(const Json& value, std::string_view source, std::string_view key) {
    if (!value.is_array() || value.empty()) bad_value(source, key, "must be a non-empty list");
    try {
        return value.get<std::vector<T>>();
    } catch (const nlohmann::json::exception&) {
        bad_value(source, key, std::is_same_v<T, std::string> ? "must be a list of names" : "must be a list of numbers");
    }
}

void check(bool ok, std::string_view key, const std::string& why) {
    if (!ok) throw UsageError("tune: search space: \"" + std::string(key) + "\" " + why);
}

}  // namespace

SearchSpace SearchSpace::for_data(std::size_t rows) {
    SearchSpace space;
    if (rows <= 1000) {
        space.max_units = 64;
        space.batch_sizes = {8, 16, 32};
        space.dropouts = {0.0, 0.1};
        space.max_epochs = 200;
    } else if (rows <= 20000) {
        space.max_units = 256;
        space.batch_sizes = {16, 32, 64};
        space.max_epochs = 100;
    } else {
        space.min_units = 16;
        space.batch_sizes = {32, 64, 128, 256};
        space.max_epochs = 30;
    }
    return space;
}

SearchSpace SearchSpace::with_json(std::string_view json_text, std::string_view source) const {
    Json json;
    try {
        json = Json::parse(json_text);
    } catch (const nlohmann::json::parse_error& error) {
        throw UsageError(std::string(source) + ": not valid JSON (" + error.what() + ")");
    }
    if (!json.is_object()) throw UsageError(std::string(source) + ": the search space must be a JSON object");
    SearchSpace space = *this;
    for (const auto& [key, value] : json.items()) {
        if (key == "hidden_layers") {
            std::tie(space.min_hidden_layers, space.max_hidden_layers) = read_range<std::size_t>(value, source, key);
        } else if (key == "units") {
            std::tie(space.min_units, space.max_units) = read_range<std::size_t>(value, source, key);
        } else if (key == "learning_rate") {
            std::tie(space.min_learning_rate, space.max_learning_rate) = read_range<double>(value, source, key);
        } else if (key == "activations") {
            space.activations = read_list<std::string>(value, source, key);
        } else if (key == "optimizers") {
            space.optimizers = read_list<std::string>(value, source, key);
        } else if (key == "batch_sizes") {
            space.batch_sizes = read_list<std::size_t>(value, source, key);
        } else if (key == "dropout") {
            space.dropouts = read_list<double>(value, source, key);
        } else if (key == "l2") {
            space.l2s = read_list<double>(value, source, key);
        } else if (key == "max_epochs") {
            if (!value.is_number_integer()) bad_value(source, key, "must be a whole number");
            space.max_epochs = value.get<int>();
        } else {
            bad_value(source, key, "is not a search space key; known: hidden_layers, units, activations, optimizers, "
                                   "learning_rate, batch_sizes, dropout, l2, max_epochs");
        }
    }
    space.validate();
    return space;
}

SearchSpace SearchSpace::with_json_file(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("tune: cannot open the search space file '" + path + "'; check the path");
    std::ostringstream text;
    text << in.rdbuf();
    return with_json(text.str(), path);
}

void SearchSpace::validate() const {
    check(min_hidden_layers <= max_hidden_layers, "hidden_layers", "needs low ≤ high");
    check(min_units >= 1 && min_units <= max_units, "units", "needs 1 ≤ low ≤ high");
    check(min_learning_rate > 0.0 && min_learning_rate <= max_learning_rate && std::isfinite(max_learning_rate),
          "learning_rate", "needs 0 < low ≤ high");
    check(!activations.empty(), "activations", "must name at least one activation");
    for (const auto& name : activations) Activation{name};  // throws UsageError for unknown names
    check(!optimizers.empty(), "optimizers", "must name at least one optimizer");
    for (const auto& name : optimizers) get_optimizer<float>(name, min_learning_rate);  // UsageError if unknown
    check(!batch_sizes.empty() && std::ranges::all_of(batch_sizes, [](std::size_t b) { return b > 0; }),
          "batch_sizes", "must list batch sizes ≥ 1");
    check(!dropouts.empty() && std::ranges::all_of(dropouts, [](double d) { return d >= 0.0 && d < 1.0; }), "dropout",
          "must list rates in [0, 1)");
    check(!l2s.empty() && std::ranges::all_of(l2s, [](double l) { return l >= 0.0 && std::isfinite(l); }), "l2",
          "must list penalties ≥ 0");
    check(max_epochs >= 1, "max_epochs", "must be at least 1");
}

std::string SearchSpace::to_json() const {
    Json json;
    json["hidden_layers"] = {min_hidden_layers, max_hidden_layers};
    json["units"] = {min_units, max_units};
    json["activations"] = activations;
    json["optimizers"] = optimizers;
    json["learning_rate"] = {min_learning_rate, max_learning_rate};
    json["batch_sizes"] = batch_sizes;
    json["dropout"] = dropouts;
    json["l2"] = l2s;
    json["max_epochs"] = max_epochs;
    return json.dump();
}

Hyperparameters SearchSpace::sample(Rng& rng) const {
    Hyperparameters h;
    const std::size_t layers = min_hidden_layers + rng.below(max_hidden_layers - min_hidden_layers + 1);
    for (std::size_t i = 0; i < layers; ++i) {
        const double units = log_uniform(static_cast<double>(min_units), static_cast<double>(max_units), rng);
        h.hidden_units.push_back(std::clamp<std::size_t>(std::llround(units), min_units, max_units));
    }
    h.activation = pick(activations, rng);
    h.optimizer = pick(optimizers, rng);
    h.learning_rate = log_uniform(min_learning_rate, max_learning_rate, rng);
    h.batch_size = pick(batch_sizes, rng);
    h.dropout = pick(dropouts, rng);
    h.l2 = pick(l2s, rng);
    return h;
}

Hyperparameters SearchSpace::baseline() const {
    Hyperparameters h;
    h.hidden_units.assign(min_hidden_layers, min_units);
    h.activation = activations.front();
    h.optimizer = optimizers.front();
    h.learning_rate = std::clamp(baseline_learning_rate, min_learning_rate, max_learning_rate);
    h.batch_size = batch_sizes.front();
    h.dropout = *std::ranges::min_element(dropouts);
    h.l2 = *std::ranges::min_element(l2s);
    return h;
}

bool SearchSpace::contains(const Hyperparameters& h) const {
    const auto listed = [](const auto& list, const auto& value) { return std::ranges::find(list, value) != list.end(); };
    return h.hidden_units.size() >= min_hidden_layers && h.hidden_units.size() <= max_hidden_layers &&
           std::ranges::all_of(h.hidden_units, [&](std::size_t u) { return u >= min_units && u <= max_units; }) &&
           listed(activations, h.activation) && listed(optimizers, h.optimizer) && listed(batch_sizes, h.batch_size) &&
           listed(dropouts, h.dropout) && listed(l2s, h.l2) && h.learning_rate >= min_learning_rate &&
           h.learning_rate <= max_learning_rate;
}

}  // namespace dense::tune
