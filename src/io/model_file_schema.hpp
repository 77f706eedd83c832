#pragma once
// The JSON of the parts of a model in a model file's header: layers, optimizer, loss and
// training progress, each written and read back (after model_file_validation.cpp has checked
// every field). The binary layout around it is in model_file.cpp.
#include <memory>

#include <nlohmann/json.hpp>

#include "dense/io/model_file.hpp"

namespace dense::io::detail {

template <class T>
nlohmann::json layer_json(const Layer<T>& layer);
template <class T>
std::unique_ptr<Layer<T>> layer_from(const nlohmann::json& j);

// A constant rate as a number; a schedule as Keras serialises one, {"class_name", "config"} with
// Keras' names for its parameters (format 4; a .keras file's compile_config holds the same).
nlohmann::json learning_rate_json(const LearningRate& lr);

template <class T>
nlohmann::json optimizer_json(const BasicOptimizer<T>& optimizer);
// Missing options take Keras' defaults, so {"name": "adam", "learning_rate": 0.01} is enough.
template <class T>
std::unique_ptr<BasicOptimizer<T>> optimizer_from(const nlohmann::json& j);

nlohmann::json loss_json(const Loss& loss);
Loss loss_from(const nlohmann::json& j);

nlohmann::json progress_json(const TrainingProgress& p);
TrainingProgress progress_from(const nlohmann::json& j);
nlohmann::json callback_json(const CallbackState& state);

}  // namespace dense::io::detail
