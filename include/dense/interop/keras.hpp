#pragma once
// Keras interop: read and write the files Keras saves, for Sequential models of InputLayer,
// Dense, Activation, Dropout (and LeakyReLU, ELU, ReLU, Softmax, which become activation layers).
//   .keras       Keras 3 archive: config.json + model.weights.h5 + metadata.json
//   .weights.h5  Keras 3 weights only: layers/<class in snake case>[_N]/vars/<i>
//   .h5          legacy whole-model file (model_config attribute + model_weights/<layer>/...)
// Anything dense cannot represent exactly (a layer, an option, a dtype) is a DataError that names
// it, the layer and the file; nothing is silently dropped. Models are float32.
#include <filesystem>
#include <optional>

#include "dense/interop/loaded_model.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/sequential.hpp"

namespace dense::keras {

// A whole model from a .keras archive or a legacy .h5 file (chosen by extension).
Sequential load_model(const std::filesystem::path& path);

// Weights from a Keras 3 .weights.h5 (or a .keras archive's) into `model`, whose architecture must
// be the one the weights were saved from: a weights file that holds a layer `model` lacks (the
// Normalization or BatchNormalization of a Keras model, which import folds away) is refused.
void load_weights(Sequential& model, const std::filesystem::path& path);

// A .keras archive, and when dense wrote it from a CSV model (SaveOptions::preprocessing), that
// model's preprocessing: its leading Normalization layer is then the preprocessing's, not folded.
interop::LoadedModel load_with_preprocessing(const std::filesystem::path& path);

// The architecture of a .keras archive or legacy .h5 file with the weights of a Keras 3
// .weights.h5 file saved from that model, read as the archive's own weights are: the layers
// dense folds on import (a first Normalization, a BatchNormalization) take their values from the
// weights file too. (load_weights into the imported model would miss them.)
interop::LoadedModel load_with_preprocessing(const std::filesystem::path& architecture, const std::filesystem::path& weights);

struct SaveOptions {
    // A CSV model's preprocessing: its standardisation becomes a first keras.layers.Normalization
    // layer (one-hot inputs of text columns pass with mean 0, variance 1), and metadata.json
    // carries "class_labels" and the whole preprocessing ("dense_preprocessing"). The model's
    // outputs are the network's (a regression model's target scale must already be folded in,
    // interop::in_target_units). The one-hot encoding itself is not carried.
    std::optional<io::Preprocessing> preprocessing = {};
};

// A .keras archive that keras.saving.load_model opens. The model must be built.
void save_model(const Sequential& model, const std::filesystem::path& path, const SaveOptions& options = {});

// A .weights.h5 file that Keras' model.load_weights reads into the same architecture.
void save_weights(const Sequential& model, const std::filesystem::path& path);

}  // namespace dense::keras
