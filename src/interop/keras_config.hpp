#pragma once
// Keras' JSON model configs (config.json of a .keras archive, model_config of a legacy .h5)
// turned into dense layers and back. One Keras layer becomes exactly one dense layer, so the
// i-th Keras layer (InputLayer aside) holds the weights of the model's i-th layer.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dense/sequential.hpp"

namespace dense::interop {

// A keras.layers.Normalization of the model's input: x' = (x − mean) / √variance per input.
struct KerasNormalization {
    std::vector<double> mean, variance;
};

struct KerasArchitecture {
    std::string model_name;
    // The feature count of the input, 0 when the config does not say (then the weights tell).
    std::size_t input_dim = 0;
    // Every layer but the InputLayer, in order: {"class_name": ..., "config": {...}}.
    std::vector<nlohmann::json> layers;
    // A Normalization layer first (mean and variance given in its config), kept apart from `layers`.
    std::optional<KerasNormalization> normalization;
};

// Whether a layer's `axis` (absent: null) is the features' axis: dense's inputs are [batch,
// features], so axis -1 and axis 1 are the same one, given alone or in a list.
bool is_feature_axis(const nlohmann::json& axis);

// `file` names the source in error messages.
KerasArchitecture parse_keras_architecture(const nlohmann::json& model_config, const std::string& file);

// The unbuilt dense model of an architecture. Throws DataError for whatever dense cannot represent.
// Keras 2 and 3 differ in places (hard_sigmoid's slope), so the writer's major version is needed.
Sequential build_keras_model(const KerasArchitecture& architecture, const std::string& file, int keras_major);

// A built model as Keras 3 layers: the config (what config.json holds) and, per Keras layer in
// order, its class name, name and weights. A Dense whose leaky_relu or elu has a non-default
// alpha becomes two Keras layers (a linear Dense, then LeakyReLU or ELU).
struct KerasExport {
    nlohmann::json config;
    std::vector<std::string> layer_classes;
    std::vector<std::string> layer_names;
    std::vector<std::vector<Tensor<float>>> layer_weights;
    // The index of the dense layer each Keras layer comes from.
    std::vector<std::size_t> layer_sources;
};
// With `normalization`, a Normalization layer (without weights) comes first.
KerasExport keras_config_of(const Sequential& model, const std::optional<KerasNormalization>& normalization = std::nullopt);

}  // namespace dense::interop
